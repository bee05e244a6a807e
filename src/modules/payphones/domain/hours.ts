import { DateTime } from 'luxon';

/** The payphones' day in a facility: opening and closing time in its zone (`HH:mm`). */
export interface Hours {
  openTime: string;
  closeTime: string;
}

export interface DayWindow {
  /** Opening and closing of that local day, as instants. */
  opensAt: Date;
  closesAt: Date;
}

const at = (day: DateTime, hhmm: string): DateTime => {
  const [hour, minute] = hhmm.split(':').map(Number);
  return day.set({ hour, minute, second: 0, millisecond: 0 });
};

/**
 * The local day `date` (`YYYY-MM-DD`) in `zone`, opening to closing. Hours are wall-clock times of
 * that day, whatever the zone's offset that day (across a change of offset, or daylight saving).
 * A closing time not after the opening time leaves the phones closed all day.
 */
export function windowOn(date: string, zone: string, hours: Hours): DayWindow {
  const day = DateTime.fromISO(date, { zone }).startOf('day');
  const opens = at(day, hours.openTime);
  const closes = at(day, hours.closeTime);
  return {
    opensAt: opens.toJSDate(),
    closesAt: (closes > opens ? closes : opens).toJSDate(),
  };
}

/** The local date (`YYYY-MM-DD`) and month (`YYYY-MM`) of an instant in a zone. */
export function localDay(now: Date, zone: string): { date: string; month: string; time: string } {
  const local = DateTime.fromJSDate(now, { zone });
  return {
    date: local.toISODate()!,
    month: local.toFormat('yyyy-MM'),
    time: local.toFormat('HH:mm:ss'),
  };
}

/**
 * Whether the phones are open at `now` in `zone`, and how many whole seconds are left until
 * closing (0 when closed): open from `openTime` inclusive to `closeTime` exclusive.
 */
export function openNow(
  now: Date,
  zone: string,
  hours: Hours,
): { open: boolean; secondsToClose: number; closesAt: Date } {
  const w = windowOn(localDay(now, zone).date, zone, hours);
  const t = now.getTime();
  const open = t >= w.opensAt.getTime() && t < w.closesAt.getTime();
  return {
    open,
    secondsToClose: open ? Math.floor((w.closesAt.getTime() - t) / 1000) : 0,
    closesAt: w.closesAt,
  };
}
