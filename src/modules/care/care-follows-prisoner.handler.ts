import { Injectable, OnModuleInit } from '@nestjs/common';
import { UnitOfWork } from '../../common/database/unit-of-work';
import { AuditService } from '../audit/audit.service';
import { PrisonerReleased, PrisonerTransferred } from '../facilities/prisoner-events';
import { CarePolicy } from './care-policy.service';
import { DisabilitiesRepository } from './disabilities.repository';
import { OrderlyAssignmentsRepository } from './orderly-assignments.repository';
import { OrderlyPositionsRepository } from './orderly-positions.repository';

/**
 * Care follows the prisoner, in the transaction that moves them: a transfer or a release ends
 * their orderly position and every assignment they are in (as orderly or assisted) on that day of
 * the facility they leave, and their disability records go with them, so the receiving
 * facility's care office sees them waiting for help. The facilities module raises the events and
 * knows nothing of care.
 */
@Injectable()
export class CareFollowsPrisoner implements OnModuleInit {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly positions: OrderlyPositionsRepository,
    private readonly assignments: OrderlyAssignmentsRepository,
    private readonly disabilities: DisabilitiesRepository,
    private readonly care: CarePolicy,
    private readonly audit: AuditService,
  ) {}

  onModuleInit(): void {
    this.uow.on(PrisonerTransferred, (e) =>
      this.leave(e.move, 'transferred', e.move.fromFacilityId, e.move.toFacilityId),
    );
    this.uow.on(PrisonerReleased, (e) => this.leave(e.move, 'released', e.move.facilityId, null));
  }

  private async leave(
    move: { prisonerId: string; actorId: string; at: Date },
    kind: 'transferred' | 'released',
    fromFacilityId: string,
    toFacilityId: string | null,
  ): Promise<void> {
    const end = {
      until: await this.care.localDate(fromFacilityId, move.at),
      kind,
      reason: null,
      endedBy: move.actorId,
      endedAt: move.at,
    };
    const assignments = await this.assignments.endFor({ prisonerId: move.prisonerId }, end);
    const positions = await this.positions.end({ prisonerId: move.prisonerId }, end);
    const records = await this.disabilities.follow(move.prisonerId, toFacilityId);
    if (assignments.length + positions.length + records === 0) return;
    this.audit.record({
      action: `care.follow-${kind === 'transferred' ? 'transfer' : 'release'}`,
      targetType: 'prisoner',
      targetId: move.prisonerId,
      facilityId: fromFacilityId,
      summary: {
        toFacilityId,
        endedAssignmentIds: assignments.map((a) => a.id),
        endedPositionIds: positions.map((p) => p.id),
        disabilityRecordsMoved: records,
      },
    });
  }
}
