import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Access, CurrentPrincipal } from '../../common/auth/access.decorator';
import { Principal } from '../../common/auth/principal';
import { PHONE_READERS } from '../../common/auth/roles';
import { ApiProblems } from '../../common/http/api-problems.decorator';
import { UuidParam } from '../../common/http/uuid-param.decorator';
import { UseCase } from '../../common/use-case/use-case.decorator';
import { BookingsService } from './bookings.service';
import {
  BookingDto,
  CancelBookingDto,
  CreateBookingDto,
  PhoneDayDto,
  SlotsQueryDto,
} from './dto/booking.dto';
import { PhoneScheduleService } from './phone-schedule.service';

@ApiTags('payphones')
@Controller()
export class BookingsController {
  constructor(
    private readonly schedule: PhoneScheduleService,
    private readonly bookings: BookingsService,
  ) {}

  /**
   * The phone's slots of a local date (facility time) inside the hours of the policy in force on
   * it, free and booked; a slot is one longest call (`payphones.maxCallMinutes`).
   */
  @Get('payphones/:terminalId/slots')
  @Access({ staff: PHONE_READERS, terminals: ['payphone'] })
  @ApiProblems(400, 401, 403, 404)
  slots(
    @UuidParam('terminalId') terminalId: string,
    @Query() q: SlotsQueryDto,
    @CurrentPrincipal() actor: Principal,
  ): Promise<PhoneDayDto> {
    return this.schedule.day(terminalId, q.date, actor);
  }

  /**
   * Book the phone for a prisoner held in its facility, inside the opening hours of that day (else
   * 422 `OUTSIDE_HOURS`). The database refuses an overlap on the phone (409
   * `BOOKING_SLOT_TAKEN`) and a prisoner on two phones at once (409 `PRISONER_ALREADY_BOOKED`).
   */
  @Post('payphones/:terminalId/bookings')
  @UseCase()
  @Access({ staff: ['phone-officer'] })
  @ApiProblems(400, 401, 403, 404, 409, 422)
  book(
    @UuidParam('terminalId') terminalId: string,
    @Body() dto: CreateBookingDto,
    @CurrentPrincipal() actor: Principal,
  ): Promise<BookingDto> {
    return this.bookings.book(terminalId, dto, actor);
  }

  /** Cancel a booking, with an optional reason. */
  @Post('payphone-bookings/:id/cancel')
  @UseCase()
  @HttpCode(200)
  @Access({ staff: ['phone-officer'] })
  @ApiProblems(400, 401, 403, 404, 422)
  cancel(
    @UuidParam('id') id: string,
    @Body() dto: CancelBookingDto,
    @CurrentPrincipal() actor: Principal,
  ): Promise<BookingDto> {
    return this.bookings.cancel(id, dto?.reason ?? null, actor);
  }
}
