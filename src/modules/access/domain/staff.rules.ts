import { DomainError } from '../../../common/errors/domain-error';
import { isNational, StaffPrincipal } from '../../../common/auth/principal';

/**
 * An administrator may only hand out the scope they hold: a facility-scoped admin creates accounts
 * for their own facilities only, never national ones.
 */
export function assertCanGrantScope(actor: StaffPrincipal, facilityIds: readonly string[]): void {
  if (isNational(actor)) return;
  if (facilityIds.length === 0) {
    throw new DomainError(
      'SCOPE_NOT_ALLOWED',
      'Only national administrators create national accounts',
      [{ field: 'facilityIds', message: 'a national account needs a national administrator' }],
    );
  }
  // Stryker disable next-line OptionalChaining: equivalent: an actor who is not national has facilityIds (isNational means null)
  const outside = facilityIds.filter((id) => !actor.facilityIds?.has(id));
  if (outside.length > 0) {
    throw new DomainError(
      'SCOPE_NOT_ALLOWED',
      'The account would reach facilities outside your scope',
      [{ field: 'facilityIds', message: `outside your scope: ${outside.join(', ')}` }],
    );
  }
}
