import { Matches } from 'class-validator';
import { IsId, IsInstantDate, IsText, NotBefore, Omittable } from '../../../common/http/validators';
import { PageQueryDto } from '../../../common/http/pagination';
import type { StoredEvent } from '../audit.repository';

export class AuditEventsQueryDto extends PageQueryDto {
  /** Events of one facility's chain. */
  @Omittable()
  @IsId()
  facilityId?: string;

  /** Only the national chain (events outside any facility). */
  @Omittable()
  @Matches(/^(true|false)$/)
  national?: string;

  /** Instant with its offset, inclusive. */
  @Omittable()
  @IsInstantDate()
  from?: Date;

  /** Instant with its offset, exclusive; not before `from`. */
  @Omittable()
  @IsInstantDate()
  @NotBefore('from')
  to?: Date;

  /** Events of this action (not empty). */
  @Omittable()
  @IsText(100)
  action?: string;

  /** Events about this target (not empty). */
  @Omittable()
  @IsText(100)
  targetId?: string;
}

export class AuditEventDto {
  id: string;
  /** Global order of appending. */
  seq: number;
  facilityId: string | null;
  /** The chain: `national`, a facility id, or one of the facility's lanes `<facility id>#<n>`. */
  chainKey: string;
  /** Position in its chain. */
  chainSeq: number;
  occurredAt: string;
  actorKind: string;
  actorId: string | null;
  action: string;
  targetType: string;
  targetId: string | null;
  requestId: string | null;
  summary: Record<string, unknown>;
  policyVersionIds: string[];
  prevHash: string;
  hash: string;

  static from(e: StoredEvent): AuditEventDto {
    return {
      id: e.id,
      seq: e.seq,
      facilityId: e.facilityId,
      chainKey: e.chainKey,
      chainSeq: e.chainSeq,
      occurredAt: e.occurredAt.toISOString(),
      actorKind: e.actorKind,
      actorId: e.actorId,
      action: e.action,
      targetType: e.targetType,
      targetId: e.targetId,
      requestId: e.requestId,
      summary: e.summary,
      policyVersionIds: e.policyVersionIds,
      prevHash: e.prevHash,
      hash: e.hash,
    };
  }
}

export class AuditEventPageDto {
  items: AuditEventDto[];
  nextCursor: string | null;
}

export class ChainStateDto {
  /** The chain: `national`, a facility id, or a facility's lane `<facility id>#<n>`. */
  chainKey: string;
  /** null = the national chain. */
  facilityId: string | null;
  eventsChecked: number;
  ok: boolean;
  firstBrokenEventId: string | null;
  /** The hash of the chain's last event: record it outside the system to anchor the chain. */
  headHash: string;
}

export class AuditVerificationDto {
  ok: boolean;
  eventsChecked: number;
  firstBrokenEventId: string | null;
  chains: ChainStateDto[];
}
