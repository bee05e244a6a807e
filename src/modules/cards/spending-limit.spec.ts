import { monthOf } from './spending-limit.service';

describe('monthOf: the calendar month of an instant in the facility’s zone', () => {
  it('turns at local midnight, not at UTC midnight, also when asked in and out of order', () => {
    // Almaty is UTC+5 since 2024-03-01: 2026-11-30T19:00Z is already December 1st there
    expect(monthOf(new Date('2026-11-30T18:59:59.999Z'), 'Asia/Almaty').month).toBe('2026-11');
    expect(monthOf(new Date('2026-11-30T19:00:00Z'), 'Asia/Almaty').month).toBe('2026-12');
    expect(monthOf(new Date('2026-11-15T00:00:00Z'), 'Asia/Almaty').month).toBe('2026-11');
    expect(monthOf(new Date('2026-11-30T19:00:00Z'), 'Asia/Almaty').start.toISOString()).toBe(
      '2026-11-30T19:00:00.000Z',
    );
    // the same instant is still November in Aqtobe (UTC+5 as well) and in UTC
    expect(monthOf(new Date('2026-11-30T19:30:00Z'), 'UTC').month).toBe('2026-11');
  });

  it('knows the zone moved: February 2024 in Almaty began at UTC+6, March at UTC+5', () => {
    // at 00:00 on March 1st (+06) clocks went back to 23:00: March began an hour later in UTC
    expect(monthOf(new Date('2024-02-10T00:00:00Z'), 'Asia/Almaty').start.toISOString()).toBe(
      '2024-01-31T18:00:00.000Z',
    );
    expect(monthOf(new Date('2024-03-10T00:00:00Z'), 'Asia/Almaty').start.toISOString()).toBe(
      '2024-02-29T19:00:00.000Z',
    );
  });
});
