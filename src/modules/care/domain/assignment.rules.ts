import { DomainError } from '../../../common/errors/domain-error';
import type { DisabilityKind } from './disability.rules';

/** Everything an assignment is decided on, read under the locks that keep it true to COMMIT. */
export interface AssignmentFacts {
  orderly: { id: string; facilityId: string; held: boolean };
  assisted: { id: string; facilityId: string; held: boolean };
  /** The orderly's open position, if they hold one. */
  position: { facilityId: string; from: string } | null;
  /** The date the assignment starts (already checked against today). */
  from: string;
  /** The kinds of help each needs today. */
  assistedNeeds: readonly DisabilityKind[];
  orderlyNeeds: readonly DisabilityKind[];
  /** Whether this orderly already assists this prisoner. */
  alreadyAssigned: boolean;
  /** How many the orderly assists now, and the most they may (care.maxAssistedPerOrderly). */
  assisting: number;
  maxAssisted: number;
}

/**
 * Who may assist whom: each rule refused with its own code, so an officer knows which one. The
 * order is the order an officer would check by hand: the people, the post, the need, the load.
 */
export function assertAssignable(f: AssignmentFacts): void {
  if (f.orderly.id === f.assisted.id) {
    throw new DomainError('ASSIGNMENT_SELF', 'A prisoner cannot be their own orderly');
  }
  if (!f.orderly.held || !f.assisted.held || f.orderly.facilityId !== f.assisted.facilityId) {
    throw new DomainError(
      'ASSIGNMENT_OTHER_FACILITY',
      'The orderly and the assisted prisoner must both be held in the same facility',
    );
  }
  if (f.position === null || f.position.facilityId !== f.orderly.facilityId) {
    throw new DomainError('NOT_AN_ORDERLY', 'The prisoner holds no orderly position here');
  }
  if (f.from < f.position.from) {
    throw new DomainError(
      'DATE_OUT_OF_RANGE',
      `from is before the orderly's appointment (${f.position.from})`,
      [{ field: 'from', message: 'must not be before the appointment' }],
    );
  }
  if (f.assistedNeeds.length === 0) {
    throw new DomainError(
      'NO_ACTIVE_DISABILITY',
      'The prisoner has no disability recorded that is in force today',
    );
  }
  const same = f.assistedNeeds.filter((k) => f.orderlyNeeds.includes(k));
  if (same.length > 0) {
    throw new DomainError(
      'ORDERLY_NEEDS_SAME_HELP',
      `The orderly needs the same help themselves (${same.join(', ')})`,
    );
  }
  if (f.alreadyAssigned) {
    throw new DomainError('ALREADY_ASSIGNED', 'This orderly already assists this prisoner');
  }
  if (f.assisting >= f.maxAssisted) {
    throw new DomainError(
      'ORDERLY_AT_CAPACITY',
      `The orderly already assists ${f.assisting} of at most ${f.maxAssisted}`,
    );
  }
}

/** An assignment or a position ends once. */
export function assertOpen(p: { until: string | null }, what: 'assignment' | 'position'): void {
  if (p.until !== null) {
    throw new DomainError(
      what === 'assignment' ? 'ASSIGNMENT_ENDED' : 'POSITION_ENDED',
      `This ${what} has already ended (on ${p.until})`,
    );
  }
}

/** A facility has at most care.orderlyPositions orderlies at once. */
export function assertPositionFree(open: number, positions: number): void {
  if (open >= positions) {
    throw new DomainError(
      'ORDERLY_POSITIONS_FULL',
      `All ${positions} orderly positions of the facility are taken`,
    );
  }
}
