import { Injectable, OnModuleInit } from '@nestjs/common';
import { UnitOfWork } from '../../common/database/unit-of-work';
import { Clock } from '../../common/time/clock';
import { AuditService } from '../audit/audit.service';
import { PrisonerReleased, PrisonerTransferred } from '../facilities/prisoner-events';
import { BookingsRepository } from './bookings.repository';
import { CallClosingService } from './call-closing.service';
import { CallsRepository } from './calls.repository';

/**
 * A prisoner transferred or released is on no call and keeps no phone booking: in the transaction
 * of the move, their call in progress is cancelled (the hold released, nothing charged) and their
 * bookings not yet over are cancelled.
 */
@Injectable()
export class PayphonesFollowPrisoner implements OnModuleInit {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly calls: CallsRepository,
    private readonly closing: CallClosingService,
    private readonly bookings: BookingsRepository,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.uow.on(PrisonerTransferred, (e) => this.follow(e.move.prisonerId, 'transferred'));
    this.uow.on(PrisonerReleased, (e) => this.follow(e.move.prisonerId, 'released'));
  }

  private async follow(prisonerId: string, why: string): Promise<void> {
    await this.calls.lockPrisoner(prisonerId);
    const { inProgress } = await this.calls.facts(prisonerId, '0000-00');
    if (inProgress) await this.closing.close(inProgress, 'cancelled', `prisoner ${why}`, null);
    for (const b of await this.bookings.cancelFuture(
      prisonerId,
      this.clock.now(),
      `prisoner ${why}`,
    )) {
      this.audit.record({
        action: 'payphone-booking.cancel',
        targetType: 'payphone-booking',
        targetId: b.id,
        facilityId: b.facilityId,
        summary: { prisonerId, reason: `prisoner ${why}` },
      });
    }
  }
}
