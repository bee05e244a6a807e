import { freeRoomIds, isFree, RoomLoad, SlotSpan } from './room-availability';

const H = 3_600_000;
const slot: SlotSpan = {
  firstDate: '2026-03-20',
  lastDate: '2026-03-21',
  startsAt: 10 * H,
  endsAt: 20 * H,
};
const room = (over: Partial<RoomLoad> = {}): RoomLoad => ({
  id: 'r',
  busy: [],
  closed: [],
  ...over,
});

describe('which rooms are free for a visit', () => {
  it('takes a room with no booking and no closure', () => {
    expect(isFree(room(), slot)).toBe(true);
  });

  it('refuses a room whose live booking overlaps the visit, however little', () => {
    expect(isFree(room({ busy: [[9 * H, 10 * H + 1]] }), slot)).toBe(false);
    expect(isFree(room({ busy: [[20 * H - 1, 30 * H]] }), slot)).toBe(false);
    expect(isFree(room({ busy: [[12 * H, 13 * H]] }), slot)).toBe(false);
    expect(isFree(room({ busy: [[0, 40 * H]] }), slot)).toBe(false);
  });

  it('takes a room whose bookings end when the visit starts or start when it ends (ranges [start, end))', () => {
    expect(
      isFree(
        room({
          busy: [
            [0, 10 * H],
            [20 * H, 30 * H],
          ],
        }),
        slot,
      ),
    ).toBe(true);
  });

  it('refuses a room closed on any of the visit’s dates, both ends of either included', () => {
    expect(isFree(room({ closed: [['2026-03-21', '2026-03-25']] }), slot)).toBe(false);
    expect(isFree(room({ closed: [['2026-03-10', '2026-03-20']] }), slot)).toBe(false);
    expect(isFree(room({ closed: [['2026-03-20', '2026-03-20']] }), slot)).toBe(false);
  });

  it('takes a room closed only before or after the visit', () => {
    expect(
      isFree(
        room({
          closed: [
            ['2026-03-10', '2026-03-19'],
            ['2026-03-22', '2026-03-30'],
          ],
        }),
        slot,
      ),
    ).toBe(true);
  });

  it('lists the free rooms in the order given', () => {
    const rooms = [
      room({ id: 'a', busy: [[12 * H, 13 * H]] }),
      room({ id: 'b' }),
      room({ id: 'c', closed: [['2026-03-21', '2026-03-21']] }),
      room({ id: 'd' }),
    ];
    expect(freeRoomIds(rooms, slot)).toEqual(['b', 'd']);
    expect(freeRoomIds([], slot)).toEqual([]);
  });
});
