import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Principal } from '../../common/auth/principal';
import { UnitOfWork } from '../../common/database/unit-of-work';
import { RequestContext } from '../../common/http/request-context';
import { Clock } from '../../common/time/clock';
import { AuditRepository } from './audit.repository';
import {
  ActorKind,
  ChainedEvent,
  eventMaterial,
  laneKeys,
  NATIONAL_CHAIN,
  sanitizeSummary,
} from './domain/audit-chain';

export interface AuditEntry {
  /** `<area>.<verb>`, e.g. `prisoner.transfer`. */
  action: string;
  targetType: string;
  targetId?: string | null;
  /** The facility whose chain records it; null = the national chain. */
  facilityId: string | null;
  /** What changed, without secrets (keys that look like secrets are redacted anyway). */
  summary?: Record<string, unknown>;
  policyVersionIds?: string[];
  /** Defaults to the caller of the current request (or the system outside one). */
  actor?: Principal | null;
}

type Pending = Omit<ChainedEvent, 'chainSeq' | 'prevHash'>;

const PENDING = 'audit:pending';

function actorOf(
  p: Principal | null | undefined,
  inRequest: boolean,
): { kind: ActorKind; id: string | null } {
  if (!p) return { kind: inRequest ? 'anonymous' : 'system', id: null };
  return { kind: p.kind, id: p.id };
}

/**
 * The only writer of the audit log. `record` must be called inside the use case's transaction:
 * events are buffered and appended just before COMMIT, chain by chain in a fixed order (so two
 * transactions touching the same chains cannot deadlock), holding each chain's head lock only
 * for that last moment. The change and its trail commit together or not at all.
 */
@Injectable()
export class AuditService {
  private readonly knownChains = new Set<string>();

  constructor(
    private readonly uow: UnitOfWork,
    private readonly repo: AuditRepository,
    private readonly clock: Clock,
  ) {}

  record(entry: AuditEntry): void {
    if (!this.uow.inTransaction()) throw new Error(`audit ${entry.action} outside a transaction`);
    const ctx = RequestContext.current();
    const actor = actorOf(
      entry.actor === undefined ? ctx?.principal : entry.actor,
      ctx !== undefined,
    );
    const pending = this.uow.txState<Pending[]>(PENDING, () => []);
    pending.push({
      id: randomUUID(),
      chainKey: entry.facilityId ?? NATIONAL_CHAIN,
      facilityId: entry.facilityId,
      occurredAt: this.clock.now(),
      actorKind: actor.kind,
      actorId: actor.id,
      action: entry.action,
      targetType: entry.targetType,
      targetId: entry.targetId ?? null,
      requestId: ctx?.requestId ?? null,
      summary: sanitizeSummary(entry.summary ?? {}) as Record<string, unknown>,
      policyVersionIds: entry.policyVersionIds ?? [],
    });
    this.uow.beforeCommit(PENDING, () => this.flush(pending));
  }

  private async flush(pending: Pending[]): Promise<void> {
    // fixed lock order across transactions: chains sorted, events of a chain in recording order
    const chains = new Map<string, Pending[]>();
    for (const e of pending) {
      if (!chains.has(e.chainKey)) chains.set(e.chainKey, []);
      chains.get(e.chainKey)!.push(e);
    }
    for (const base of [...chains.keys()].sort()) {
      const lanes = laneKeys(base);
      if (!this.knownChains.has(base)) {
        const created = await this.repo.ensureHeads(lanes);
        // heads created by this transaction are remembered only once they surely exist
        if (!created) this.knownChains.add(base);
      }
      const events = chains.get(base)!.map((event) => ({ event, material: eventMaterial(event) }));
      this.uow.defer(this.repo.appendDeferred(lanes, events));
    }
  }
}
