import { DomainError } from '../../../common/errors/domain-error';

export const SECURITY_LEVELS = [
  'minimum',
  'medium',
  'maximum',
  'extreme',
  'mixed',
  'full',
] as const;
export type SecurityLevel = (typeof SECURITY_LEVELS)[number];

export const CONDITIONS = ['strict', 'ordinary', 'facilitated', 'preferential'] as const;
export type Conditions = (typeof CONDITIONS)[number];

export const PRISONER_STATUSES = ['held', 'released'] as const;
export type PrisonerStatus = (typeof PRISONER_STATUSES)[number];

export const PERSONAL_NUMBER = /^[A-Z0-9][A-Z0-9-]{2,31}$/;
export const FACILITY_CODE = /^[A-Z0-9][A-Z0-9-]{1,31}$/;

interface PrisonerState {
  status: PrisonerStatus;
  conditions: Conditions;
  facilityId: string;
}

/** A move between conditions of serving: only for a prisoner held, and only to other conditions. */
export function assertCanChangeConditions(p: PrisonerState, next: Conditions): void {
  if (p.status !== 'held')
    throw new DomainError('PRISONER_NOT_HELD', 'Only a prisoner held can change conditions');
  if (p.conditions === next) {
    throw new DomainError(
      'CONDITIONS_UNCHANGED',
      `The prisoner already serves in ${next} conditions`,
    );
  }
}

/** A transfer: only for a prisoner held, and only to another facility. */
export function assertCanTransfer(p: PrisonerState, toFacilityId: string): void {
  if (p.status !== 'held')
    throw new DomainError('PRISONER_NOT_HELD', 'Only a prisoner held can be transferred');
  if (p.facilityId === toFacilityId) {
    throw new DomainError('SAME_FACILITY', 'The prisoner is already held in this facility');
  }
}
