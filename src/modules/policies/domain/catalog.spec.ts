import { CATALOG, CATALOG_BY_KEY, validateValue, validateValues } from './catalog';

const LEVELS = ['minimum', 'medium', 'maximum', 'extreme', 'mixed', 'full'];
const byLevel = (v: unknown) => Object.fromEntries(LEVELS.map((l) => [l, v]));
const byConditions = (v: unknown) => ({ strict: v, ordinary: v, facilitated: v, preferential: v });
const ok = (key: string, value: unknown) => expect(validateValue(key, value)).toEqual([]);
const refused = (key: string, value: unknown) =>
  expect(validateValue(key, value).length).toBeGreaterThan(0);

describe('the policy catalog', () => {
  // the keys the REST contract names, with their shape ("by level" or one value for everyone)
  it.each([
    ['parcels.maxWeightGrams', 'grams', false],
    ['parcels.perYear', 'count', true],
    ['parcels.smallMaxWeightGrams', 'grams', false],
    ['parcels.smallPerYear', 'count', true],
    ['parcels.prohibitedCategories', 'codeList', false],
    ['payphones.openTime', 'localTime', false],
    ['payphones.closeTime', 'localTime', false],
    ['payphones.maxCallMinutes', 'minutes', false],
    ['payphones.tariffMinorPerMinute', 'minor', false],
    ['payphones.callsPerMonth', 'count', true],
    ['payphones.maxContacts', 'count', true],
    ['finance.mciMinor', 'minor', false],
    ['cards.monthlySpendingLimitMci', 'mciMultiplier', true],
    ['cards.maxDepositMinor', 'minor', false],
    ['visits.long.maxDays', 'count', false],
    ['visits.long.perYear', 'count', true],
    ['visits.short.perYear', 'count', true],
    ['visits.long.requiredDocuments', 'codeList', false],
    ['visits.long.bookingWindowDays', 'count', false],
    ['visits.long.maxVisitors', 'count', false],
    ['visits.long.checkInTime', 'localTime', false],
    ['visits.long.checkOutTime', 'localTime', false],
  ])('knows %s as %s (by level: %s)', (key, kind, level) => {
    expect(CATALOG_BY_KEY.get(key)).toMatchObject({ key, kind, byLevel: level });
  });

  it('gives every key a unit and a description', () => {
    for (const e of CATALOG) {
      expect(e.unit.trim()).not.toBe('');
      expect(e.description.trim()).not.toBe('');
    }
  });

  it('lists each key once', () => {
    expect(CATALOG_BY_KEY.size).toBe(CATALOG.length);
  });

  it('refuses a key it does not know', () => {
    expect(validateValue('no.such.key', 1)).toEqual(['no.such.key: unknown policy key']);
  });
});

describe('whole-number values, each within its kind’s range', () => {
  it.each([
    ['a weight in grams', 'parcels.maxWeightGrams', 1, 1_000_000],
    ['a count', 'visits.long.maxDays', 0, 10_000],
    ['minutes, up to a day', 'payphones.maxCallMinutes', 1, 1440],
    ['an amount in tiyn', 'cards.maxDepositMinor', 0, 10_000_000_000],
  ])('takes %s from its least to its greatest value, and not one beyond', (_, key, min, max) => {
    ok(key, min);
    ok(key, max);
    expect(validateValue(key, min - 1)).toEqual([
      `${key} must be a whole number from ${min} to ${max}`,
    ]);
    expect(validateValue(key, max + 1)).toEqual([
      `${key} must be a whole number from ${min} to ${max}`,
    ]);
  });

  it.each([
    ['a fraction', 20000.5],
    ['a number written as text', '20000'],
    ['nothing', null],
    ['a map', { a: 1 }],
  ])('refuses %s', (_, value) => refused('parcels.maxWeightGrams', value));
});

describe('the monthly spending limit in MCI', () => {
  const key = 'cards.monthlySpendingLimitMci';
  it('takes 0 to 10 000 MCI', () => {
    ok(key, byLevel(0));
    ok(key, byLevel(10_000));
    refused(key, byLevel(-0.01));
    refused(key, byLevel(10_000.01));
  });

  it('takes at most two decimals, as limits are counted in hundredths of an MCI', () => {
    ok(key, byLevel(1.5));
    ok(key, byLevel(1.25));
    expect(validateValue(key, { ...byLevel(1), medium: 1.234 })).toEqual([
      `${key}.medium must be a number from 0 to 10000 with at most two decimals`,
    ]);
  });

  it('takes two decimals that binary numbers cannot hold exactly (0.29, 1.15)', () => {
    ok(key, byLevel(0.29));
    ok(key, byLevel(1.15));
  });

  it.each([
    ['not a number', NaN],
    ['infinite', Infinity],
    ['a number written as text', '1.5'],
  ])('refuses a value that is %s', (_, value) => refused(key, byLevel(value)));
});

describe('local times', () => {
  it.each(['00:00', '09:30', '23:59'])('takes %s', (t) => ok('payphones.closeTime', t));

  it.each([
    ['past midnight', '24:00'],
    ['minute 60', '12:60'],
    ['an hour of one digit', '9:00'],
    ['a minute of one digit', '12:5'],
    ['something before it', '112:00'],
    ['something after it', '12:000'],
    ['a number', 2100],
    ['a list holding a time', ['21:00']],
  ])('refuses %s', (_, t) => {
    expect(validateValue('payphones.closeTime', t)).toEqual([
      'payphones.closeTime must be a local time HH:mm',
    ]);
  });
});

describe('code lists', () => {
  const key = 'visits.long.requiredDocuments';
  const says = `${key} must be a list of distinct lowercase codes (letters, digits, dashes)`;

  it('takes lowercase codes of letters and digits joined by single dashes', () => {
    ok(key, ['identity-document', 'proof-of-relationship', 'form-2a']);
  });

  it('takes an empty list: nothing required', () => ok(key, []));

  it('takes up to 100 codes, each up to 64 characters', () => {
    ok(
      key,
      Array.from({ length: 100 }, (_, i) => `c${i}`),
    );
    ok(key, ['a'.repeat(64)]);
  });

  it.each([
    ['101 codes', Array.from({ length: 101 }, (_, i) => `c${i}`)],
    ['a code of 65 characters', ['a'.repeat(65)]],
    ['capitals', ['Identity-document']],
    ['a space', ['identity document']],
    ['a leading dash', ['-identity']],
    ['a trailing dash', ['identity-']],
    ['two dashes in a row', ['identity--document']],
    ['a code that is not text', [1]],
    ['a list inside the list', [['identity-document']]],
    ['the same code twice', ['a', 'a']],
    ['one code not in a list', 'identity-document'],
  ])('refuses %s', (_, value) => expect(validateValue(key, value)).toEqual([says]));
});

describe('values by security level', () => {
  const key = 'parcels.perYear';

  it('takes one value per level', () => ok(key, byLevel(6)));

  it('takes, for a level, one value per conditions of serving', () => {
    ok(key, {
      ...byLevel(3),
      medium: { strict: 3, ordinary: 6, facilitated: 8, preferential: 10 },
    });
  });

  it.each([
    ['one value for everyone', 6],
    ['nothing', null],
    ['a list', [6, 6, 6, 6, 6, 6]],
  ])('refuses %s, naming every level', (_, value) => {
    expect(validateValue(key, value)).toEqual([
      `${key} must be a map with a value for every security level (minimum, medium, maximum, extreme, mixed, full)`,
    ]);
  });

  it('names a missing level', () => {
    const withoutExtreme = byLevel(6);
    delete withoutExtreme.extreme;
    expect(validateValue(key, withoutExtreme)).toEqual([`${key}.extreme: missing`]);
  });

  it('names a level it does not know', () => {
    expect(validateValue(key, { ...byLevel(6), supermax: 1 })).toEqual([
      `${key}.supermax: unknown security level`,
    ]);
  });

  it('names a level whose value is wrong', () => {
    expect(validateValue(key, { ...byLevel(6), medium: null })).toEqual([
      `${key}.medium must be a whole number from 0 to 10000`,
    ]);
    expect(validateValue(key, { ...byLevel(6), full: -1 })).toEqual([
      `${key}.full must be a whole number from 0 to 10000`,
    ]);
  });

  it('names missing conditions of serving', () => {
    expect(validateValue(key, { ...byLevel(6), medium: { strict: 1, ordinary: 2 } })).toEqual([
      `${key}.medium.facilitated: missing`,
      `${key}.medium.preferential: missing`,
    ]);
  });

  it('names conditions of serving it does not know', () => {
    expect(
      validateValue(key, { ...byLevel(6), medium: { ...byConditions(1), luxury: 5 } }),
    ).toEqual([`${key}.medium.luxury: unknown conditions of serving`]);
  });

  it('names a wrong value under conditions of serving', () => {
    expect(
      validateValue(key, { ...byLevel(6), medium: { ...byConditions(1), strict: 10_001 } }),
    ).toEqual([`${key}.medium.strict must be a whole number from 0 to 10000`]);
  });

  it('refuses a map by level for a key that is one value for everyone', () => {
    refused('parcels.maxWeightGrams', byLevel(20000));
  });
});

describe('a set of values for a version', () => {
  it('names the key of each problem', () => {
    expect(validateValues({ 'parcels.maxWeightGrams': -1, 'x.y': 1 })).toEqual([
      {
        key: 'parcels.maxWeightGrams',
        message: 'parcels.maxWeightGrams must be a whole number from 1 to 1000000',
      },
      { key: 'x.y', message: 'x.y: unknown policy key' },
    ]);
  });

  it('is accepted when every value is', () => {
    expect(
      validateValues({ 'parcels.maxWeightGrams': 20000, 'payphones.openTime': '07:00' }),
    ).toEqual([]);
  });

  it('must set at least one key', () => {
    expect(validateValues({})).toEqual([
      { key: 'values', message: 'a version must set at least one key' },
    ]);
  });
});
