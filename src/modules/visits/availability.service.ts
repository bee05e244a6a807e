import { Injectable } from '@nestjs/common';
import { Principal } from '../../common/auth/principal';
import { Clock } from '../../common/time/clock';
import { AccessService } from '../access/access.service';
import { FacilitiesService } from '../facilities/facilities.service';
import { ResolvedPolicy } from '../policies/policy.service';
import {
  addDays,
  assertWindow,
  CALENDAR_LENGTHS,
  datesFrom,
  inBookingWindow,
  localDate,
  startOfDate,
  visitSpan,
} from './domain/long-visit.rules';
import { freeRoomIds, RoomLoad, SlotSpan } from './domain/room-availability';
import { AvailabilityDto, AvailabilityQueryDto } from './dto/visit-room.dto';
import { LongVisitRulesService, VisitDayRules } from './long-visit-rules.service';
import { VisitRoomsRepository } from './visit-rooms.repository';

/** How far on either side of a refused date the nearest free ones are looked for. */
const NEAREST_SEARCH_DAYS = 14;
const NEAREST_SHOWN = 5;

/** A visit of `days` days from `date`, placed in time. */
interface Slot extends SlotSpan {
  date: string;
  days: number;
}

/**
 * Free rooms per local date, for the calendar a booking page draws: for a window of up to 92
 * dates, how many rooms are free for a visit starting each date and lasting 1, 2 and 3 days. The
 * visit times of each date come from the policy in force on it (resolved in memory, once per
 * interval a policy holds); the rooms with their bookings and closures are read in one statement
 * for the whole window, and each slot is reckoned against them in memory.
 */
@Injectable()
export class AvailabilityService {
  constructor(
    private readonly rooms: VisitRoomsRepository,
    private readonly rules: LongVisitRulesService,
    private readonly facilities: FacilitiesService,
    private readonly access: AccessService,
    private readonly clock: Clock,
  ) {}

  async forFacility(
    facilityId: string,
    q: AvailabilityQueryDto,
    caller: Principal,
  ): Promise<AvailabilityDto> {
    assertWindow(q.from, q.to);
    const facility = await this.facilities.require(facilityId);
    await this.access.requireFacilityOrLinked(caller, facilityId);
    const zone = facility.timeZone;
    const visitors = q.visitors ?? 1;
    const now = this.clock.now();
    const today = localDate(now, zone);
    const window = this.rules.bookingWindowDays(await this.rules.at(facilityId, now));
    const dates = datesFrom(q.from, q.to);
    const slots = await this.slotsOf(facilityId, dates, CALENDAR_LENGTHS, zone);
    const loads = await this.loadsFor(facilityId, slots, visitors);
    const free = new Map(slots.map((s) => [`${s.date}/${s.days}`, freeRoomIds(loads, s).length]));
    return {
      facilityId,
      fromDate: q.from,
      toDate: q.to,
      visitors,
      dates: dates.map((date) => ({
        date,
        bookable: inBookingWindow(today, date, window.value),
        freeRooms: CALENDAR_LENGTHS.map((days) => free.get(`${date}/${days}`) ?? 0),
      })),
    };
  }

  /** The rooms free for one visit, in the order they are offered (by name). */
  async freeRoomIds(facilityId: string, slot: Slot, visitors: number): Promise<string[]> {
    return freeRoomIds(await this.loadsFor(facilityId, [slot], visitors), slot);
  }

  /**
   * The nearest start dates to `startDate` (within the booking window) with a room free for a
   * visit of `days` days: what a refused booking offers instead.
   */
  async nearestFree(
    facilityId: string,
    zone: string,
    around: { startDate: string; days: number; visitors: number },
    bookable: { today: string; windowDays: number },
  ): Promise<string[]> {
    const first = maxDate(
      addDays(around.startDate, -NEAREST_SEARCH_DAYS),
      addDays(bookable.today, 1),
    );
    const last = minDate(
      addDays(around.startDate, NEAREST_SEARCH_DAYS),
      addDays(bookable.today, bookable.windowDays),
    );
    const dates = datesFrom(first, last).filter((d) => d !== around.startDate);
    const slots = await this.slotsOf(facilityId, dates, [around.days], zone);
    const loads = await this.loadsFor(facilityId, slots, around.visitors);
    const distance = (d: string) => Math.abs(Date.parse(d) - Date.parse(around.startDate));
    return slots
      .filter((s) => freeRoomIds(loads, s).length > 0)
      .map((s) => s.date)
      .sort((a, b) => distance(a) - distance(b) || a.localeCompare(b))
      .slice(0, NEAREST_SHOWN)
      .sort();
  }

  /** A visit of `days` days from `date`, at the times of the policy in force on `date`. */
  slot(date: string, days: number, rules: VisitDayRules, zone: string): Slot {
    const { endDate, startsAt, endsAt } = visitSpan(date, days, rules, zone);
    return {
      date,
      days,
      firstDate: date,
      lastDate: endDate,
      startsAt: startsAt.getTime(),
      endsAt: endsAt.getTime(),
    };
  }

  /** The rooms with what occupies them over the slots' dates and times; none for no slot. */
  private loadsFor(facilityId: string, slots: Slot[], visitors: number): Promise<RoomLoad[]> {
    if (slots.length === 0) return Promise.resolve([]);
    return this.rooms.roomLoads(facilityId, visitors, {
      from: new Date(Math.min(...slots.map((s) => s.startsAt))),
      to: new Date(Math.max(...slots.map((s) => s.endsAt))),
      firstDate: slots.reduce((m, s) => minDate(m, s.firstDate), slots[0].firstDate),
      lastDate: slots.reduce((m, s) => maxDate(m, s.lastDate), slots[0].lastDate),
    });
  }

  /**
   * The visits of each length from each date, up to the longest the policy in force on the date
   * allows. A policy resolved for one date serves every following date it still covers.
   */
  private async slotsOf(
    facilityId: string,
    dates: string[],
    lengths: readonly number[],
    zone: string,
  ): Promise<Slot[]> {
    const slots: Slot[] = [];
    let policy: ResolvedPolicy | undefined;
    let rules: VisitDayRules | undefined;
    for (const date of dates) {
      const at = startOfDate(date, zone);
      if (!policy || !rules || !covers(policy, at)) {
        policy = await this.rules.at(facilityId, at);
        rules = this.rules.dayRules(policy);
      }
      for (const days of lengths) {
        if (days <= rules.maxDays) slots.push(this.slot(date, days, rules, zone));
      }
    }
    return slots;
  }
}

function covers(p: ResolvedPolicy, at: Date): boolean {
  const t = at.getTime();
  return (
    (p.validFrom === null || p.validFrom.getTime() <= t) &&
    (p.validUntil === null || t < p.validUntil.getTime())
  );
}

const maxDate = (a: string, b: string) => (a > b ? a : b);
const minDate = (a: string, b: string) => (a < b ? a : b);
