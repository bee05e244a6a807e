import { DateTime } from 'luxon';
import { DomainError } from '../../../common/errors/domain-error';

export const LONG_VISIT_STATUSES = [
  'requested',
  'approved',
  'rejected',
  'cancelled',
  'completed',
  'no-show',
] as const;
export type LongVisitStatus = (typeof LONG_VISIT_STATUSES)[number];

/** Bookings that hold a room and the prisoner's time (the database's exclusion constraints say the same). */
export const LIVE_STATUSES: readonly LongVisitStatus[] = ['requested', 'approved'];

/** Bookings that use a place of the yearly entitlement. */
export const COUNTED_STATUSES: readonly LongVisitStatus[] = ['requested', 'approved', 'completed'];

/** Lengths the availability calendar shows: visits of 1, 2 and 3 days. */
export const CALENDAR_LENGTHS = [1, 2, 3] as const;

/** The most local dates one availability answer (or a staff day plan) covers. */
export const MAX_WINDOW_DATES = 92;

/** The rules of one booking, from the policy in force (see LongVisitRulesService). */
export interface BookingRules {
  bookingWindowDays: number;
  maxDays: number;
  maxVisitors: number;
  /** Long visits a year for this prisoner's level and conditions of serving. */
  perYear: number;
}

export interface BookingRequest {
  /** Today in the facility's zone. */
  today: string;
  startDate: string;
  days: number;
  visitors: number;
  /** Requested, approved and completed visits of the prisoner in the visit's calendar year. */
  usedThisYear: number;
}

/** `date` plus `n` days, as local dates. */
export function addDays(date: string, n: number): string {
  return DateTime.fromISO(date, { zone: 'UTC' }).plus({ days: n }).toISODate()!;
}

/** Whole days from `a` to `b` (local dates). */
export function daysBetween(a: string, b: string): number {
  return Math.round(
    DateTime.fromISO(b, { zone: 'UTC' }).diff(DateTime.fromISO(a, { zone: 'UTC' }), 'days').days,
  );
}

/** The local dates from `from` to `to`, both included. */
export function datesFrom(from: string, to: string): string[] {
  const out: string[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) out.push(d);
  return out;
}

/** The local date of an instant in a zone. */
export function localDate(at: Date, zone: string): string {
  return DateTime.fromJSDate(at, { zone }).toISODate()!;
}

/** Midnight starting a local date, as an instant (when a policy "in force on that date" is read). */
export function startOfDate(date: string, zone: string): Date {
  return DateTime.fromISO(date, { zone }).startOf('day').toJSDate();
}

/**
 * A visit's time: from the check-in time of its first day to the check-out time of its last, in
 * the facility's zone.
 */
export function visitSpan(
  startDate: string,
  days: number,
  times: { checkIn: string; checkOut: string },
  zone: string,
): { endDate: string; startsAt: Date; endsAt: Date } {
  const endDate = addDays(startDate, days - 1);
  const startsAt = DateTime.fromISO(`${startDate}T${times.checkIn}`, { zone }).toJSDate();
  const endsAt = DateTime.fromISO(`${endDate}T${times.checkOut}`, { zone }).toJSDate();
  if (endsAt.getTime() <= startsAt.getTime()) {
    throw new DomainError(
      'POLICY_MISSING',
      `visits.long.checkOutTime (${times.checkOut}) must be after visits.long.checkInTime (${times.checkIn})`,
    );
  }
  return { endDate, startsAt, endsAt };
}

/** A local window of dates for availability or a day plan: from ≤ to, at most 92 dates. */
export function assertWindow(from: string, to: string): void {
  if (to < from) {
    throw new DomainError('VALIDATION_FAILED', 'to is before from', [
      { field: 'to', message: 'to must not be before from' },
    ]);
  }
  if (daysBetween(from, to) + 1 > MAX_WINDOW_DATES) {
    throw new DomainError('VALIDATION_FAILED', `At most ${MAX_WINDOW_DATES} dates at once`, [
      { field: 'to', message: `the window covers at most ${MAX_WINDOW_DATES} local dates` },
    ]);
  }
}

/** Whether a visit may start on this date when booked today (tomorrow at the earliest). */
export function inBookingWindow(today: string, startDate: string, windowDays: number): boolean {
  return startDate > today && daysBetween(today, startDate) <= windowDays;
}

/**
 * The rules a booking must meet, in this order: when it starts, how long, how many visitors, and
 * the prisoner's yearly entitlement. The first broken one refuses it with its own code.
 */
export function checkBooking(rules: BookingRules, r: BookingRequest): void {
  if (!inBookingWindow(r.today, r.startDate, rules.bookingWindowDays)) {
    throw new DomainError(
      'LONG_VISIT_OUTSIDE_WINDOW',
      `A long visit starts from ${addDays(r.today, 1)} to ${addDays(r.today, rules.bookingWindowDays)}`,
      [{ field: 'startDate', message: 'outside the booking window' }],
    );
  }
  if (r.days > rules.maxDays) {
    throw new DomainError(
      'LONG_VISIT_TOO_LONG',
      `A long visit lasts at most ${rules.maxDays} days`,
      [{ field: 'days', message: `at most ${rules.maxDays}` }],
    );
  }
  if (r.visitors > rules.maxVisitors) {
    throw new DomainError(
      'LONG_VISIT_TOO_MANY_VISITORS',
      `A long visit admits at most ${rules.maxVisitors} visitors`,
      [{ field: 'visitors', message: `at most ${rules.maxVisitors}` }],
    );
  }
  if (r.usedThisYear >= rules.perYear) {
    throw new DomainError(
      'LONG_VISIT_ENTITLEMENT_USED',
      `The prisoner has had or booked ${r.usedThisYear} of ${rules.perYear} long visits this year`,
    );
  }
}

export type Decision = 'approve' | 'reject' | 'cancel';

interface VisitState {
  status: LongVisitStatus;
  startsAt: Date;
  endsAt: Date;
}

/**
 * requested → approved or rejected (before it starts); requested or approved → cancelled: by the
 * booking relative before it starts, by staff until it ends.
 */
export function assertDecision(
  v: VisitState,
  d: Decision,
  by: 'relative' | 'staff' | 'terminal',
  now: Date,
): void {
  const refuse = (why: string) => {
    throw new DomainError('ILLEGAL_TRANSITION', why);
  };
  const started = now.getTime() >= v.startsAt.getTime();
  const ended = now.getTime() >= v.endsAt.getTime();
  if (d === 'cancel') {
    if (!LIVE_STATUSES.includes(v.status)) refuse(`A visit ${v.status} cannot be cancelled`);
    if (by === 'relative' && started) refuse('The visit has started: ask the facility');
    if (ended) refuse('The visit has ended');
    return;
  }
  if (v.status !== 'requested') refuse(`The visit is already ${v.status}`);
  if (d === 'approve' && started) refuse('The visit has started');
}

// Letters and digits that cannot be mistaken for one another (no 0/O, 1/I/L).
const REFERENCE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';

/** A short reference a person can read out: `LV-7K3M-Q9TA`; `random(n)` is in [0, n). */
export function newReference(random: (n: number) => number): string {
  const part = () =>
    Array.from({ length: 4 }, () => REFERENCE_ALPHABET[random(REFERENCE_ALPHABET.length)]).join('');
  return `LV-${part()}-${part()}`;
}

export const REFERENCE_PATTERN = /^LV-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}$/;
