import { Injectable, OnModuleInit } from '@nestjs/common';
import { UnitOfWork } from '../../common/database/unit-of-work';
import { AuditService } from '../audit/audit.service';
import { PrisonerReleased, PrisonerTransferred } from '../facilities/prisoner-events';
import { LongVisitsRepository } from './long-visits.repository';

/**
 * A prisoner transferred or released keeps no long visit in the facility they left: the bookings
 * not yet over are cancelled with that reason, in the transaction that moves them (the
 * facilities module raises the events and knows nothing of visits).
 */
@Injectable()
export class VisitsFollowPrisoner implements OnModuleInit {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly visits: LongVisitsRepository,
    private readonly audit: AuditService,
  ) {}

  onModuleInit(): void {
    this.uow.on(PrisonerTransferred, (e) =>
      this.cancel(e.move, 'transferred', 'The prisoner was transferred to another facility'),
    );
    this.uow.on(PrisonerReleased, (e) =>
      this.cancel(e.move, 'released', 'The prisoner was released'),
    );
  }

  private async cancel(
    m: { prisonerId: string; actorId: string; at: Date },
    why: string,
    reason: string,
  ): Promise<void> {
    const cancelled = await this.visits.cancelForPrisoner(m.prisonerId, {
      reason,
      by: m.actorId,
      at: m.at,
    });
    for (const v of cancelled) {
      this.audit.record({
        action: 'long-visit.cancel',
        targetType: 'long-visit',
        targetId: v.id,
        facilityId: v.facilityId,
        summary: { why: `prisoner-${why}`, prisonerId: m.prisonerId },
      });
    }
  }
}
