import { DomainError } from '../../../common/errors/domain-error';
import { holdsOn } from './care-dates';

export const DISABILITY_KINDS = ['wheelchair', 'blind', 'deaf', 'other'] as const;
export type DisabilityKind = (typeof DISABILITY_KINDS)[number];

export interface DisabilityPeriod {
  kind: DisabilityKind;
  from: string;
  until: string | null;
}

/**
 * A new record: it starts on a day already come (a disability is a fact recorded, not a plan), and
 * an end given at once (a broken leg) comes after its start.
 */
export function assertNewDisability(
  d: { from: string; until: string | null },
  today: string,
): void {
  if (d.from > today) {
    throw new DomainError('DATE_OUT_OF_RANGE', `from is after today (${today})`, [
      { field: 'from', message: 'must not be in the future' },
    ]);
  }
  if (d.until !== null && d.until <= d.from) {
    throw new DomainError('DATE_OUT_OF_RANGE', 'until must come after from', [
      { field: 'until', message: 'must be after from' },
    ]);
  }
}

/** A record is ended once; its history stays. */
export function assertOpenDisability(d: { endedAt: Date | null }): void {
  if (d.endedAt !== null) {
    throw new DomainError('DISABILITY_ENDED', 'This disability record was already ended');
  }
}

/** The kinds of help a prisoner needs on `day`, each once. */
export function needsOn(records: readonly DisabilityPeriod[], day: string): DisabilityKind[] {
  const kinds = new Set(records.filter((r) => holdsOn(r, day)).map((r) => r.kind));
  return DISABILITY_KINDS.filter((k) => kinds.has(k));
}

/**
 * When a prisoner's need for help ended, given all their records: null while one holds `today`;
 * otherwise the first day none held (the latest end), from which nobody need assist them.
 * Records never start in the future, so one that does not hold today has ended by today.
 */
export function needEndedOn(
  records: ReadonlyArray<{ from: string; until: string | null }>,
  today: string,
): string | null {
  if (records.some((r) => holdsOn(r, today))) return null;
  const ends = records.map((r) => r.until).filter((u): u is string => u !== null);
  return ends.length ? ends.reduce((a, b) => (a > b ? a : b)) : today;
}
