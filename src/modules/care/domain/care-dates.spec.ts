import { refusalOf, codeOf } from '../../../../test/support/domain-error-code';
import {
  addDays,
  assertEndDate,
  assertStartDate,
  daysBetween,
  holdsOn,
  MAX_DAYS_BACK,
} from './care-dates';

describe('care dates: local dates of the facility, periods [from, until)', () => {
  it('counts days across months, years and a leap day', () => {
    expect(daysBetween('2026-11-30', '2026-12-01')).toBe(1);
    expect(daysBetween('2026-12-31', '2027-01-01')).toBe(1);
    expect(daysBetween('2024-02-28', '2024-03-01')).toBe(2);
    expect(daysBetween('2026-03-01', '2026-02-28')).toBe(-1);
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2026-01-01', -1)).toBe('2025-12-31');
  });

  it('holds from its first day, up to but not on its until', () => {
    const p = { from: '2026-11-10', until: '2026-11-20' };
    expect(holdsOn(p, '2026-11-09')).toBe(false);
    expect(holdsOn(p, '2026-11-10')).toBe(true);
    expect(holdsOn(p, '2026-11-19')).toBe(true);
    expect(holdsOn(p, '2026-11-20')).toBe(false);
    expect(holdsOn({ from: '2026-11-10', until: null }, '2099-01-01')).toBe(true);
  });

  it('takes a start from today back to 60 days, never in the future', () => {
    expect(MAX_DAYS_BACK).toBe(60);
    expect(codeOf(() => assertStartDate('2026-12-01', '2026-12-01'))).toBeUndefined();
    expect(codeOf(() => assertStartDate('2026-10-02', '2026-12-01'))).toBeUndefined();
    const old = refusalOf(() => assertStartDate('2026-10-01', '2026-12-01'));
    expect(old.code).toBe('DATE_OUT_OF_RANGE');
    expect(old.errors).toEqual([{ field: 'from', message: 'at most 60 days back' }]);
    const future = refusalOf(() => assertStartDate('2026-12-02', '2026-12-01', 'start'));
    expect(future.code).toBe('DATE_OUT_OF_RANGE');
    expect(future.errors).toEqual([{ field: 'start', message: 'must not be in the future' }]);
  });

  it('takes an end on or after the start and not after today', () => {
    const p = { from: '2026-11-10' };
    expect(codeOf(() => assertEndDate(p, '2026-11-10', '2026-12-01'))).toBeUndefined();
    expect(codeOf(() => assertEndDate(p, '2026-12-01', '2026-12-01'))).toBeUndefined();
    expect(refusalOf(() => assertEndDate(p, '2026-11-09', '2026-12-01')).errors).toEqual([
      { field: 'until', message: 'must not be before the start' },
    ]);
    expect(refusalOf(() => assertEndDate(p, '2026-12-02', '2026-12-01')).errors).toEqual([
      { field: 'until', message: 'must not be in the future' },
    ]);
  });
});
