import { validateValue, validateValues } from './catalog';
import { valueFor } from './values';

const LEVELS = ['minimum', 'medium', 'maximum', 'extreme', 'mixed', 'full'];
const byLevel = (v: unknown) => Object.fromEntries(LEVELS.map((l) => [l, v]));

describe('policy catalog validation', () => {
  it.each([
    ['parcels.maxWeightGrams', 20000],
    ['payphones.closeTime', '21:00'],
    ['payphones.openTime', '00:00'],
    ['finance.mciMinor', 432500],
    ['visits.long.requiredDocuments', ['identity-document', 'proof-of-relationship']],
    ['parcels.perYear', byLevel(6)],
    [
      'parcels.perYear',
      { ...byLevel(3), medium: { strict: 3, ordinary: 6, facilitated: 8, preferential: 10 } },
    ],
    ['cards.monthlySpendingLimitMci', byLevel(1.5)],
  ])('accepts %s = %j', (key, value) => expect(validateValue(key, value)).toEqual([]));

  it.each([
    ['parcels.maxWeightGrams', 0, 'whole number'],
    ['parcels.maxWeightGrams', 20000.5, 'whole number'],
    ['parcels.maxWeightGrams', '20000', 'whole number'],
    ['payphones.closeTime', '24:00', 'HH:mm'],
    ['payphones.closeTime', '9:00', 'HH:mm'],
    ['visits.long.requiredDocuments', ['Identity Document'], 'codes'],
    ['visits.long.requiredDocuments', ['a', 'a'], 'distinct'],
    ['parcels.perYear', 6, 'every security level'],
    ['parcels.perYear', { ...byLevel(6), supermax: 1 }, 'supermax: unknown security level'],
    [
      'parcels.perYear',
      { ...byLevel(6), medium: { strict: 1, ordinary: 2 } },
      'medium.facilitated: missing',
    ],
    [
      'parcels.perYear',
      {
        ...byLevel(6),
        medium: { strict: 1, ordinary: 2, facilitated: 3, preferential: 4, luxury: 5 },
      },
      'luxury',
    ],
    ['cards.monthlySpendingLimitMci', byLevel(1.234), 'two decimals'],
    ['no.such.key', 1, 'unknown policy key'],
  ])('refuses %s = %j, saying %s', (key, value, says) => {
    const errors = validateValue(key, value);
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.join(' ')).toContain(says);
    expect(errors.every((e) => e.startsWith(key))).toBe(true);
  });

  it('names each key in a set of values, and refuses an empty set', () => {
    expect(validateValues({ 'parcels.maxWeightGrams': -1, 'x.y': 1 }).map((p) => p.key)).toEqual([
      'parcels.maxWeightGrams',
      'x.y',
    ]);
    expect(validateValues({})).toHaveLength(1);
  });
});

describe('value for a prisoner', () => {
  const perYear = {
    ...byLevel(3),
    medium: { strict: 3, ordinary: 6, facilitated: 8, preferential: 10 },
  };
  it('reads plain values as they are, by-level values by level then conditions', () => {
    expect(valueFor(20000, 'medium', 'strict')).toBe(20000);
    expect(valueFor(['a'], 'medium', 'strict')).toEqual(['a']);
    expect(valueFor(perYear, 'extreme', 'preferential')).toBe(3);
    expect(valueFor(perYear, 'medium', 'strict')).toBe(3);
    expect(valueFor(perYear, 'medium', 'preferential')).toBe(10);
  });
});
