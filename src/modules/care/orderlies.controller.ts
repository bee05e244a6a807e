import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Access, CurrentPrincipal } from '../../common/auth/access.decorator';
import { StaffPrincipal } from '../../common/auth/principal';
import { ApiProblems } from '../../common/http/api-problems.decorator';
import { PageQueryDto } from '../../common/http/pagination';
import { UuidParam } from '../../common/http/uuid-param.decorator';
import { UseCase } from '../../common/use-case/use-case.decorator';
import { CareListsService } from './care-lists.service';
import {
  AssignmentDto,
  AssignOrderlyDto,
  EndAssignmentDto,
  UnassignedPageDto,
} from './dto/assignment.dto';
import {
  AppointOrderlyDto,
  DismissOrderlyDto,
  OrderlyDto,
  OrderlyPageDto,
} from './dto/orderly.dto';
import { OrderlyAssignmentsService } from './orderly-assignments.service';
import { OrderlyPositionsService } from './orderly-positions.service';

@ApiTags('care')
@ApiBearerAuth()
@Controller()
export class OrderliesController {
  constructor(
    private readonly positions: OrderlyPositionsService,
    private readonly assignments: OrderlyAssignmentsService,
    private readonly lists: CareListsService,
  ) {}

  /**
   * Appoint a prisoner of the facility to an orderly's position (at most `care.orderlyPositions`
   * at once), from `from` (today by default, up to 60 days back for an appointment made on paper).
   * Refusals: `PRISONER_NOT_IN_FACILITY`, `ALREADY_AN_ORDERLY`, `ORDERLY_POSITIONS_FULL`,
   * `DATE_OUT_OF_RANGE`, `POLICY_MISSING`.
   */
  @Post('facilities/:facilityId/care/orderlies')
  @UseCase()
  @Access({ staff: ['care-officer'], facilityParam: 'facilityId' })
  @ApiProblems(400, 401, 403, 404, 422)
  appoint(
    @UuidParam('facilityId') facilityId: string,
    @Body() dto: AppointOrderlyDto,
    @CurrentPrincipal() actor: StaffPrincipal,
  ): Promise<OrderlyDto> {
    return this.positions.appoint(facilityId, dto, actor);
  }

  /** The facility's orderlies now: since when each holds the position and whom each assists. */
  @Get('facilities/:facilityId/care/orderlies')
  @Access({ staff: ['care-officer', 'auditor'], facilityParam: 'facilityId' })
  @ApiProblems(400, 401, 403, 404)
  orderlies(
    @UuidParam('facilityId') facilityId: string,
    @Query() q: PageQueryDto,
    @CurrentPrincipal() actor: StaffPrincipal,
  ): Promise<OrderlyPageDto> {
    return this.lists.orderlies(facilityId, q, actor);
  }

  /** Dismiss an orderly, with the reason: from today, and their assignments end with it. */
  @Post('facilities/:facilityId/care/orderlies/:positionId/dismiss')
  @UseCase()
  @HttpCode(200)
  @Access({ staff: ['care-officer'], facilityParam: 'facilityId' })
  @ApiProblems(400, 401, 403, 404, 422)
  dismiss(
    @UuidParam('facilityId') facilityId: string,
    @UuidParam('positionId') positionId: string,
    @Body() dto: DismissOrderlyDto,
    @CurrentPrincipal() actor: StaffPrincipal,
  ): Promise<OrderlyDto> {
    return this.positions.dismiss(facilityId, positionId, dto, actor);
  }

  /**
   * Assign an orderly to a prisoner with a disability. Refusals, each its own code (422):
   * `ASSIGNMENT_SELF`, `ASSIGNMENT_OTHER_FACILITY` (both must be held in one facility),
   * `NOT_AN_ORDERLY`, `NO_ACTIVE_DISABILITY`, `ORDERLY_NEEDS_SAME_HELP` (e.g. a blind orderly for a
   * blind prisoner), `ALREADY_ASSIGNED`, `ORDERLY_AT_CAPACITY` (`care.maxAssistedPerOrderly`),
   * `DATE_OUT_OF_RANGE`, `POLICY_MISSING`.
   */
  @Post('orderly-assignments')
  @UseCase()
  @Access({ staff: ['care-officer'] })
  @ApiProblems(400, 401, 403, 404, 422)
  assign(
    @Body() dto: AssignOrderlyDto,
    @CurrentPrincipal() actor: StaffPrincipal,
  ): Promise<AssignmentDto> {
    return this.assignments.assign(dto, actor);
  }

  /** End an assignment, with the reason, from today. */
  @Post('orderly-assignments/:id/end')
  @UseCase()
  @HttpCode(200)
  @Access({ staff: ['care-officer'] })
  @ApiProblems(400, 401, 403, 404, 422)
  end(
    @UuidParam('id') id: string,
    @Body() dto: EndAssignmentDto,
    @CurrentPrincipal() actor: StaffPrincipal,
  ): Promise<AssignmentDto> {
    return this.assignments.end(id, dto, actor);
  }

  /**
   * Prisoners with a disability in force and no orderly, longest waiting first, with since when
   * and how many days.
   */
  @Get('facilities/:facilityId/care/unassigned')
  @Access({ staff: ['care-officer', 'auditor'], facilityParam: 'facilityId' })
  @ApiProblems(400, 401, 403, 404)
  unassigned(
    @UuidParam('facilityId') facilityId: string,
    @Query() q: PageQueryDto,
    @CurrentPrincipal() actor: StaffPrincipal,
  ): Promise<UnassignedPageDto> {
    return this.lists.unassigned(facilityId, q, actor);
  }
}
