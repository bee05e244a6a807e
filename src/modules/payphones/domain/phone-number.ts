import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import type { CountryCode } from 'libphonenumber-js/max';

/** Where a number written without its country code is read from (a Kazakh trunk `8…`). */
export const DEFAULT_REGION: CountryCode = 'KZ';

/**
 * A phone number as the payphones keep it: E.164 (`+77011234567`), or null when it is not a valid
 * number (by libphonenumber's metadata: length and prefixes of the country). `+7 701 123 45 67`,
 * `8 (701) 123-45-67` and `87011234567` (default region KZ) are the same number.
 */
export function normalisePhoneNumber(
  raw: string,
  region: CountryCode = DEFAULT_REGION,
): string | null {
  const n = parsePhoneNumberFromString(raw, region);
  return n?.isValid() ? n.number : null;
}
