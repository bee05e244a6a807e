import { DomainError } from '../../../common/errors/domain-error';

export const PARCEL_KINDS = ['parcel', 'small-parcel'] as const;
export type ParcelKind = (typeof PARCEL_KINDS)[number];

export type ReasonCode =
  'OVERWEIGHT' | 'QUOTA_EXCEEDED' | 'PROHIBITED_ITEM' | 'PRISONER_NOT_IN_FACILITY';

export interface Reason {
  code: ReasonCode;
  message: string;
}

export interface IntakeRules {
  maxWeightGrams: number;
  perYear: number | null;
  prohibitedCategories: readonly string[];
}

export interface IntakeFacts {
  kind: ParcelKind;
  weightGrams: number;
  categories: readonly string[];
  /** false when the prisoner named is not held in this facility (or does not exist). */
  prisonerHere: boolean;
  /** Accepted parcels of this kind this calendar year that count against the allowance. */
  receivedThisYear: number;
}

/** Every reason to refuse, not just the first; no reason means accept. */
export function decideIntake(rules: IntakeRules, f: IntakeFacts): Reason[] {
  const reasons: Reason[] = [];
  const label = f.kind === 'parcel' ? 'a parcel' : 'a small parcel';
  if (!f.prisonerHere) {
    reasons.push({
      code: 'PRISONER_NOT_IN_FACILITY',
      message: 'The prisoner is not held in this facility',
    });
  }
  if (f.weightGrams > rules.maxWeightGrams) {
    reasons.push({
      code: 'OVERWEIGHT',
      message: `${f.weightGrams} g is over the ${rules.maxWeightGrams} g allowed for ${label}`,
    });
  }
  const prohibited = [
    ...new Set(f.categories.filter((c) => rules.prohibitedCategories.includes(c))),
  ];
  if (prohibited.length > 0) {
    reasons.push({ code: 'PROHIBITED_ITEM', message: `Prohibited: ${prohibited.join(', ')}` });
  }
  if (f.prisonerHere && rules.perYear !== null && f.receivedThisYear >= rules.perYear) {
    reasons.push({
      code: 'QUOTA_EXCEEDED',
      message: `${f.receivedThisYear} of ${rules.perYear} allowed this year already received`,
    });
  }
  return reasons;
}

export const PARCEL_STATUSES = [
  'received',
  'inspected',
  'handed-over',
  'returned',
  'seized',
] as const;
export type ParcelStatus = (typeof PARCEL_STATUSES)[number];

const NEXT: Record<ParcelStatus, readonly ParcelStatus[]> = {
  received: ['inspected', 'returned', 'seized'],
  inspected: ['handed-over', 'returned', 'seized'],
  // Stryker disable ArrayDeclaration: equivalent: a final state's list can only be mutated to hold
  // a string that is no ParcelStatus; the spec's table refuses every real status from these three
  'handed-over': [],
  returned: [],
  seized: [],
  // Stryker restore ArrayDeclaration
};

/**
 * received → inspected → handed-over; returned (to the sender) or seized before hand-over.
 * Returns whether the parcel still counts against the allowance afterwards: only a parcel sent
 * back before inspection gives its place back (the prisoner never had it); a seizure does not.
 */
export function transition(
  from: ParcelStatus,
  to: ParcelStatus,
  countsNow: boolean,
): { counts: boolean } {
  if (!NEXT[from].includes(to)) {
    throw new DomainError('ILLEGAL_TRANSITION', `A parcel ${from} cannot become ${to}`);
  }
  return { counts: to === 'returned' && from === 'received' ? false : countsNow };
}
