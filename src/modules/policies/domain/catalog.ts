import { CONDITIONS, SECURITY_LEVELS } from '../../facilities/domain/prisoner.rules';

/**
 * The parameter catalog: every key a policy version may set, with its type, unit, description and
 * validator. Values are plain JSON; "by level" values are maps over every security level, each
 * level one value or a value per conditions of serving.
 */
export type ValueKind =
  'grams' | 'count' | 'minutes' | 'minor' | 'mciMultiplier' | 'localTime' | 'codeList';

export interface CatalogEntry {
  key: string;
  kind: ValueKind;
  /** The value is a map by security level (and possibly conditions of serving). */
  byLevel: boolean;
  unit: string;
  description: string;
}

const entry = (
  key: string,
  kind: ValueKind,
  byLevel: boolean,
  unit: string,
  description: string,
): CatalogEntry => ({
  key,
  kind,
  byLevel,
  unit,
  description,
});

export const CATALOG: readonly CatalogEntry[] = [
  entry(
    'parcels.maxWeightGrams',
    'grams',
    false,
    'g',
    'Largest total weight of one parcel a prisoner may receive.',
  ),
  entry(
    'parcels.perYear',
    'count',
    true,
    'parcels per calendar year',
    'Parcels a prisoner may receive in a calendar year (facility time).',
  ),
  entry('parcels.smallMaxWeightGrams', 'grams', false, 'g', 'Largest weight of one small parcel.'),
  entry(
    'parcels.smallPerYear',
    'count',
    true,
    'small parcels per calendar year',
    'Small parcels a prisoner may receive in a calendar year.',
  ),
  entry(
    'parcels.prohibitedCategories',
    'codeList',
    false,
    'item category codes',
    'Item categories refused at intake.',
  ),
  entry('payphones.openTime', 'localTime', false, 'HH:mm, facility time', 'Payphones open.'),
  entry(
    'payphones.closeTime',
    'localTime',
    false,
    'HH:mm, facility time',
    'Payphones close; no call may run past it.',
  ),
  entry('payphones.maxCallMinutes', 'minutes', false, 'min', 'Longest single call.'),
  entry(
    'payphones.tariffMinorPerMinute',
    'minor',
    false,
    'tiyn per minute',
    'Price of a call minute, charged to the card.',
  ),
  entry(
    'payphones.callsPerMonth',
    'count',
    true,
    'calls per calendar month',
    'Calls a prisoner may make in a calendar month (facility time); calls to a legal contact do not count.',
  ),
  entry(
    'payphones.maxContacts',
    'count',
    true,
    'numbers',
    'Most numbers (pending or approved) on one prisoner’s list of contacts.',
  ),
  entry(
    'finance.mciMinor',
    'minor',
    false,
    'tiyn',
    'The monthly calculation index (MCI) of the republican budget law.',
  ),
  entry(
    'cards.monthlySpendingLimitMci',
    'mciMultiplier',
    true,
    'MCI per calendar month',
    'Shop spending limit per month, in MCI (× finance.mciMinor).',
  ),
  entry('cards.maxDepositMinor', 'minor', false, 'tiyn', 'Largest single deposit to a card.'),
  entry('visits.long.maxDays', 'count', false, 'days', 'Longest long visit.'),
  entry(
    'visits.long.perYear',
    'count',
    true,
    'long visits per calendar year',
    'Long visits a prisoner may have in a calendar year.',
  ),
  entry(
    'visits.short.perYear',
    'count',
    true,
    'short visits per calendar year',
    'Short visits a prisoner may have in a calendar year.',
  ),
  entry(
    'visits.long.requiredDocuments',
    'codeList',
    false,
    'document codes',
    'Documents visitors must bring to a long visit.',
  ),
  entry(
    'care.orderlyPositions',
    'count',
    false,
    'positions per facility',
    'Orderly positions a facility has: prisoners on its staff who assist prisoners with disabilities.',
  ),
  entry(
    'care.maxAssistedPerOrderly',
    'count',
    false,
    'prisoners at once',
    'Prisoners one orderly may assist at the same time.',
  ),
  entry(
    'care.orderlyMonthlyWageMinor',
    'minor',
    false,
    'tiyn per month',
    "An orderly's wage for a whole month, paid pro rata for the days held (30-day month).",
  ),
  entry(
    'visits.long.bookingWindowDays',
    'count',
    false,
    'days ahead',
    'How far ahead of today (facility time) a long visit may be booked; it starts tomorrow at the earliest.',
  ),
  entry('visits.long.maxVisitors', 'count', false, 'visitors', 'Most visitors on one long visit.'),
  entry(
    'visits.long.checkInTime',
    'localTime',
    false,
    'HH:mm, facility time',
    'A long visit starts at this time on its first day.',
  ),
  entry(
    'visits.long.checkOutTime',
    'localTime',
    false,
    'HH:mm, facility time',
    'A long visit ends at this time on its last day (after the check-in time).',
  ),
];

export const CATALOG_BY_KEY = new Map(CATALOG.map((e) => [e.key, e]));

const LOCAL_TIME = /^([01]\d|2[0-3]):[0-5]\d$/;
const CODE = /^[a-z0-9]+(-[a-z0-9]+)*$/;

const RANGES: Record<Exclude<ValueKind, 'localTime' | 'codeList'>, [min: number, max: number]> = {
  grams: [1, 1_000_000],
  count: [0, 10_000],
  minutes: [1, 24 * 60],
  minor: [0, 100_000_000_00],
  mciMultiplier: [0, 10_000],
};

function scalarErrors(kind: ValueKind, v: unknown): string | null {
  switch (kind) {
    case 'localTime':
      return typeof v === 'string' && LOCAL_TIME.test(v) ? null : 'must be a local time HH:mm';
    case 'codeList':
      return Array.isArray(v) &&
        v.length <= 100 &&
        v.every((c) => typeof c === 'string' && c.length <= 64 && CODE.test(c)) &&
        new Set(v).size === v.length
        ? null
        : 'must be a list of distinct lowercase codes (letters, digits, dashes)';
    case 'mciMultiplier': {
      const [min, max] = RANGES[kind];
      // at most two decimals: limits are computed in hundredths of an MCI, exactly
      // (mutation testing: four mutants survive here, equivalent: `typeof v === 'number'` made
      // true, or its `&&` made `||` (Number.isFinite and the range already refuse everything else);
      // the isInteger test with `v / 100` (Math.round always gives an integer); `<= 1e-9`)
      return typeof v === 'number' &&
        Number.isFinite(v) &&
        v >= min &&
        v <= max &&
        Number.isInteger(Math.round(v * 100)) &&
        Math.abs(v * 100 - Math.round(v * 100)) < 1e-9
        ? null
        : `must be a number from ${min} to ${max} with at most two decimals`;
    }
    default: {
      const [min, max] = RANGES[kind];
      return Number.isSafeInteger(v) && (v as number) >= min && (v as number) <= max
        ? null
        : `must be a whole number from ${min} to ${max}`;
    }
  }
}

/** Problems with `value` as a value of `key` (empty = valid). Each names where in the value. */
export function validateValue(key: string, value: unknown): string[] {
  const e = CATALOG_BY_KEY.get(key);
  if (!e) return [`${key}: unknown policy key`];
  if (!e.byLevel) {
    const err = scalarErrors(e.kind, value);
    return err ? [`${key} ${err}`] : [];
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return [
      `${key} must be a map with a value for every security level (${SECURITY_LEVELS.join(', ')})`,
    ];
  }
  const errors: string[] = [];
  const map = value as Record<string, unknown>;
  for (const k of Object.keys(map)) {
    if (!(SECURITY_LEVELS as readonly string[]).includes(k))
      errors.push(`${key}.${k}: unknown security level`);
  }
  for (const level of SECURITY_LEVELS) {
    const lv = map[level];
    if (lv === undefined) {
      errors.push(`${key}.${level}: missing`);
    } else if (lv !== null && typeof lv === 'object' && !Array.isArray(lv)) {
      const byCond = lv as Record<string, unknown>;
      for (const k of Object.keys(byCond)) {
        if (!(CONDITIONS as readonly string[]).includes(k))
          errors.push(`${key}.${level}.${k}: unknown conditions of serving`);
      }
      for (const c of CONDITIONS) {
        if (byCond[c] === undefined) errors.push(`${key}.${level}.${c}: missing`);
        else {
          const err = scalarErrors(e.kind, byCond[c]);
          if (err) errors.push(`${key}.${level}.${c} ${err}`);
        }
      }
    } else {
      const err = scalarErrors(e.kind, lv);
      if (err) errors.push(`${key}.${level} ${err}`);
    }
  }
  return errors;
}

/** Problems with a whole set of values: unknown keys, bad values, and open/close consistency. */
export function validateValues(
  values: Record<string, unknown>,
): Array<{ key: string; message: string }> {
  const out: Array<{ key: string; message: string }> = [];
  if (Object.keys(values).length === 0)
    out.push({ key: 'values', message: 'a version must set at least one key' });
  for (const [key, v] of Object.entries(values)) {
    for (const message of validateValue(key, v)) out.push({ key, message });
  }
  return out;
}
