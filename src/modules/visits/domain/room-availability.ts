/** A room as the calendar reckons it: its live bookings' times and its closures' dates. */
export interface RoomLoad {
  id: string;
  /** [startsAt, endsAt) of the room's live bookings, epoch milliseconds. */
  busy: Array<[number, number]>;
  /** [first, last] local dates of the room's closures, both included. */
  closed: Array<[string, string]>;
}

/** A visit to place: its local dates and its times (epoch milliseconds, end excluded). */
export interface SlotSpan {
  firstDate: string;
  lastDate: string;
  startsAt: number;
  endsAt: number;
}

/**
 * A room is free for a visit when no live booking overlaps its time (the database's exclusion
 * constraint says the same of `tstzrange(starts_at, ends_at)`) and no closure touches its dates.
 */
export function isFree(room: RoomLoad, s: SlotSpan): boolean {
  return (
    !room.busy.some(([from, to]) => from < s.endsAt && s.startsAt < to) &&
    !room.closed.some(([first, last]) => first <= s.lastDate && s.firstDate <= last)
  );
}

/** The rooms free for the visit, in the order given. */
export function freeRoomIds(rooms: readonly RoomLoad[], s: SlotSpan): string[] {
  return rooms.filter((r) => isFree(r, s)).map((r) => r.id);
}
