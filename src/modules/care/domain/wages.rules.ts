import { DomainError } from '../../../common/errors/domain-error';
import { addDays } from './care-dates';

/** Wages are counted on a 30-day month: a whole month held is 30 days whatever its length. */
export const DAYS_IN_WAGE_MONTH = 30;

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

/** The month's first day and the first day of the next, as local dates. */
export function monthBounds(month: string): { first: string; next: string } {
  const m = MONTH.exec(month);
  if (!m) throw new Error(`not a month: ${month}`);
  const [y, mo] = [Number(m[1]), Number(m[2])];
  const next = mo === 12 ? `${y + 1}-01-01` : `${m[1]}-${String(mo + 1).padStart(2, '0')}-01`;
  return { first: `${month}-01`, next };
}

/** Payroll runs for a month that has ended in the facility (`today` its local date). */
export function assertMonthEnded(month: string, today: string): void {
  if (today < monthBounds(month).next) {
    throw new DomainError('MONTH_NOT_ENDED', `${month} has not ended yet (today is ${today})`, [
      { field: 'month', message: 'must be a month that has ended' },
    ]);
  }
}

/**
 * Days of `month` the periods [from, until) cover, on the 30-day basis: a day counts as its
 * number, the 31st as the 30th, and the month's last day as the 30th (so a whole February is 30
 * days, and a position held from the 16th of any month to its end is 15). At most 30.
 */
export function wageDays(
  periods: ReadonlyArray<{ from: string; until: string | null }>,
  month: string,
): number {
  const { first, next } = monthBounds(month);
  const lastDay = addDays(next, -1);
  const day30 = (d: string) =>
    d === lastDay ? DAYS_IN_WAGE_MONTH : Math.min(Number(d.slice(8)), 30);
  let days = 0;
  for (const p of periods) {
    const from = p.from > first ? p.from : first;
    const until = p.until !== null && p.until < next ? p.until : next;
    if (from >= until) continue;
    days += day30(addDays(until, -1)) - day30(from) + 1;
  }
  return Math.min(days, DAYS_IN_WAGE_MONTH);
}

/** The wage for `days` of a month: the monthly wage pro rata, rounded down to a whole tiyn. */
export function wageFor(monthlyMinor: number, days: number): number {
  return Number((BigInt(monthlyMinor) * BigInt(days)) / BigInt(DAYS_IN_WAGE_MONTH));
}
