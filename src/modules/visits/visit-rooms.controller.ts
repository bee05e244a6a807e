import { Body, Controller, Get, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Access, CurrentPrincipal } from '../../common/auth/access.decorator';
import { Principal, StaffPrincipal } from '../../common/auth/principal';
import { ApiProblems } from '../../common/http/api-problems.decorator';
import { UuidParam } from '../../common/http/uuid-param.decorator';
import { UseCase } from '../../common/use-case/use-case.decorator';
import { AvailabilityService } from './availability.service';
import {
  AvailabilityDto,
  AvailabilityQueryDto,
  CloseVisitRoomDto,
  CreateVisitRoomDto,
  VisitRoomClosureDto,
  VisitRoomDto,
} from './dto/visit-room.dto';
import { VisitRoomsService } from './visit-rooms.service';

@ApiTags('long visits')
@ApiBearerAuth()
@Controller()
export class VisitRoomsController {
  constructor(
    private readonly rooms: VisitRoomsService,
    private readonly availability: AvailabilityService,
  ) {}

  /** Add a room long visits take place in. */
  @Post('facilities/:facilityId/visit-rooms')
  @UseCase()
  @Access({ staff: ['admin', 'visits-officer'], facilityParam: 'facilityId' })
  @ApiProblems(400, 401, 403, 404, 409)
  create(
    @UuidParam('facilityId') facilityId: string,
    @Body() dto: CreateVisitRoomDto,
    @CurrentPrincipal() actor: StaffPrincipal,
  ): Promise<VisitRoomDto> {
    return this.rooms.create(facilityId, dto, actor);
  }

  /** The facility's visit rooms. */
  @Get('facilities/:facilityId/visit-rooms')
  @Access({ staff: ['admin', 'visits-officer', 'auditor'], facilityParam: 'facilityId' })
  @ApiProblems(400, 401, 403, 404)
  list(
    @UuidParam('facilityId') facilityId: string,
    @CurrentPrincipal() actor: StaffPrincipal,
  ): Promise<VisitRoomDto[]> {
    return this.rooms.list(facilityId, actor);
  }

  /**
   * Close a room for a range of local dates (repairs). The live bookings with a day in the range
   * are cancelled, with the reason; the relatives see it on their bookings.
   */
  @Post('visit-rooms/:id/closures')
  @UseCase()
  @Access({ staff: ['admin', 'visits-officer'] })
  @ApiProblems(400, 401, 403, 404)
  close(
    @UuidParam('id') id: string,
    @Body() dto: CloseVisitRoomDto,
    @CurrentPrincipal() actor: StaffPrincipal,
  ): Promise<VisitRoomClosureDto> {
    return this.rooms.close(id, dto, actor);
  }

  /**
   * Free rooms per local date, for a booking calendar: for each date from `from` to `to` (at most
   * 92), how many rooms are free for a visit starting that day and lasting 1, 2 and 3 days. Open
   * to the facility's staff and to relatives linked to a prisoner held there.
   */
  @Get('facilities/:facilityId/long-visits/availability')
  @Access({ staff: ['admin', 'visits-officer', 'auditor'], relative: true })
  @ApiProblems(400, 401, 403, 404, 422)
  availabilityOf(
    @UuidParam('facilityId') facilityId: string,
    @Query() q: AvailabilityQueryDto,
    @CurrentPrincipal() caller: Principal,
  ): Promise<AvailabilityDto> {
    return this.availability.forFacility(facilityId, q, caller);
  }
}
