import { localDay, openNow, windowOn } from './hours';

const reform = { openTime: '08:00', closeTime: '21:00' };

describe('payphone hours in the facility’s zone', () => {
  it('is open until closing, exclusive: 20:59 leaves 60 s, 21:00 is closed', () => {
    // Asia/Almaty is UTC+5 since 2024-03-01
    expect(openNow(new Date('2026-04-01T15:59:00Z'), 'Asia/Almaty', reform)).toMatchObject({
      open: true,
      secondsToClose: 60,
    });
    expect(openNow(new Date('2026-04-01T16:00:00Z'), 'Asia/Almaty', reform)).toMatchObject({
      open: false,
      secondsToClose: 0,
    });
  });

  it('opens at opening time, inclusive', () => {
    expect(openNow(new Date('2026-04-01T02:59:59Z'), 'Asia/Almaty', reform).open).toBe(false);
    expect(openNow(new Date('2026-04-01T03:00:00Z'), 'Asia/Almaty', reform).open).toBe(true);
  });

  it('reads the same UTC instant as another local hour across Almaty’s move from UTC+6 to UTC+5', () => {
    // 14:30Z: 20:30 on 2024-02-29 (UTC+6), 19:30 on 2024-03-02 (UTC+5)
    expect(localDay(new Date('2024-02-29T14:30:00Z'), 'Asia/Almaty').time).toBe('20:30:00');
    expect(localDay(new Date('2024-03-02T14:30:00Z'), 'Asia/Almaty').time).toBe('19:30:00');
    // 15:30Z: after closing on the 29th, open on the 2nd
    expect(openNow(new Date('2024-02-29T15:30:00Z'), 'Asia/Almaty', reform).open).toBe(false);
    expect(openNow(new Date('2024-03-02T15:30:00Z'), 'Asia/Almaty', reform)).toMatchObject({
      open: true,
      secondsToClose: 1800,
    });
  });

  it('keeps wall-clock hours across a daylight-saving change', () => {
    // Europe/Berlin springs forward on 2026-03-29: 21:00 is 19:00Z, the day before 20:00Z
    expect(windowOn('2026-03-28', 'Europe/Berlin', reform).closesAt.toISOString()).toBe(
      '2026-03-28T20:00:00.000Z',
    );
    expect(windowOn('2026-03-29', 'Europe/Berlin', reform).closesAt.toISOString()).toBe(
      '2026-03-29T19:00:00.000Z',
    );
  });

  it('keeps the phones closed all day when closing is not after opening', () => {
    const w = windowOn('2026-04-01', 'Asia/Almaty', { openTime: '21:00', closeTime: '08:00' });
    expect(w.closesAt).toEqual(w.opensAt);
    expect(
      openNow(new Date('2026-04-01T10:00:00Z'), 'Asia/Almaty', {
        openTime: '21:00',
        closeTime: '08:00',
      }).open,
    ).toBe(false);
  });

  it('gives the local month of an instant', () => {
    // 2026-03-31T20:00Z is already April in Almaty
    expect(localDay(new Date('2026-03-31T20:00:00Z'), 'Asia/Almaty').month).toBe('2026-04');
  });
});
