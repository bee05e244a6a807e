import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { UnitOfWork } from '../../common/database/unit-of-work';
import { ActorKind, GENESIS_HASH, VerifiableRow } from './domain/audit-chain';

interface EventRow {
  id: string;
  seq: string;
  chain_key: string;
  chain_seq: string;
  facility_id: string | null;
  occurred_at: Date;
  actor_kind: ActorKind;
  actor_id: string | null;
  action: string;
  target_type: string;
  target_id: string | null;
  request_id: string | null;
  summary: Record<string, unknown>;
  policy_version_ids: string[];
  prev_hash: string;
  hash: string;
}

export interface StoredEvent extends VerifiableRow {
  seq: number;
}

function toEvent(r: EventRow): StoredEvent {
  return {
    id: r.id,
    seq: Number(r.seq),
    chainKey: r.chain_key,
    chainSeq: Number(r.chain_seq),
    facilityId: r.facility_id,
    occurredAt: r.occurred_at,
    actorKind: r.actor_kind,
    actorId: r.actor_id,
    action: r.action,
    targetType: r.target_type,
    targetId: r.target_id,
    requestId: r.request_id,
    summary: r.summary,
    policyVersionIds: r.policy_version_ids,
    prevHash: r.prev_hash,
    hash: r.hash,
  };
}

export interface EventFilter {
  /** null = every facility and the national chain. */
  facilityIds: string[] | null;
  includeNational: boolean;
  from?: Date;
  to?: Date;
  action?: string;
  targetId?: string;
  afterSeq?: number;
  limit: number;
}

const COLUMNS = `id, seq, chain_key, chain_seq, facility_id, occurred_at, actor_kind, actor_id, action,
  target_type, target_id, request_id, summary, policy_version_ids, prev_hash, hash`;

@Injectable()
export class AuditRepository {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly db: DataSource,
  ) {}

  /** Locks the chain's head for the rest of the transaction and returns where it stands. */
  async lockHead(chainKey: string): Promise<{ lastSeq: number; lastHash: string }> {
    const rows: Array<{ last_seq: string; last_hash: string }> = await this.uow.manager().query(
      `INSERT INTO audit_chain_heads (chain_key, last_seq, last_hash) VALUES ($1, 0, $2)
       ON CONFLICT (chain_key) DO UPDATE SET chain_key = EXCLUDED.chain_key
       RETURNING last_seq, last_hash`,
      [chainKey, GENESIS_HASH],
    );
    return { lastSeq: Number(rows[0].last_seq), lastHash: rows[0].last_hash };
  }

  /** Appends events of one chain (already hashed, in order) and moves its head. */
  async append(chainKey: string, events: VerifiableRow[]): Promise<void> {
    const cols = events.map((e) => [
      e.id,
      e.chainKey,
      e.chainSeq,
      e.facilityId,
      e.occurredAt.toISOString(),
      e.actorKind,
      e.actorId,
      e.action,
      e.targetType,
      e.targetId,
      e.requestId,
      JSON.stringify(e.summary),
      e.policyVersionIds,
      e.prevHash,
      e.hash,
    ]);
    const params: unknown[] = [];
    const tuples = cols.map((c) => {
      const base = params.length;
      params.push(...c);
      const p = (i: number) => `$${base + i}`;
      return `(${p(1)}::uuid, ${p(2)}, ${p(3)}::bigint, ${p(4)}::uuid, ${p(5)}::timestamptz, ${p(6)}, ${p(7)}::uuid,
        ${p(8)}, ${p(9)}, ${p(10)}, ${p(11)}, ${p(12)}::jsonb, ${p(13)}::uuid[], ${p(14)}, ${p(15)})`;
    });
    const last = events[events.length - 1];
    params.push(chainKey, last.chainSeq, last.hash);
    const n = params.length;
    await this.uow.manager().query(
      `WITH ins AS (
         INSERT INTO audit_events (id, chain_key, chain_seq, facility_id, occurred_at, actor_kind, actor_id,
           action, target_type, target_id, request_id, summary, policy_version_ids, prev_hash, hash)
         VALUES ${tuples.join(', ')} RETURNING 1)
       UPDATE audit_chain_heads SET last_seq = $${n - 1}, last_hash = $${n}
        WHERE chain_key = $${n - 2} AND (SELECT count(*) FROM ins) > 0`,
      params,
    );
  }

  async list(f: EventFilter): Promise<StoredEvent[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (sql: string, v: unknown) => {
      params.push(v);
      where.push(sql.replace('?', `$${params.length}`));
    };
    if (f.facilityIds !== null) {
      params.push(f.facilityIds);
      where.push(
        f.includeNational
          ? `(facility_id = ANY($${params.length}::uuid[]) OR facility_id IS NULL)`
          : `facility_id = ANY($${params.length}::uuid[])`,
      );
    } else if (!f.includeNational) {
      where.push('facility_id IS NOT NULL');
    }
    if (f.from) add('occurred_at >= ?', f.from);
    if (f.to) add('occurred_at < ?', f.to);
    if (f.action) add('action = ?', f.action);
    if (f.targetId) add('target_id = ?', f.targetId);
    if (f.afterSeq !== undefined) add('seq > ?', f.afterSeq);
    params.push(f.limit + 1);
    const rows: EventRow[] = await this.db.query(
      `SELECT ${COLUMNS} FROM audit_events ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY seq LIMIT $${params.length}`,
      params,
    );
    return rows.map(toEvent);
  }

  async chainKeys(): Promise<Array<{ chainKey: string; lastSeq: number; lastHash: string }>> {
    const rows: Array<{ chain_key: string; last_seq: string; last_hash: string }> =
      await this.db.query(
        `SELECT chain_key, last_seq, last_hash FROM audit_chain_heads ORDER BY chain_key`,
      );
    return rows.map((r) => ({
      chainKey: r.chain_key,
      lastSeq: Number(r.last_seq),
      lastHash: r.last_hash,
    }));
  }

  /** One chain in order, in pages (keyset on chain_seq) so memory stays flat. */
  async *chain(chainKey: string, pageSize = 5000): AsyncGenerator<StoredEvent> {
    let after = 0;
    for (;;) {
      const rows: EventRow[] = await this.db.query(
        `SELECT ${COLUMNS} FROM audit_events WHERE chain_key = $1 AND chain_seq > $2 ORDER BY chain_seq LIMIT $3`,
        [chainKey, after, pageSize],
      );
      for (const r of rows) yield toEvent(r);
      if (rows.length < pageSize) return;
      after = Number(rows[rows.length - 1].chain_seq);
    }
  }
}
