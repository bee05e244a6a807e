import type { DayWindow } from './hours';

/** A stretch of a phone's time. */
export interface Span {
  startsAt: Date;
  endsAt: Date;
}

/** Whether a booking lies inside the day's opening hours (ending at closing time is inside). */
export function withinHours(b: Span, w: DayWindow): boolean {
  return (
    b.startsAt.getTime() >= w.opensAt.getTime() &&
    b.endsAt.getTime() <= w.closesAt.getTime() &&
    b.endsAt.getTime() > b.startsAt.getTime()
  );
}

export interface Slot<B extends Span> extends Span {
  /** The live bookings overlapping this slot (none: free). */
  bookings: B[];
}

/**
 * The day's slots of `minutes` from opening to closing (a last shorter slot up to closing), each
 * with the bookings that overlap it.
 */
export function slotsOf<B extends Span>(w: DayWindow, minutes: number, bookings: B[]): Slot<B>[] {
  const out: Slot<B>[] = [];
  const step = Math.max(1, minutes) * 60_000;
  const close = w.closesAt.getTime();
  for (let t = w.opensAt.getTime(); t < close; t += step) {
    const s = { startsAt: new Date(t), endsAt: new Date(Math.min(t + step, close)) };
    out.push({
      ...s,
      bookings: bookings.filter(
        (b) =>
          b.startsAt.getTime() < s.endsAt.getTime() && b.endsAt.getTime() > s.startsAt.getTime(),
      ),
    });
  }
  return out;
}
