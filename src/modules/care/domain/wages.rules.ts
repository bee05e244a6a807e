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

/** How many months before the one paid a payroll also looks at for days recorded late. */
export const ARREARS_MONTHS = 3;

/** The `n` months before `month`, oldest first (`YYYY-MM`). */
export function monthsBefore(month: string, n: number): string[] {
  const [y, m] = month.split('-').map(Number);
  const out: string[] = [];
  for (let i = n; i >= 1; i--) {
    const k = y * 12 + (m - 1) - i;
    out.push(`${Math.floor(k / 12)}-${String((k % 12) + 1).padStart(2, '0')}`);
  }
  return out;
}

/** A payment of a month's wage already made: how many days it paid up to, and how much. */
export interface WagePaid {
  days: number;
  paidDaysAfter: number;
  amountMinor: number;
}

/** What is still owed to one orderly for one month: the days not yet paid, and their money. */
export interface WageOwed {
  days: number;
  paidDaysAfter: number;
  amountMinor: number;
}

/**
 * What is owed for a month to an orderly who held the position over `periods` and was paid
 * `paid` before: the days held (wageDays) not yet paid, at the whole month's wage pro rata less
 * what was paid (so the month adds up to wageFor(all its days) whatever the rounding of each
 * payment). Null when nothing is owed. Days recorded late (a back-dated appointment) are owed like
 * any; no day is owed twice.
 */
export function wageOwed(
  periods: ReadonlyArray<{ from: string; until: string | null }>,
  month: string,
  monthlyMinor: number,
  paid: readonly WagePaid[],
): WageOwed | null {
  const held = wageDays(periods, month);
  const paidDays = paid.reduce((n, w) => Math.max(n, w.paidDaysAfter), 0);
  if (held <= paidDays) return null;
  const amountMinor = wageFor(monthlyMinor, held) - paid.reduce((s, w) => s + w.amountMinor, 0);
  if (amountMinor <= 0) return null;
  return { days: held - paidDays, paidDaysAfter: held, amountMinor };
}
