import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Access, CurrentPrincipal } from '../../common/auth/access.decorator';
import { Principal } from '../../common/auth/principal';
import { PARCEL_READERS, PRISONER_READERS } from '../../common/auth/roles';
import { ApiProblems } from '../../common/http/api-problems.decorator';
import { PageQueryDto } from '../../common/http/pagination';
import { UuidParam } from '../../common/http/uuid-param.decorator';
import {
  ChangeParcelStatusDto,
  FacilityParcelsQueryDto,
  IntakeDecisionDto,
  ParcelAllowanceDto,
  ParcelDto,
  ParcelPageDto,
  ParcelWithHistoryDto,
  RegisterParcelDto,
} from './dto/parcel.dto';
import { ParcelIntakeService } from './parcel-intake.service';
import { ParcelRecordsService } from './parcel-records.service';
import { ParcelStatusService } from './parcel-status.service';
import { UseCase } from '../../common/use-case/use-case.decorator';

@ApiTags('parcels')
@Controller()
export class ParcelsController {
  constructor(
    private readonly intake: ParcelIntakeService,
    private readonly records: ParcelRecordsService,
    private readonly status: ParcelStatusService,
  ) {}

  /**
   * Register a parcel or small parcel at the counter. The answer is a stored decision: `accepted`,
   * or `refused` with every reason (`OVERWEIGHT`, `QUOTA_EXCEEDED`, `PROHIBITED_ITEM`,
   * `PRISONER_NOT_IN_FACILITY`) and the policy versions applied.
   */
  @Post('facilities/:facilityId/parcels')
  @UseCase()
  @Access({ staff: ['intake-officer'], terminals: ['parcel-intake'], facilityParam: 'facilityId' })
  @ApiProblems(400, 401, 403, 404, 422)
  register(
    @UuidParam('facilityId') facilityId: string,
    @Body() dto: RegisterParcelDto,
    @CurrentPrincipal() actor: Principal,
  ): Promise<IntakeDecisionDto> {
    return this.intake.register(facilityId, dto, actor);
  }

  /** The facility's parcels of one local day (today by default), for the counter's end-of-day list. */
  @Get('facilities/:facilityId/parcels')
  @Access({ staff: PARCEL_READERS, terminals: ['parcel-intake'], facilityParam: 'facilityId' })
  @ApiProblems(400, 401, 403, 404)
  forDay(
    @UuidParam('facilityId') facilityId: string,
    @Query() q: FacilityParcelsQueryDto,
    @CurrentPrincipal() actor: Principal,
  ): Promise<ParcelPageDto> {
    return this.records.forFacilityDay(facilityId, q, actor);
  }

  /**
   * What is left of the prisoner's parcels this calendar year (facility time), for both kinds.
   * Refused parcels and parcels returned to the sender before inspection do not count; a parcel
   * with items seized does.
   */
  @Get('prisoners/:id/parcel-allowance')
  @Access({ staff: PRISONER_READERS, terminals: ['parcel-intake'] })
  @ApiProblems(400, 401, 403, 404, 422)
  allowance(
    @UuidParam('id') id: string,
    @CurrentPrincipal() actor: Principal,
  ): Promise<ParcelAllowanceDto> {
    return this.records.allowance(id, actor);
  }

  /** The prisoner's parcels, oldest first, refused ones included. */
  @Get('prisoners/:id/parcels')
  @Access({ staff: PARCEL_READERS, terminals: ['parcel-intake'] })
  @ApiProblems(400, 401, 403, 404)
  forPrisoner(
    @UuidParam('id') id: string,
    @Query() q: PageQueryDto,
    @CurrentPrincipal() actor: Principal,
  ): Promise<ParcelPageDto> {
    return this.records.forPrisoner(id, q, actor);
  }

  /** One parcel with its history. */
  @Get('parcels/:id')
  @Access({ staff: PARCEL_READERS, terminals: ['parcel-intake'] })
  @ApiProblems(400, 401, 403, 404)
  get(
    @UuidParam('id') id: string,
    @CurrentPrincipal() actor: Principal,
  ): Promise<ParcelWithHistoryDto> {
    return this.records.get(id, actor);
  }

  /**
   * received → inspected → handed-over; or returned (to the sender) or seized (with the reason and
   * the items). A parcel returned before inspection gives its place in the allowance back; a
   * seizure does not. Other moves answer 422.
   */
  @Post('parcels/:id/status')
  @UseCase()
  @HttpCode(200)
  @Access({ staff: ['intake-officer'] })
  @ApiProblems(400, 401, 403, 404, 422)
  changeStatus(
    @UuidParam('id') id: string,
    @Body() dto: ChangeParcelStatusDto,
    @CurrentPrincipal() actor: Principal,
  ): Promise<ParcelDto> {
    return this.status.changeStatus(id, dto, actor);
  }
}
