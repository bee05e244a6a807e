import { slotsOf, withinHours } from './booking.rules';

const w = {
  opensAt: new Date('2027-02-10T03:00:00Z'), // 08:00 Almaty
  closesAt: new Date('2027-02-10T16:00:00Z'), // 21:00
};
const span = (from: string, to: string) => ({
  startsAt: new Date(`2027-02-10T${from}:00+05:00`),
  endsAt: new Date(`2027-02-10T${to}:00+05:00`),
});

describe('phone bookings', () => {
  it('lie inside opening hours: 20:45–21:00 yes, 20:50–21:05 no', () => {
    expect(withinHours(span('20:45', '21:00'), w)).toBe(true);
    expect(withinHours(span('20:50', '21:05'), w)).toBe(false);
    expect(withinHours(span('08:00', '08:15'), w)).toBe(true);
    expect(withinHours(span('07:59', '08:14'), w)).toBe(false);
    expect(withinHours(span('10:00', '10:00'), w)).toBe(false);
  });

  it('cut the day into slots, each with the bookings that overlap it', () => {
    const b = { ...span('08:10', '08:40'), id: 'b' };
    const slots = slotsOf(w, 15, [b]);
    expect(slots).toHaveLength(52);
    expect(slots[0].startsAt).toEqual(w.opensAt);
    expect(slots[51].endsAt).toEqual(w.closesAt);
    expect(slots.slice(0, 4).map((s) => s.bookings.length)).toEqual([1, 1, 1, 0]);
  });

  it('end the last slot at closing time', () => {
    const slots = slotsOf(
      { opensAt: w.opensAt, closesAt: new Date('2027-02-10T03:20:00Z') },
      15,
      [],
    );
    expect(slots.map((s) => s.endsAt.toISOString())).toEqual([
      '2027-02-10T03:15:00.000Z',
      '2027-02-10T03:20:00.000Z',
    ]);
  });
});
