import { codeOf, refusalOf } from '../../../../test/support/domain-error-code';
import {
  decideIntake,
  IntakeFacts,
  IntakeRules,
  PARCEL_KINDS,
  PARCEL_STATUSES,
  ParcelStatus,
  transition,
} from './intake.rules';

const rules: IntakeRules = {
  maxWeightGrams: 20000,
  perYear: 6,
  prohibitedCategories: ['alcohol', 'mobile-phones'],
};
const facts: IntakeFacts = {
  kind: 'parcel',
  weightGrams: 1000,
  categories: ['food'],
  prisonerHere: true,
  receivedThisYear: 0,
};
const codes = (f: Partial<IntakeFacts>, r: Partial<IntakeRules> = {}) =>
  decideIntake({ ...rules, ...r }, { ...facts, ...f }).map((x) => x.code);

describe('parcel intake decision', () => {
  it('knows parcels and small parcels', () => {
    expect(PARCEL_KINDS).toEqual(['parcel', 'small-parcel']);
  });

  it('accepts a parcel within every rule', () => {
    expect(decideIntake(rules, facts)).toEqual([]);
  });

  describe('weight', () => {
    it('accepts exactly the largest weight allowed', () => {
      expect(codes({ weightGrams: 20000 })).toEqual([]);
    });

    it('refuses one gram over, saying the weight and the limit', () => {
      const [reason] = decideIntake(rules, { ...facts, weightGrams: 20001 });
      expect(reason.code).toBe('OVERWEIGHT');
      expect(reason.message).toBe('20001 g is over the 20000 g allowed for a parcel');
    });

    it('names a small parcel as such', () => {
      const [reason] = decideIntake(rules, { ...facts, kind: 'small-parcel', weightGrams: 20001 });
      expect(reason.message).toBe('20001 g is over the 20000 g allowed for a small parcel');
    });
  });

  describe('prohibited items', () => {
    it('accepts categories that are not prohibited', () => {
      expect(codes({ categories: ['food', 'clothes'] })).toEqual([]);
    });

    it('refuses a prohibited category, naming each one found once', () => {
      const reasons = decideIntake(rules, {
        ...facts,
        categories: ['alcohol', 'food', 'mobile-phones', 'alcohol'],
      });
      expect(reasons).toEqual([
        { code: 'PROHIBITED_ITEM', message: 'Prohibited: alcohol, mobile-phones' },
      ]);
    });
  });

  describe('the yearly allowance', () => {
    it('accepts the last parcel of the year’s allowance', () => {
      expect(codes({ receivedThisYear: 5 })).toEqual([]);
    });

    it('refuses once the allowance is used up, saying how many of how many', () => {
      const reasons = decideIntake(rules, { ...facts, receivedThisYear: 6 });
      expect(reasons).toEqual([
        { code: 'QUOTA_EXCEEDED', message: '6 of 6 allowed this year already received' },
      ]);
    });

    it('allows none when the allowance is zero', () => {
      expect(codes({ receivedThisYear: 0 }, { perYear: 0 })).toEqual(['QUOTA_EXCEEDED']);
    });

    it('has no limit when the policy sets none', () => {
      expect(codes({ receivedThisYear: 1000 }, { perYear: null })).toEqual([]);
    });

    it('is not counted for a prisoner who is not held here', () => {
      expect(codes({ prisonerHere: false, receivedThisYear: 6 })).toEqual([
        'PRISONER_NOT_IN_FACILITY',
      ]);
    });
  });

  it('refuses a parcel for a prisoner not held in this facility', () => {
    const reasons = decideIntake(rules, { ...facts, prisonerHere: false });
    expect(reasons).toEqual([
      { code: 'PRISONER_NOT_IN_FACILITY', message: 'The prisoner is not held in this facility' },
    ]);
  });

  it('gives every reason found, in one order', () => {
    expect(codes({ prisonerHere: false, weightGrams: 20001, categories: ['alcohol'] })).toEqual([
      'PRISONER_NOT_IN_FACILITY',
      'OVERWEIGHT',
      'PROHIBITED_ITEM',
    ]);
    expect(codes({ weightGrams: 20001, categories: ['alcohol'], receivedThisYear: 6 })).toEqual([
      'OVERWEIGHT',
      'PROHIBITED_ITEM',
      'QUOTA_EXCEEDED',
    ]);
  });
});

describe('parcel life', () => {
  it('is received, inspected, handed over, returned or seized', () => {
    expect(PARCEL_STATUSES).toEqual(['received', 'inspected', 'handed-over', 'returned', 'seized']);
  });

  const legal: Array<[ParcelStatus, ParcelStatus]> = [
    ['received', 'inspected'],
    ['received', 'returned'],
    ['received', 'seized'],
    ['inspected', 'handed-over'],
    ['inspected', 'returned'],
    ['inspected', 'seized'],
  ];
  const isLegal = (from: ParcelStatus, to: ParcelStatus) =>
    legal.some(([f, t]) => f === from && t === to);
  const illegal = PARCEL_STATUSES.flatMap((from) =>
    PARCEL_STATUSES.filter((to) => !isLegal(from, to)).map((to) => [from, to] as const),
  );

  it.each(legal)('allows %s → %s', (from, to) => {
    expect(codeOf(() => transition(from, to, true))).toBeUndefined();
  });

  it.each(illegal)('refuses %s → %s, naming both', (from, to) => {
    const e = refusalOf(() => transition(from, to, true));
    expect(e.code).toBe('ILLEGAL_TRANSITION');
    expect(e.detail).toBe(`A parcel ${from} cannot become ${to}`);
  });

  it('gives the place back only for a return before inspection', () => {
    expect(transition('received', 'returned', true)).toEqual({ counts: false });
    expect(transition('inspected', 'returned', true)).toEqual({ counts: true });
  });

  it('keeps counting a parcel through inspection, hand-over and seizure', () => {
    expect(transition('received', 'inspected', true)).toEqual({ counts: true });
    expect(transition('inspected', 'handed-over', true)).toEqual({ counts: true });
    expect(transition('received', 'seized', true)).toEqual({ counts: true });
    expect(transition('inspected', 'seized', true)).toEqual({ counts: true });
  });

  it('never makes a parcel that does not count start counting', () => {
    for (const [from, to] of legal) expect(transition(from, to, false)).toEqual({ counts: false });
  });
});
