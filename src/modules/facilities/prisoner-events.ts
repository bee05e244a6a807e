import { DomainEvent } from '../../common/database/unit-of-work';
import type { Conditions } from './domain/prisoner.rules';

/**
 * What happens to a prisoner that other modules react to (visits, orderly assignments, payphone
 * bookings): they subscribe through `UnitOfWork.on`; this module knows none of them.
 */
interface Move {
  prisonerId: string;
  /** Who did it (a staff account), and when by the use case's clock. */
  actorId: string;
  at: Date;
}

export class PrisonerTransferred extends DomainEvent {
  readonly name = 'prisoner.transferred';
  constructor(readonly move: Move & { fromFacilityId: string; toFacilityId: string }) {
    super();
  }
}

/** Raised when a release is recorded (the release use case is not built yet). */
export class PrisonerReleased extends DomainEvent {
  readonly name = 'prisoner.released';
  constructor(readonly move: Move & { facilityId: string }) {
    super();
  }
}

export class PrisonerConditionsChanged extends DomainEvent {
  readonly name = 'prisoner.conditions-changed';
  constructor(readonly move: Move & { facilityId: string; from: Conditions; to: Conditions }) {
    super();
  }
}
