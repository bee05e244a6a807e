import { codeOf, refusalOf } from '../../../../test/support/domain-error-code';
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
    expect(() => monthBounds('2026-13')).toThrow('not a month: 2026-13');
  });

  it('ends a month before October on the first of a two-digit next month', () => {
    expect(monthBounds('2026-01')).toEqual({ first: '2026-01-01', next: '2026-02-01' });
    expect(monthBounds('2026-08')).toEqual({ first: '2026-08-01', next: '2026-09-01' });
  });

  it('takes a month to be exactly a four-digit year and a month, nothing before or after', () => {
    expect(() => monthBounds('2026-11-05')).toThrow('not a month: 2026-11-05');
    expect(() => monthBounds('12026-11')).toThrow('not a month: 12026-11');
  });

  it('pays a month once it has ended in the facility', () => {
    expect(codeOf(() => assertMonthEnded('2026-11', '2026-12-01'))).toBeUndefined();
    expect(codeOf(() => assertMonthEnded('2026-11', '2026-11-30'))).toBe('MONTH_NOT_ENDED');
    expect(codeOf(() => assertMonthEnded('2027-01', '2026-12-01'))).toBe('MONTH_NOT_ENDED');
  });

  it('says which month has not ended, and on which day it was asked', () => {
    const e = refusalOf(() => assertMonthEnded('2026-11', '2026-11-30'));
    expect(e.detail).toBe('2026-11 has not ended yet (today is 2026-11-30)');
    expect(e.errors).toEqual([{ field: 'month', message: 'must be a month that has ended' }]);
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
    ['from the 10th, dismissed in a later month', '2026-11', '2026-11-10', '2027-01-15', 21],
    ['dismissed the day after the month ended', '2026-11', '2026-11-01', '2026-12-02', 30],
    ['from before the month to after it', '2026-02', '2025-12-20', '2026-04-01', 30],
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

  describe('owes nothing', () => {
    const november = [{ from: '2026-11-01', until: null }];
    const paidAll = { days: 30, paidDaysAfter: 30, amountMinor: 3_000_000 };

    it('for days already paid, even at a wage raised since', () => {
      expect(wageOwed(november, '2026-11', 3_300_000, [paidAll])).toBeNull();
    });

    it('back for days paid and no longer held (an appointment cut short later)', () => {
      const shortened = [{ from: '2026-11-01', until: '2026-11-21' }];
      expect(wageOwed(shortened, '2026-11', 3_000_000, [paidAll])).toBeNull();
    });

    it('when the days not yet paid are worth less than a tiyn', () => {
      const lastDay = [{ from: '2026-11-30', until: null }];
      expect(wageOwed(lastDay, '2026-11', 29, [])).toBeNull();
      expect(wageOwed(lastDay, '2026-11', 30, [])).toEqual({
        days: 1,
        paidDaysAfter: 1,
        amountMinor: 1,
      });
    });

    it('when what was paid already covers the month at a wage cut since', () => {
      const firstTen = { days: 10, paidDaysAfter: 10, amountMinor: 1_000_000 };
      const firstTwenty = [{ from: '2026-11-01', until: '2026-11-21' }];
      // 20 days at 1 500 000 a month are 1 000 000: exactly what was paid
      expect(wageOwed(firstTwenty, '2026-11', 1_500_000, [firstTen])).toBeNull();
      // a whole month at 900 000 is less than was paid: nothing is owed, nothing taken back
      expect(wageOwed(november, '2026-11', 900_000, [firstTen])).toBeNull();
    });
  });
});
