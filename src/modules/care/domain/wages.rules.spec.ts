import { codeOf } from '../../../../test/support/domain-error-code';
import {
  assertMonthEnded,
  monthBounds,
  monthsBefore,
  wageDays,
  wageFor,
  wageOwed,
} from './wages.rules';

describe('orderlies’ wages, on a 30-day month', () => {
  it('knows where a month starts and ends', () => {
    expect(monthBounds('2026-11')).toEqual({ first: '2026-11-01', next: '2026-12-01' });
    expect(monthBounds('2026-12')).toEqual({ first: '2026-12-01', next: '2027-01-01' });
    expect(() => monthBounds('2026-13')).toThrow();
  });

  it('pays a month once it has ended in the facility', () => {
    expect(codeOf(() => assertMonthEnded('2026-11', '2026-12-01'))).toBeUndefined();
    expect(codeOf(() => assertMonthEnded('2026-11', '2026-11-30'))).toBe('MONTH_NOT_ENDED');
    expect(codeOf(() => assertMonthEnded('2027-01', '2026-12-01'))).toBe('MONTH_NOT_ENDED');
  });

  it.each<[string, string, string, string | null, number]>([
    ['a whole 30-day month', '2026-11', '2026-11-01', null, 30],
    ['a whole 31-day month', '2026-12', '2026-12-01', null, 30],
    ['a whole February', '2026-02', '2026-02-01', null, 30],
    ['a whole leap February', '2024-02', '2024-02-01', null, 30],
    ['from before the month', '2026-11', '2025-06-15', null, 30],
    ['from the 16th of November', '2026-11', '2026-11-16', null, 15],
    ['from the 16th of December', '2026-12', '2026-12-16', null, 15],
    ['from the 15th of February', '2026-02', '2026-02-15', null, 16],
    ['the 31st alone', '2026-12', '2026-12-31', null, 1],
    ['the first ten days', '2026-11', '2026-11-01', '2026-11-11', 10],
    ['dismissed on the 31st', '2026-12', '2026-12-01', '2026-12-31', 30],
    ['dismissed on the first of the next month', '2026-11', '2026-11-01', '2026-12-01', 30],
    ['appointed and dismissed the same day', '2026-11', '2026-11-05', '2026-11-05', 0],
    ['appointed after the month', '2026-11', '2026-12-01', null, 0],
    ['ended before the month', '2026-11', '2026-09-01', '2026-11-01', 0],
  ])('counts %s', (_name, month, from, until, days) => {
    expect(wageDays([{ from, until }], month)).toBe(days);
  });

  it('adds the periods of one month, never past 30 days', () => {
    const periods = [
      { from: '2026-11-01', until: '2026-11-06' },
      { from: '2026-11-21', until: null },
    ];
    expect(wageDays(periods, '2026-11')).toBe(15);
    expect(wageDays([{ from: '2026-10-01', until: null }, ...periods], '2026-11')).toBe(30);
  });

  it('pays the monthly wage pro rata, rounded down to a tiyn', () => {
    expect(wageFor(3_000_000, 30)).toBe(3_000_000);
    expect(wageFor(3_000_000, 15)).toBe(1_500_000);
    expect(wageFor(100, 1)).toBe(3);
    expect(wageFor(100, 29)).toBe(96);
    expect(wageFor(0, 30)).toBe(0);
  });

  it('knows the months before one, across a new year', () => {
    expect(monthsBefore('2027-02', 3)).toEqual(['2026-11', '2026-12', '2027-01']);
    expect(monthsBefore('2026-12', 1)).toEqual(['2026-11']);
  });

  it('owes the days held and not yet paid, whatever was paid before, never a day twice', () => {
    const held = [
      { from: '2026-10-01', until: '2026-10-11' },
      { from: '2026-10-21', until: null },
    ];
    // nothing paid yet: 10 + 10 days
    expect(wageOwed(held, '2026-10', 3_000_000, [])).toEqual({
      days: 20,
      paidDaysAfter: 20,
      amountMinor: 2_000_000,
    });
    // the first ten were paid before the re-appointment was recorded
    const first = { days: 10, paidDaysAfter: 10, amountMinor: 1_000_000 };
    expect(wageOwed(held, '2026-10', 3_000_000, [first])).toEqual({
      days: 10,
      paidDaysAfter: 20,
      amountMinor: 1_000_000,
    });
    // all paid: nothing
    expect(
      wageOwed(held, '2026-10', 3_000_000, [first, { ...first, paidDaysAfter: 20 }]),
    ).toBeNull();
    // the rounding of each payment never adds up to more than the month's days pro rata
    const odd = wageOwed(held, '2026-10', 100, [{ days: 10, paidDaysAfter: 10, amountMinor: 33 }]);
    expect(odd).toEqual({ days: 10, paidDaysAfter: 20, amountMinor: wageFor(100, 20) - 33 });
  });
});
