import { Injectable } from '@nestjs/common';
import { Principal } from '../../common/auth/principal';
import { UnitOfWork } from '../../common/database/unit-of-work';
import { DomainError } from '../../common/errors/domain-error';
import {
  decodeCursor,
  encodeCursor,
  listScope,
  Page,
  pageLimit,
} from '../../common/http/pagination';
import { AccessService } from '../access/access.service';
import { AuditRepository } from './audit.repository';
import { baseChain, ChainVerifier, NATIONAL_CHAIN } from './domain/audit-chain';
import {
  AuditEventDto,
  AuditEventsQueryDto,
  AuditVerificationDto,
  ChainStateDto,
} from './dto/audit.dto';

/** The list's position: the last event's writing transaction and seq. */
function positionOf(
  cursor: string | undefined,
  list: string,
): { txId: string; seq: number } | undefined {
  const c = decodeCursor(cursor, list);
  if (!c) return undefined;
  const m = /^(\d{1,20}):(\d{1,18})$/.exec(c.k);
  if (!m)
    throw new DomainError('INVALID_CURSOR', 'cursor is not one this API issued', [
      { field: 'cursor', message: 'invalid cursor' },
    ]);
  return { txId: m[1], seq: Number(m[2]) };
}

/** Reading and verifying the audit log, within the auditor's scope. */
@Injectable()
export class AuditQueryService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly repo: AuditRepository,
    private readonly access: AccessService,
  ) {}

  async list(actor: Principal, q: AuditEventsQueryDto): Promise<Page<AuditEventDto>> {
    if (q.facilityId) this.access.requireFacility(actor, q.facilityId);
    const scope = this.access.facilityFilter(actor);
    const nationalOnly = q.national === 'true';
    const limit = pageLimit(q);
    const list = listScope(
      'audit-events',
      q.facilityId,
      q.national,
      q.from,
      q.to,
      q.action,
      q.targetId,
    );
    const after = positionOf(q.cursor, list);
    const rows = await this.repo.list({
      facilityIds: q.facilityId ? [q.facilityId] : nationalOnly ? [] : scope,
      // the national chain (accounts, facilities) is for national auditors
      includeNational: scope === null && !q.facilityId,
      from: q.from,
      to: q.to,
      action: q.action,
      targetId: q.targetId,
      after,
      limit,
    });
    const last = rows[rows.length - 1];
    return {
      items: rows.map(AuditEventDto.from),
      // the trail grows: a follower continues from its last event, even after a short page
      nextCursor: last ? encodeCursor({ k: `${last.txId}:${last.seq}`, id: last.id }, list) : null,
    };
  }

  /**
   * Recomputes every chain in the caller's scope from its first event: order, links and hashes,
   * and that the chain's head still names its last event (a deleted tail is caught there). All
   * of it in one snapshot: a head read first and a lane walked later would disagree whenever a
   * write committed in between, an alarm that is not one (a head and its lane's events commit
   * together).
   */
  verify(actor: Principal): Promise<AuditVerificationDto> {
    return this.uow.snapshot(() => this.verifyChains(actor));
  }

  private async verifyChains(actor: Principal): Promise<AuditVerificationDto> {
    // the national chain's base is no facility: only national auditors work "in" it
    const heads = (await this.repo.chainKeys()).filter((h) =>
      this.access.inFacility(actor, baseChain(h.chainKey)),
    );
    const chains: ChainStateDto[] = [];
    for (const head of heads) {
      const v = new ChainVerifier();
      for await (const e of this.repo.chain(head.chainKey)) v.push(e);
      const r = v.result();
      const headMatches = r.lastSeq === head.lastSeq && r.lastHash === head.lastHash;
      chains.push({
        chainKey: head.chainKey,
        facilityId: head.chainKey === NATIONAL_CHAIN ? null : baseChain(head.chainKey),
        eventsChecked: r.eventsChecked,
        ok: r.ok && headMatches,
        firstBrokenEventId: r.firstBrokenEventId,
        headHash: head.lastHash,
      });
    }
    const firstBroken = chains.find((c) => !c.ok);
    return {
      ok: !firstBroken,
      eventsChecked: chains.reduce((n, c) => n + c.eventsChecked, 0),
      firstBrokenEventId: firstBroken?.firstBrokenEventId ?? null,
      chains,
    };
  }
}
