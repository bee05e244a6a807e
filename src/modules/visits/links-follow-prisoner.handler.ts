import { Injectable, OnModuleInit } from '@nestjs/common';
import { UnitOfWork } from '../../common/database/unit-of-work';
import { AuditService } from '../audit/audit.service';
import { PrisonerTransferred } from '../facilities/prisoner-events';
import { RelativeLinksRepository } from './relative-links.repository';

/**
 * A relative's link follows the prisoner: after a transfer the officers of the facility that holds
 * them see and decide it (the facilities module raises the event and knows nothing of links).
 */
@Injectable()
export class LinksFollowPrisoner implements OnModuleInit {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly links: RelativeLinksRepository,
    private readonly audit: AuditService,
  ) {}

  onModuleInit(): void {
    this.uow.on(PrisonerTransferred, (e) => this.transferred(e));
  }

  async transferred(e: PrisonerTransferred): Promise<void> {
    const { moved, closed } = await this.links.followTransfer(e.move);
    if (moved.length === 0) return;
    this.audit.record({
      action: 'link.follow-transfer',
      targetType: 'prisoner',
      targetId: e.move.prisonerId,
      facilityId: e.move.toFacilityId,
      summary: { fromFacilityId: e.move.fromFacilityId, linkIds: moved, supersededLinkIds: closed },
    });
  }
}
