import { Injectable } from '@nestjs/common';
import { QueryFailedError } from 'typeorm';
import { Principal } from '../../common/auth/principal';
import { UnitOfWork } from '../../common/database/unit-of-work';
import { DomainError, NotFoundError } from '../../common/errors/domain-error';
import { Clock } from '../../common/time/clock';
import { AccessService } from '../access/access.service';
import { AuditService } from '../audit/audit.service';
import { PrisonerRegistryService } from '../facilities/prisoner-registry.service';
import { BookingsRepository } from './bookings.repository';
import { withinHours } from './domain/booking.rules';
import { localDay } from './domain/hours';
import { BookingDto, CreateBookingDto } from './dto/booking.dto';
import { PhoneScheduleService } from './phone-schedule.service';

/** What the database's exclusion constraints refuse, as the API says it. */
const OVERLAPS: Record<string, DomainError> = {
  payphone_bookings_phone_overlap: new DomainError(
    'BOOKING_SLOT_TAKEN',
    'The phone is booked for part of this time',
    [{ field: 'startsAt', message: 'overlaps a booking of this phone' }],
  ),
  payphone_bookings_prisoner_overlap: new DomainError(
    'PRISONER_ALREADY_BOOKED',
    'The prisoner is booked on another phone for part of this time',
    [{ field: 'startsAt', message: 'overlaps a booking of the prisoner' }],
  ),
};

/** Phone officers book a payphone for a prisoner, inside the hours, and cancel bookings. */
@Injectable()
export class BookingsService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly bookings: BookingsRepository,
    private readonly schedule: PhoneScheduleService,
    private readonly prisoners: PrisonerRegistryService,
    private readonly access: AccessService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async book(terminalId: string, dto: CreateBookingDto, actor: Principal): Promise<BookingDto> {
    const phone = await this.schedule.payphone(terminalId, actor);
    const p = await this.prisoners.require(dto.prisonerId, actor);
    if (p.facilityId !== phone.facilityId || p.status !== 'held')
      throw new DomainError('PRISONER_NOT_HELD', 'The prisoner is not held where this phone is', [
        { field: 'prisonerId', message: 'not held in the phone’s facility' },
      ]);
    const now = this.clock.now();
    const span = {
      startsAt: dto.startsAt,
      endsAt: new Date(dto.startsAt.getTime() + dto.minutes * 60_000),
    };
    if (span.startsAt.getTime() < now.getTime())
      throw new DomainError('RULE_VIOLATION', 'A booking cannot start in the past', [
        { field: 'startsAt', message: 'in the past' },
      ]);
    const date = localDay(span.startsAt, phone.zone).date;
    const w = await this.schedule.window(phone, date, span.startsAt);
    if (!withinHours(span, w)) {
      throw new DomainError(
        'OUTSIDE_HOURS',
        `The payphones are open ${w.opensAt.toISOString()} to ${w.closesAt.toISOString()} that day`,
        [{ field: 'startsAt', message: 'the booking must lie inside the opening hours' }],
      );
    }
    return this.uow.run(async () => {
      let b;
      try {
        b = await this.bookings.insert({
          facilityId: phone.facilityId,
          terminalId: phone.id,
          prisonerId: p.id,
          ...span,
          localDate: date,
          policyVersionIds: w.versionIds,
          createdBy: actor.id,
          createdAt: now,
        });
      } catch (err) {
        const refusal = overlap(err);
        if (refusal) throw refusal;
        throw err;
      }
      this.audit.record({
        action: 'payphone-booking.create',
        targetType: 'payphone-booking',
        targetId: b.id,
        facilityId: b.facilityId,
        summary: {
          terminalId: b.terminalId,
          prisonerId: b.prisonerId,
          startsAt: b.startsAt.toISOString(),
          endsAt: b.endsAt.toISOString(),
        },
        policyVersionIds: w.versionIds,
        actor,
      });
      return BookingDto.from(b);
    });
  }

  cancel(id: string, reason: string | null, actor: Principal): Promise<BookingDto> {
    return this.uow.run(async () => {
      const b = await this.bookings.find(id, true);
      if (!b) throw new NotFoundError('Booking');
      await this.access.requireHeld(actor, 'payphone-booking', b);
      if (b.status !== 'booked')
        throw new DomainError('BOOKING_NOT_ACTIVE', 'The booking is cancelled already');
      const now = this.clock.now();
      await this.bookings.cancel(b.id, actor.id, now, reason);
      this.audit.record({
        action: 'payphone-booking.cancel',
        targetType: 'payphone-booking',
        targetId: b.id,
        facilityId: b.facilityId,
        summary: { prisonerId: b.prisonerId, reason },
        actor,
      });
      return BookingDto.from({ ...b, status: 'cancelled', cancelledAt: now });
    });
  }
}

function overlap(err: unknown): DomainError | undefined {
  if (!(err instanceof QueryFailedError)) return undefined;
  const d = err.driverError as { code?: string; constraint?: string };
  return d.code === '23P01' ? OVERLAPS[d.constraint ?? ''] : undefined;
}
