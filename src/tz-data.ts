/**
 * The oldest IANA time-zone data this service accepts: 2024a moved Kazakhstan's eastern zones
 * (Asia/Almaty, Asia/Qostanay) from UTC+6 to UTC+5 on 2024-03-01. With older data every local time
 * there after that date is an hour off: parcel days, payphone hours, visit slots.
 */
export const MINIMUM_TZ_DATA = '2024a';

const VERSION = /^(\d{4})([a-z]+)$/;

/** Orders IANA release names: year, then letters (a < b < … < z < za …). */
function compareTzVersions(a: string, b: string): number {
  const [, ya, la] = VERSION.exec(a)!;
  const [, yb, lb] = VERSION.exec(b)!;
  return Number(ya) - Number(yb) || la.length - lb.length || (la < lb ? -1 : la > lb ? 1 : 0);
}

/**
 * Why this Node cannot be trusted with the facilities' time zones, or undefined when it can.
 * `found` is `process.versions.tz` (undefined in a build without ICU).
 */
export function tzDataProblem(
  found: string | undefined,
  node = 'this Node.js',
): string | undefined {
  const fix =
    'Use an official Node.js build (20.12 or newer ships 2024a or later), or one linked to a newer ICU.';
  if (!found || !VERSION.test(found)) {
    return (
      `${node} does not say which time-zone data it has (process.versions.tz = ${found ?? 'undefined'}); ` +
      `at least ${MINIMUM_TZ_DATA} is needed for Kazakhstan's zones. ${fix}`
    );
  }
  if (compareTzVersions(found, MINIMUM_TZ_DATA) >= 0) return undefined;
  return (
    `${node} has time-zone data ${found}, older than ${MINIMUM_TZ_DATA}: it still puts Asia/Almaty ` +
    `at UTC+6 after 2024-03-01, when Kazakhstan moved it to UTC+5, so local times there would be an ` +
    `hour off. ${fix}`
  );
}
