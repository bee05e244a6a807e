import { Injectable } from '@nestjs/common';
import { DeferredWrite, UnitOfWork } from '../../common/database/unit-of-work';
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
  constructor(private readonly uow: UnitOfWork) {}

  /** Creates a chain's lane heads if missing (once per chain; outside the hot path). */
  async ensureHeads(chainKeys: string[]): Promise<boolean> {
    const rows = await this.uow.query(
      `INSERT INTO audit_chain_heads (chain_key, last_seq, last_hash)
       SELECT k, 0, $2 FROM unnest($1::text[]) k
       ON CONFLICT (chain_key) DO NOTHING RETURNING 1`,
      [chainKeys, GENESIS_HASH],
    );
    return rows.length > 0;
  }

  /**
   * Appends a transaction's events of one base chain, as a write deferred to just before COMMIT:
   * takes a lane's head (the first one no other transaction holds; when all are held, waits for
   * one picked at random), links and hashes each event in the database (sha256 of
   * material|seq|previous hash, each from the one before), moves the head. The head stays locked
   * to COMMIT, so a lane grows one transaction at a time, in commit order.
   */
  appendDeferred(
    lanes: string[],
    events: Array<{
      event: Omit<VerifiableRow, 'chainKey' | 'chainSeq' | 'prevHash' | 'hash'>;
      material: string;
    }>,
  ): DeferredWrite {
    return {
      build: ({ param, name }) => {
        const [head, free, wait] = [name('head'), name('free'), name('wait')];
        // (one lane, as the national chain has: taken if free, else waited for)
        const ctes = [
          `${free} AS (SELECT chain_key, last_seq AS chain_seq, last_hash AS hash FROM audit_chain_heads
                        WHERE chain_key = ANY(${param(lanes)}::text[]) ORDER BY chain_key
                        FOR UPDATE SKIP LOCKED LIMIT 1)`,
          `${wait} AS (SELECT chain_key, last_seq AS chain_seq, last_hash AS hash FROM audit_chain_heads
                        WHERE chain_key = ${param(lanes[Math.floor(Math.random() * lanes.length)])}
                          AND NOT EXISTS (SELECT 1 FROM ${free}) FOR UPDATE)`,
          `${head} AS (SELECT * FROM ${free} UNION ALL SELECT * FROM ${wait})`,
        ];
        let prev = head;
        events.forEach(({ event: e, material }, i) => {
          const ev = name(`ev${i}`);
          ctes.push(
            `${ev} AS (
               INSERT INTO audit_events (id, chain_key, chain_seq, facility_id, occurred_at, actor_kind, actor_id,
                 action, target_type, target_id, request_id, summary, policy_version_ids, prev_hash, hash)
               SELECT ${param(e.id)}::uuid, p.chain_key, p.chain_seq + 1, ${param(e.facilityId)}::uuid,
                      ${param(e.occurredAt.toISOString())}::timestamptz, ${param(e.actorKind)}, ${param(e.actorId)}::uuid,
                      ${param(e.action)}, ${param(e.targetType)}, ${param(e.targetId)}, ${param(e.requestId)},
                      ${param(JSON.stringify(e.summary))}::jsonb, ${param(e.policyVersionIds)}::uuid[], p.hash,
                      encode(sha256(convert_to(${param(material)}::text || '|' || (p.chain_seq + 1) || '|' || p.hash, 'UTF8')), 'hex')
                 FROM ${prev} p
               RETURNING chain_key, chain_seq, hash)`,
          );
          prev = ev;
        });
        const moved = name('moved');
        ctes.push(
          `${moved} AS (UPDATE audit_chain_heads h SET last_seq = l.chain_seq, last_hash = l.hash
                         FROM ${prev} l WHERE h.chain_key = l.chain_key RETURNING 1)`,
        );
        return { ctes, result: `SELECT count(*)::int FROM ${moved}` };
      },
      check: (moved) => {
        if (moved !== 1) throw new Error(`audit chain ${lanes[0]} has no head`);
      },
      // one shape per number of events: the usual one to three are worth preparing
      prepare: events.length <= 3,
    };
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
    const rows = await this.uow.query<EventRow>(
      `SELECT ${COLUMNS} FROM audit_events ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY seq LIMIT $${params.length}`,
      params,
    );
    return rows.map(toEvent);
  }

  /**
   * Makes the open transaction read-only. Verification runs in one REPEATABLE READ snapshot: the
   * heads it reads and the events it walks are of one instant (a head and its lane's events
   * commit together), so writes committing meanwhile cannot look like a broken chain.
   */
  async readOnly(): Promise<void> {
    if (!this.uow.inTransaction()) throw new Error('readOnly outside a transaction');
    await this.uow.query('SET TRANSACTION READ ONLY');
  }

  async chainKeys(): Promise<Array<{ chainKey: string; lastSeq: number; lastHash: string }>> {
    const rows = await this.uow.query<{ chain_key: string; last_seq: string; last_hash: string }>(
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
      const rows = await this.uow.query<EventRow>(
        `SELECT ${COLUMNS} FROM audit_events WHERE chain_key = $1 AND chain_seq > $2 ORDER BY chain_seq LIMIT $3`,
        [chainKey, after, pageSize],
      );
      for (const r of rows) yield toEvent(r);
      if (rows.length < pageSize) return;
      after = Number(rows[rows.length - 1].chain_seq);
    }
  }
}
