import { Injectable } from '@nestjs/common';
import { DateTime } from 'luxon';
import { Principal } from '../../common/auth/principal';
import { NotFoundError } from '../../common/errors/domain-error';
import { AccessService } from '../access/access.service';
import { TerminalsService } from '../access/terminals.service';
import { FacilitiesService } from '../facilities/facilities.service';
import { PolicyService } from '../policies/policy.service';
import { BookingsRepository } from './bookings.repository';
import { CallPolicyService } from './call-policy.service';
import { slotsOf } from './domain/booking.rules';
import { DayWindow, windowOn } from './domain/hours';
import { BookingDto, PhoneDayDto } from './dto/booking.dto';

/** What a call decision needs of a phone's bookings. */
export interface PhoneNow {
  /** The phone is booked now for someone else. */
  bookedForOther: boolean;
  /** Seconds until the phone's next booking by someone else before `until` (null: none). */
  secondsToNextBooking: number | null;
}

/** A payphone, as the schedule knows it. */
export interface Payphone {
  id: string;
  facilityId: string;
  zone: string;
}

/** The phones' schedule: a day's slots, the hours a booking must keep, what a call decision sees. */
@Injectable()
export class PhoneScheduleService {
  constructor(
    private readonly bookings: BookingsRepository,
    private readonly terminals: TerminalsService,
    private readonly facilities: FacilitiesService,
    private readonly policies: PolicyService,
    private readonly rules: CallPolicyService,
    private readonly access: AccessService,
  ) {}

  async forCall(terminalId: string, prisonerId: string, now: Date, until: Date): Promise<PhoneNow> {
    const b = await this.bookings.forCall(terminalId, prisonerId, now, until);
    const seconds = b.nextStart ? Math.floor((b.nextStart.getTime() - now.getTime()) / 1000) : null;
    // a booking starting within the second is a booking now
    return {
      bookedForOther: b.bookedNow || (seconds !== null && seconds < 1),
      secondsToNextBooking: seconds !== null && seconds >= 1 ? seconds : null,
    };
  }

  /**
   * The payphone, if the caller may touch it: staff of its facility, or the payphone itself;
   * another kind of terminal, or a phone elsewhere, is not found.
   */
  async payphone(terminalId: string, actor: Principal): Promise<Payphone> {
    const t = await this.terminals.find(terminalId);
    const reachable =
      t !== null &&
      t.kind === 'payphone' &&
      (actor.kind !== 'terminal' || actor.id === t.id) &&
      this.access.inFacility(actor, t.facilityId);
    if (!reachable) throw new NotFoundError('Payphone');
    const f = await this.facilities.require(t.facilityId);
    return { id: t.id, facilityId: t.facilityId, zone: f.timeZone };
  }

  /** Opening to closing on the local date of the policy in force at `at`, and the versions. */
  async window(
    phone: Payphone,
    date: string,
    at: Date,
  ): Promise<DayWindow & { slotMinutes: number; versionIds: string[] }> {
    const rules = this.rules.rules(await this.policies.resolve(phone.facilityId, at), null);
    return {
      ...windowOn(date, phone.zone, rules),
      slotMinutes: rules.maxCallMinutes,
      versionIds: rules.versionIds,
    };
  }

  /** The slots of a local date inside the hours of the policy in force on it, free and booked. */
  async day(terminalId: string, date: string, actor: Principal): Promise<PhoneDayDto> {
    const phone = await this.payphone(terminalId, actor);
    const midnight = DateTime.fromISO(date, { zone: phone.zone }).startOf('day').toJSDate();
    const w = await this.window(phone, date, midnight);
    const booked = await this.bookings.overlapping(phone.id, w.opensAt, w.closesAt);
    return {
      terminalId: phone.id,
      date,
      opensAt: w.opensAt.toISOString(),
      closesAt: w.closesAt.toISOString(),
      slotMinutes: w.slotMinutes,
      slots: slotsOf(w, w.slotMinutes, booked).map((s) => ({
        startsAt: s.startsAt.toISOString(),
        endsAt: s.endsAt.toISOString(),
        free: s.bookings.length === 0,
        bookings: s.bookings.map(BookingDto.from),
      })),
      policyVersionIds: w.versionIds,
    };
  }
}
