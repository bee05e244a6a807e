import { Injectable } from '@nestjs/common';
import { Principal } from '../../common/auth/principal';
import { Clock } from '../../common/time/clock';
import { AccessService } from '../access/access.service';
import { FacilitiesService } from '../facilities/facilities.service';
import {
  addDays,
  assertWindow,
  CALENDAR_LENGTHS,
  datesFrom,
  inBookingWindow,
  localDate,
  visitSpan,
} from './domain/long-visit.rules';
import { AvailabilityDto, AvailabilityQueryDto } from './dto/visit-room.dto';
import { LongVisitRulesService, VisitDayRules } from './long-visit-rules.service';
import { Slot, VisitRoomsRepository } from './visit-rooms.repository';

/** How far on either side of a refused date the nearest free ones are looked for. */
const NEAREST_SEARCH_DAYS = 14;
const NEAREST_SHOWN = 5;

/**
 * Free rooms per local date, for the calendar a booking page draws: for a window of up to 92
 * dates, how many rooms are free for a visit starting each date and lasting 1, 2 and 3 days. The
 * visit times of each date come from the policy in force on it (resolved in memory); the rooms,
 * bookings and closures are read in one statement for the whole window.
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
    const window = this.rules.bookingWindowDays(await this.rules.onDate(facilityId, today, zone));
    const dates = datesFrom(q.from, q.to);
    const dayRules = await this.dayRulesOf(facilityId, dates, zone);
    const slots = dates.flatMap((date, i) =>
      CALENDAR_LENGTHS.filter((days) => days <= dayRules[i].maxDays).map((days) =>
        this.slot(date, days, dayRules[i], zone),
      ),
    );
    const counts = await this.rooms.freeCounts(facilityId, slots, visitors);
    const free = new Map(counts.map((c) => [`${c.date}/${c.days}`, c.free]));
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
    if (last < first) return [];
    const dates = datesFrom(first, last).filter((d) => d !== around.startDate);
    const dayRules = await this.dayRulesOf(facilityId, dates, zone);
    const slots = dates
      .map((date, i) => ({ date, rules: dayRules[i] }))
      .filter((d) => around.days <= d.rules.maxDays)
      .map((d) => this.slot(d.date, around.days, d.rules, zone));
    const counts = await this.rooms.freeCounts(facilityId, slots, around.visitors);
    const distance = (d: string) => Math.abs(Date.parse(d) - Date.parse(around.startDate));
    return counts
      .filter((c) => c.free > 0)
      .map((c) => c.date)
      .sort((a, b) => distance(a) - distance(b) || a.localeCompare(b))
      .slice(0, NEAREST_SHOWN)
      .sort();
  }

  /** A visit of `days` days from `date`, at the times of the policy in force on `date`. */
  slot(date: string, days: number, rules: VisitDayRules, zone: string): Slot {
    const { startsAt, endsAt } = visitSpan(date, days, rules, zone);
    return { date, days, startsAt, endsAt };
  }

  private dayRulesOf(facilityId: string, dates: string[], zone: string): Promise<VisitDayRules[]> {
    return Promise.all(
      dates.map(async (d) => this.rules.dayRules(await this.rules.onDate(facilityId, d, zone))),
    );
  }
}

const maxDate = (a: string, b: string) => (a > b ? a : b);
const minDate = (a: string, b: string) => (a < b ? a : b);
