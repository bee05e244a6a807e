import { codeOf, refusalOf } from '../../../../test/support/domain-error-code';
import {
  assertCanChangeConditions,
  assertCanTransfer,
  CONDITIONS,
  FACILITY_CODE,
  PERSONAL_NUMBER,
  PRISONER_STATUSES,
  SECURITY_LEVELS,
} from './prisoner.rules';

const held = { status: 'held' as const, conditions: 'ordinary' as const, facilityId: 'A' };
const released = { ...held, status: 'released' as const };

describe('what the penal code knows', () => {
  it('has six security levels', () => {
    expect(SECURITY_LEVELS).toEqual(['minimum', 'medium', 'maximum', 'extreme', 'mixed', 'full']);
  });

  it('has four conditions of serving, from strict to preferential', () => {
    expect(CONDITIONS).toEqual(['strict', 'ordinary', 'facilitated', 'preferential']);
  });

  it('holds a prisoner or has released them', () => {
    expect(PRISONER_STATUSES).toEqual(['held', 'released']);
  });
});

describe('a personal number', () => {
  it.each(['AB1', 'K-2024-000123', '7'.repeat(32)])('may be %s', (n) =>
    expect(PERSONAL_NUMBER.test(n)).toBe(true),
  );

  it.each([
    ['two characters', 'AB'],
    ['33 characters', '7'.repeat(33)],
    ['lower case', 'ab1'],
    ['a leading dash', '-AB1'],
    ['a space', 'AB 1'],
    ['something before it', 'x/AB1'],
    ['something after it', 'AB1/x'],
  ])('refuses %s', (_, n) => expect(PERSONAL_NUMBER.test(n)).toBe(false));
});

describe('a facility code', () => {
  it.each(['UG', 'UG-157-1', 'A'.repeat(32)])('may be %s', (c) =>
    expect(FACILITY_CODE.test(c)).toBe(true),
  );

  it.each([
    ['one character', 'U'],
    ['33 characters', 'A'.repeat(33)],
    ['lower case', 'ug-1'],
    ['a leading dash', '-UG'],
    ['something before it', 'x UG'],
    ['something after it', 'UG x'],
  ])('refuses %s', (_, c) => expect(FACILITY_CODE.test(c)).toBe(false));
});

describe('a change of conditions of serving', () => {
  it('moves a held prisoner to other conditions', () => {
    expect(codeOf(() => assertCanChangeConditions(held, 'facilitated'))).toBeUndefined();
  });

  it('is refused to the conditions the prisoner already serves in, naming them', () => {
    const e = refusalOf(() => assertCanChangeConditions(held, 'ordinary'));
    expect(e.code).toBe('CONDITIONS_UNCHANGED');
    expect(e.detail).toContain('ordinary');
  });

  it('is refused for a released prisoner, even to other conditions', () => {
    const e = refusalOf(() => assertCanChangeConditions(released, 'strict'));
    expect(e.code).toBe('PRISONER_NOT_HELD');
    expect(e.detail).toMatch(/held/);
  });
});

describe('a transfer', () => {
  it('moves a held prisoner to another facility', () => {
    expect(codeOf(() => assertCanTransfer(held, 'B'))).toBeUndefined();
  });

  it('is refused to the facility the prisoner is held in', () => {
    const e = refusalOf(() => assertCanTransfer(held, 'A'));
    expect(e.code).toBe('SAME_FACILITY');
    expect(e.detail).toMatch(/already held/);
  });

  it('is refused for a released prisoner, even to another facility', () => {
    const e = refusalOf(() => assertCanTransfer(released, 'B'));
    expect(e.code).toBe('PRISONER_NOT_HELD');
    expect(e.detail).toMatch(/transferred/);
  });
});
