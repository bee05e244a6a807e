import { codeOf, refusalOf } from '../../../../test/support/domain-error-code';
import {
  addDays,
  assertDecision,
  assertWindow,
  BookingRules,
  checkBooking,
  datesFrom,
  daysBetween,
  inBookingWindow,
  localDate,
  newReference,
  REFERENCE_PATTERN,
  startOfDate,
  visitSpan,
} from './long-visit.rules';

const RULES: BookingRules = { bookingWindowDays: 90, maxDays: 3, maxVisitors: 3, perYear: 4 };
const OK = { today: '2026-03-10', startDate: '2026-03-11', days: 3, visitors: 2, usedThisYear: 0 };

describe('local dates', () => {
  it('adds days across months, years and leap days', () => {
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2023-02-28', 1)).toBe('2023-03-01');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2026-01-01', -1)).toBe('2025-12-31');
  });

  it('counts the days between two dates', () => {
    expect(daysBetween('2026-03-10', '2026-06-08')).toBe(90);
    expect(daysBetween('2026-03-10', '2026-03-10')).toBe(0);
    expect(daysBetween('2026-03-10', '2026-03-09')).toBe(-1);
  });

  it('lists the dates of a window, both ends included', () => {
    expect(datesFrom('2026-02-27', '2026-03-02')).toEqual([
      '2026-02-27',
      '2026-02-28',
      '2026-03-01',
      '2026-03-02',
    ]);
    expect(datesFrom('2026-03-02', '2026-03-01')).toEqual([]);
  });

  it('reads the local date of an instant in the facility’s zone', () => {
    expect(localDate(new Date('2026-03-10T20:00:00Z'), 'Asia/Almaty')).toBe('2026-03-11');
    expect(localDate(new Date('2026-03-10T20:00:00Z'), 'Europe/London')).toBe('2026-03-10');
  });

  it('starts a date at local midnight, on each side of the 2024 change of Kazakhstan’s zone', () => {
    expect(startOfDate('2024-02-29', 'Asia/Almaty').toISOString()).toBe('2024-02-28T18:00:00.000Z');
    expect(startOfDate('2024-03-02', 'Asia/Almaty').toISOString()).toBe('2024-03-01T19:00:00.000Z');
  });
});

describe('a visit’s span', () => {
  const times = { checkIn: '09:00', checkOut: '18:00' };

  it('runs from check-in on the first day to check-out on the last, facility time', () => {
    const s = visitSpan('2026-03-11', 3, times, 'Asia/Almaty');
    expect(s.endDate).toBe('2026-03-13');
    expect(s.startsAt.toISOString()).toBe('2026-03-11T04:00:00.000Z');
    expect(s.endsAt.toISOString()).toBe('2026-03-13T13:00:00.000Z');
  });

  it('ends the same day for a one-day visit', () => {
    const s = visitSpan('2026-03-11', 1, times, 'Asia/Almaty');
    expect(s.endDate).toBe('2026-03-11');
    expect(s.endsAt.getTime() - s.startsAt.getTime()).toBe(9 * 3600_000);
  });

  it('refuses times that would make a one-day visit end before it starts', () => {
    const e = refusalOf(() =>
      visitSpan('2026-03-11', 1, { checkIn: '18:00', checkOut: '18:00' }, 'Asia/Almaty'),
    );
    expect(e.code).toBe('POLICY_MISSING');
    expect(e.detail).toMatch(/checkOutTime \(18:00\) must be after/);
  });
});

describe('a window of dates', () => {
  it('takes up to 92 dates', () => {
    expect(codeOf(() => assertWindow('2026-03-01', '2026-05-31'))).toBeUndefined();
    expect(codeOf(() => assertWindow('2026-03-01', '2026-03-01'))).toBeUndefined();
  });

  it('refuses 93 dates, or an end before the start, naming `to`', () => {
    const long = refusalOf(() => assertWindow('2026-03-01', '2026-06-01'));
    expect(long.code).toBe('VALIDATION_FAILED');
    expect(long.errors).toEqual([{ field: 'to', message: expect.stringMatching(/92/) }]);
    const back = refusalOf(() => assertWindow('2026-03-02', '2026-03-01'));
    expect(back.errors[0].field).toBe('to');
  });
});

describe('booking rules', () => {
  it('books from tomorrow to the end of the window', () => {
    expect(inBookingWindow('2026-03-10', '2026-03-10', 90)).toBe(false);
    expect(inBookingWindow('2026-03-10', '2026-03-11', 90)).toBe(true);
    expect(inBookingWindow('2026-03-10', '2026-06-08', 90)).toBe(true);
    expect(inBookingWindow('2026-03-10', '2026-06-09', 90)).toBe(false);
    expect(inBookingWindow('2026-03-10', '2026-03-09', 90)).toBe(false);
  });

  it('accepts a booking within every rule, up to each limit', () => {
    expect(codeOf(() => checkBooking(RULES, OK))).toBeUndefined();
    expect(
      codeOf(() =>
        checkBooking(RULES, { ...OK, startDate: '2026-06-08', visitors: 3, usedThisYear: 3 }),
      ),
    ).toBeUndefined();
  });

  it('refuses a start today or past the window', () => {
    const today = refusalOf(() => checkBooking(RULES, { ...OK, startDate: '2026-03-10' }));
    expect(today.code).toBe('LONG_VISIT_OUTSIDE_WINDOW');
    expect(today.detail).toBe('A long visit starts from 2026-03-11 to 2026-06-08');
    expect(today.errors).toEqual([{ field: 'startDate', message: 'outside the booking window' }]);
    expect(codeOf(() => checkBooking(RULES, { ...OK, startDate: '2026-06-09' }))).toBe(
      'LONG_VISIT_OUTSIDE_WINDOW',
    );
  });

  it('refuses a visit longer than the longest allowed', () => {
    const e = refusalOf(() => checkBooking(RULES, { ...OK, days: 4 }));
    expect(e.code).toBe('LONG_VISIT_TOO_LONG');
    expect(e.detail).toBe('A long visit lasts at most 3 days');
    expect(e.errors).toEqual([{ field: 'days', message: 'at most 3' }]);
  });

  it('refuses more visitors than allowed', () => {
    const e = refusalOf(() => checkBooking(RULES, { ...OK, visitors: 4 }));
    expect(e.code).toBe('LONG_VISIT_TOO_MANY_VISITORS');
    expect(e.detail).toBe('A long visit admits at most 3 visitors');
    expect(e.errors).toEqual([{ field: 'visitors', message: 'at most 3' }]);
  });

  it('refuses a visit over the yearly entitlement, and none at all where it is 0', () => {
    const e = refusalOf(() => checkBooking(RULES, { ...OK, usedThisYear: 4 }));
    expect(e.code).toBe('LONG_VISIT_ENTITLEMENT_USED');
    expect(e.detail).toBe('The prisoner has had or booked 4 of 4 long visits this year');
    expect(codeOf(() => checkBooking({ ...RULES, perYear: 0 }, OK))).toBe(
      'LONG_VISIT_ENTITLEMENT_USED',
    );
  });

  it('names the first broken rule: when, how long, how many, how often', () => {
    const all = {
      today: '2026-03-10',
      startDate: '2026-03-10',
      days: 9,
      visitors: 9,
      usedThisYear: 9,
    };
    expect(codeOf(() => checkBooking(RULES, all))).toBe('LONG_VISIT_OUTSIDE_WINDOW');
    expect(codeOf(() => checkBooking(RULES, { ...all, startDate: '2026-03-11' }))).toBe(
      'LONG_VISIT_TOO_LONG',
    );
    expect(codeOf(() => checkBooking(RULES, { ...all, startDate: '2026-03-11', days: 3 }))).toBe(
      'LONG_VISIT_TOO_MANY_VISITORS',
    );
  });
});

describe('a booking’s life', () => {
  const v = {
    status: 'requested' as const,
    startsAt: new Date('2026-03-11T04:00:00Z'),
    endsAt: new Date('2026-03-13T13:00:00Z'),
  };
  const before = new Date('2026-03-10T10:00:00Z');
  const during = new Date('2026-03-12T10:00:00Z');
  const after = new Date('2026-03-13T13:00:00Z');

  it('is approved or rejected while requested, before it starts', () => {
    expect(codeOf(() => assertDecision(v, 'approve', 'staff', before))).toBeUndefined();
    expect(codeOf(() => assertDecision(v, 'reject', 'staff', before))).toBeUndefined();
    expect(codeOf(() => assertDecision(v, 'approve', 'staff', during))).toBe('ILLEGAL_TRANSITION');
  });

  it('is decided once', () => {
    for (const status of ['approved', 'rejected', 'cancelled', 'completed', 'no-show'] as const) {
      const e = refusalOf(() => assertDecision({ ...v, status }, 'approve', 'staff', before));
      expect(e.code).toBe('ILLEGAL_TRANSITION');
      expect(e.detail).toBe(`The visit is already ${status}`);
    }
  });

  it('is cancelled by the relative before it starts, by staff until it ends', () => {
    for (const status of ['requested', 'approved'] as const) {
      expect(codeOf(() => assertDecision({ ...v, status }, 'cancel', 'relative', before))).toBe(
        undefined,
      );
      expect(codeOf(() => assertDecision({ ...v, status }, 'cancel', 'staff', during))).toBe(
        undefined,
      );
    }
    expect(refusalOf(() => assertDecision(v, 'cancel', 'relative', during)).detail).toBe(
      'The visit has started: ask the facility',
    );
    expect(refusalOf(() => assertDecision(v, 'cancel', 'staff', after)).detail).toBe(
      'The visit has ended',
    );
  });

  it('cannot cancel a visit no longer live', () => {
    for (const status of ['rejected', 'cancelled', 'completed', 'no-show'] as const) {
      const e = refusalOf(() => assertDecision({ ...v, status }, 'cancel', 'staff', before));
      expect(e.detail).toBe(`A visit ${status} cannot be cancelled`);
    }
  });
});

describe('a booking’s reference', () => {
  it('reads LV-XXXX-XXXX in letters and digits that cannot be confused', () => {
    let i = 0;
    const ref = newReference((n) => i++ % n);
    expect(ref).toBe('LV-2345-6789');
    expect(ref).toMatch(REFERENCE_PATTERN);
    expect(newReference((n) => n - 1)).toBe('LV-ZZZZ-ZZZZ');
    for (let k = 0; k < 200; k++) {
      const r = newReference((n) => Math.floor(Math.random() * n));
      expect(r).toMatch(REFERENCE_PATTERN);
      expect(r.slice(3)).not.toMatch(/[01ILO]/);
    }
  });
});
