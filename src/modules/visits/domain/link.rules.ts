import { DomainError } from '../../../common/errors/domain-error';
import type { LinkStatus } from './relationship';

interface LinkState {
  status: LinkStatus;
  prisonerId: string | null;
}

/** Only a pending request is decided, once. */
export function assertPending(link: LinkState): void {
  if (link.status !== 'pending') {
    throw new DomainError('LINK_NOT_PENDING', `The request is already ${link.status}`);
  }
}

/**
 * Approval needs a prisoner held in the facility under the number the relative gave; a request
 * naming nobody can only be rejected.
 */
export function assertApprovable(link: LinkState, prisonerHeldThere: boolean): void {
  assertPending(link);
  if (!link.prisonerId || !prisonerHeldThere) {
    throw new DomainError(
      'LINK_PRISONER_UNKNOWN',
      'No prisoner with this personal number is held in the facility',
    );
  }
}
