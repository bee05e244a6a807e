import { DomainError } from '../../../common/errors/domain-error';

/**
 * Care keeps its periods as local dates of the facility (`YYYY-MM-DD`): a record, a position or an
 * assignment holds over [from, until), `until` the first day it no longer holds (null: open).
 */

/** How far back a date may be given, to record on the system what was decided on paper. */
export const MAX_DAYS_BACK = 60;

const DAY_MS = 86_400_000;

function utcDay(d: string): number {
  const [y, m, day] = d.split('-').map(Number);
  return Date.UTC(y, m - 1, day);
}

/** Days from `a` to `b` (negative when `b` is earlier). */
export function daysBetween(a: string, b: string): number {
  return Math.round((utcDay(b) - utcDay(a)) / DAY_MS);
}

export function addDays(d: string, n: number): string {
  return new Date(utcDay(d) + n * DAY_MS).toISOString().slice(0, 10);
}

/** Whether a period [from, until) holds on `day`. */
export function holdsOn(p: { from: string; until: string | null }, day: string): boolean {
  return p.from <= day && (p.until === null || day < p.until);
}

/**
 * A start date given by an officer: not in the future, and at most MAX_DAYS_BACK days back (an
 * appointment or assignment made on paper is recorded within two months, never later).
 */
export function assertStartDate(from: string, today: string, field = 'from'): void {
  if (from > today) {
    throw new DomainError('DATE_OUT_OF_RANGE', `${field} is after today (${today})`, [
      { field, message: 'must not be in the future' },
    ]);
  }
  if (daysBetween(from, today) > MAX_DAYS_BACK) {
    throw new DomainError(
      'DATE_OUT_OF_RANGE',
      `${field} is more than ${MAX_DAYS_BACK} days before today (${today})`,
      [{ field, message: `at most ${MAX_DAYS_BACK} days back` }],
    );
  }
}

/** An end date: on or after the start (on it: the period never held), not in the future. */
export function assertEndDate(
  period: { from: string },
  until: string,
  today: string,
  field = 'until',
): void {
  if (until < period.from) {
    throw new DomainError('DATE_OUT_OF_RANGE', `${field} is before the start (${period.from})`, [
      { field, message: 'must not be before the start' },
    ]);
  }
  if (until > today) {
    throw new DomainError('DATE_OUT_OF_RANGE', `${field} is after today (${today})`, [
      { field, message: 'must not be in the future' },
    ]);
  }
}
