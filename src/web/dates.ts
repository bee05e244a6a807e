/** Local dates (YYYY-MM-DD) as the API writes them; arithmetic in UTC so no zone shifts a day. */
export const LOCAL_DATE = /^\d{4}-\d{2}-\d{2}$/;

export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** Today's date in a time zone (a facility's), as YYYY-MM-DD. */
export function todayIn(zone: string, now = new Date()): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: zone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).formatToParts(now);
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')}`;
}

export function isLocalDate(v: unknown): v is string {
  return typeof v === 'string' && LOCAL_DATE.test(v) && !Number.isNaN(Date.parse(`${v}T00:00:00Z`));
}
