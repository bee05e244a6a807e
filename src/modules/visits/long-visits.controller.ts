import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Access, CurrentPrincipal } from '../../common/auth/access.decorator';
import { Principal, RelativePrincipal, StaffPrincipal } from '../../common/auth/principal';
import { ApiProblems } from '../../common/http/api-problems.decorator';
import { PageQueryDto } from '../../common/http/pagination';
import { UuidParam } from '../../common/http/uuid-param.decorator';
import { UseCase } from '../../common/use-case/use-case.decorator';
import { NoBody } from '../../common/http/no-body.decorator';
import {
  BookLongVisitDto,
  CancelLongVisitDto,
  FacilityLongVisitsQueryDto,
  FacilityVisitPlanDto,
  LongVisitDto,
  LongVisitPageDto,
  RejectLongVisitDto,
} from './dto/long-visit.dto';
import { LongVisitBookingService } from './long-visit-booking.service';
import { LongVisitRecordsService } from './long-visit-records.service';

@ApiTags('long visits')
@ApiBearerAuth()
@Controller()
export class LongVisitsController {
  constructor(
    private readonly booking: LongVisitBookingService,
    private readonly records: LongVisitRecordsService,
  ) {}

  /**
   * Book a long visit with a prisoner the relative holds an approved link to. A free room is
   * allocated; the answer lists the documents each visitor brings (those of the policy in force on
   * the start date) and the policy versions applied. Refusals: 422 `LONG_VISIT_OUTSIDE_WINDOW`,
   * `LONG_VISIT_TOO_LONG`, `LONG_VISIT_TOO_MANY_VISITORS`, `LONG_VISIT_ENTITLEMENT_USED`,
   * `VISIT_ROOM_TOO_SMALL`, `PRISONER_NOT_HELD`; 409 `LONG_VISIT_NO_ROOM` (with `nearestDates`) or
   * `LONG_VISIT_PRISONER_BUSY` (the prisoner has another visit then).
   */
  @Post('long-visits')
  @UseCase()
  @Access({ relative: true })
  @ApiProblems(400, 401, 403, 404, 409, 422)
  book(
    @Body() dto: BookLongVisitDto,
    @CurrentPrincipal() p: RelativePrincipal,
  ): Promise<LongVisitDto> {
    return this.booking.book(dto, p);
  }

  /** The relative's own bookings, by start. */
  @Get('relatives/me/long-visits')
  @Access({ relative: true })
  @ApiProblems(400, 401, 403)
  mine(
    @Query() q: PageQueryDto,
    @CurrentPrincipal() p: RelativePrincipal,
  ): Promise<LongVisitPageDto> {
    return this.records.mine(p, q);
  }

  /** One booking: the booking relative's, or one of the staff member's facility (else 404). */
  @Get('long-visits/:id')
  @Access({ staff: ['visits-officer', 'auditor'], relative: true })
  @ApiProblems(400, 401, 403, 404)
  get(@UuidParam('id') id: string, @CurrentPrincipal() caller: Principal): Promise<LongVisitDto> {
    return this.records.get(id, caller);
  }

  /** The facility's visits over a window of dates (at most 92), room by room: the day plan. */
  @Get('facilities/:facilityId/long-visits')
  @Access({ staff: ['visits-officer', 'auditor'], facilityParam: 'facilityId' })
  @ApiProblems(400, 401, 403, 404)
  plan(
    @UuidParam('facilityId') facilityId: string,
    @Query() q: FacilityLongVisitsQueryDto,
    @CurrentPrincipal() actor: StaffPrincipal,
  ): Promise<FacilityVisitPlanDto> {
    return this.records.plan(facilityId, q, actor);
  }

  /** Approve a requested visit (before it starts). */
  @Post('long-visits/:id/approve')
  @NoBody()
  @UseCase()
  @HttpCode(200)
  @Access({ staff: ['visits-officer'] })
  @ApiProblems(400, 401, 403, 404, 422)
  approve(
    @UuidParam('id') id: string,
    @CurrentPrincipal() actor: StaffPrincipal,
  ): Promise<LongVisitDto> {
    return this.records.approve(id, actor);
  }

  /** Reject a requested visit, with the reason the relative will read. */
  @Post('long-visits/:id/reject')
  @UseCase()
  @HttpCode(200)
  @Access({ staff: ['visits-officer'] })
  @ApiProblems(400, 401, 403, 404, 422)
  reject(
    @UuidParam('id') id: string,
    @Body() dto: RejectLongVisitDto,
    @CurrentPrincipal() actor: StaffPrincipal,
  ): Promise<LongVisitDto> {
    return this.records.reject(id, dto.reason, actor);
  }

  /**
   * Cancel a requested or approved visit: the booking relative before it starts, a visits officer
   * until it ends. Its room is free again.
   */
  @Post('long-visits/:id/cancel')
  @UseCase()
  @HttpCode(200)
  @Access({ staff: ['visits-officer'], relative: true })
  @ApiProblems(400, 401, 403, 404, 422)
  cancel(
    @UuidParam('id') id: string,
    @Body() dto: CancelLongVisitDto,
    @CurrentPrincipal() caller: Principal,
  ): Promise<LongVisitDto> {
    return this.records.cancel(id, dto?.reason, caller);
  }
}
