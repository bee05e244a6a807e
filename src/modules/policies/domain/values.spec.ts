import { valueFor } from './values';

const LEVELS = ['minimum', 'medium', 'maximum', 'extreme', 'mixed', 'full'];
const byLevel = (v: unknown) => Object.fromEntries(LEVELS.map((l) => [l, v]));

describe('the value of a key for a prisoner', () => {
  const perYear = {
    ...byLevel(3),
    medium: { strict: 3, ordinary: 6, facilitated: 8, preferential: 10 },
  };

  it('is a plain value as it is, for everyone', () => {
    expect(valueFor(20000, 'medium', 'strict')).toBe(20000);
    expect(valueFor('21:00', 'full', 'preferential')).toBe('21:00');
    expect(valueFor(['a'], 'medium', 'strict')).toEqual(['a']);
  });

  it('is the level’s value when a level has one value for all conditions', () => {
    expect(valueFor(perYear, 'extreme', 'preferential')).toBe(3);
    expect(valueFor({ ...byLevel(0), full: ['x'] }, 'full', 'strict')).toEqual(['x']);
  });

  it('is the value for the prisoner’s conditions when the level has one per conditions', () => {
    expect(valueFor(perYear, 'medium', 'strict')).toBe(3);
    expect(valueFor(perYear, 'medium', 'preferential')).toBe(10);
  });

  it('is nothing, not a failure, for a key that is not set (or set to nothing)', () => {
    expect(valueFor(undefined, 'medium', 'strict')).toBeUndefined();
    expect(valueFor(null, 'medium', 'strict')).toBeNull();
    expect(valueFor({ ...byLevel(1), medium: null }, 'medium', 'strict')).toBeNull();
  });
});
