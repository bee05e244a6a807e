import { IANAZone } from 'luxon';

const NAME = /^(?:UTC|[A-Za-z]+(?:\/[A-Za-z0-9_+-]+){1,2})$/;

/** A named IANA zone (not an offset like `+05:00` nor an abbreviation like `EST`). */
export function isValidIanaZone(zone: string): boolean {
  return zone.length <= 64 && NAME.test(zone) && IANAZone.isValidZone(zone);
}
