import { codeOf } from '../../../../test/support/domain-error-code';
import { decideIntake, transition } from './intake.rules';

const rules = {
  maxWeightGrams: 20000,
  perYear: 6,
  prohibitedCategories: ['alcohol', 'mobile-phones'],
};
const facts = {
  kind: 'parcel' as const,
  weightGrams: 1000,
  categories: ['food'],
  prisonerHere: true,
  receivedThisYear: 0,
};

describe('parcel intake decision', () => {
  it('accepts within every rule, up to the limits exactly', () => {
    expect(decideIntake(rules, facts)).toEqual([]);
    expect(decideIntake(rules, { ...facts, weightGrams: 20000, receivedThisYear: 5 })).toEqual([]);
  });

  it('refuses for every reason found', () => {
    const codes = decideIntake(rules, {
      ...facts,
      weightGrams: 20001,
      categories: ['food', 'alcohol', 'alcohol'],
      receivedThisYear: 6,
    }).map((r) => r.code);
    expect(codes).toEqual(['OVERWEIGHT', 'PROHIBITED_ITEM', 'QUOTA_EXCEEDED']);
  });

  it('does not count a quota for a prisoner who is not here', () => {
    const codes = decideIntake({ ...rules, perYear: null }, { ...facts, prisonerHere: false }).map(
      (r) => r.code,
    );
    expect(codes).toEqual(['PRISONER_NOT_IN_FACILITY']);
  });
});

describe('parcel life', () => {
  it('allows received → inspected → handed-over, and return or seizure before hand-over', () => {
    expect(transition('received', 'inspected', true)).toEqual({ counts: true });
    expect(transition('inspected', 'handed-over', true)).toEqual({ counts: true });
    expect(transition('inspected', 'seized', true)).toEqual({ counts: true });
    expect(transition('received', 'seized', true)).toEqual({ counts: true });
    expect(transition('inspected', 'returned', true)).toEqual({ counts: true });
  });

  it('gives the place back only for a return before inspection', () => {
    expect(transition('received', 'returned', true)).toEqual({ counts: false });
  });

  it.each([
    ['handed-over', 'returned'],
    ['returned', 'inspected'],
    ['seized', 'handed-over'],
    ['received', 'handed-over'],
    ['inspected', 'inspected'],
  ] as const)('refuses %s → %s', (from, to) => {
    expect(codeOf(() => transition(from, to, true))).toBe('ILLEGAL_TRANSITION');
  });
});
