import { Injectable } from '@nestjs/common';
import { DeferredWrite, UnitOfWork } from '../../common/database/unit-of-work';
import { ActorKind, GENESIS_HASH, VerifiableRow } from './domain/audit-chain';
import { commitHorizon } from './domain/commit-horizon';

interface EventRow {
  id: string;
  seq: string;
  /** tx_id as text: under its own name, so that `ORDER BY tx_id` still means the xid8 column */
  tx: string;
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
  /** The writing transaction's id (xid8, as a decimal string): the list pages by it, then seq. */
  txId: string;
}

function toEvent(r: EventRow): StoredEvent {
  return {
    id: r.id,
    seq: Number(r.seq),
    txId: r.tx,
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
  /** Keyset position: events after this (transaction id, seq). */
  after?: { txId: string; seq: number };
  limit: number;
}

// The text of tx_id must not be called tx_id: an ORDER BY names an output column first, and would
// then sort the list as text ('1000' before '999'), skipping events wherever the ids gain a digit.
const COLUMNS = `id, seq, tx_id::text AS tx, chain_key, chain_seq, facility_id, occurred_at, actor_kind, actor_id, action,
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

  /**
   * The transaction id below which every transaction of this database has ended (see
   * commitHorizon): from this statement's snapshot, less the running transactions named as
   * other databases' (pg_stat_activity, pg_prepared_xacts). Read in its own statement and
   * outside any transaction, so that the events are read in a later snapshot: a transaction that
   * ends in between is then seen as ended there too. (In a transaction, a REPEATABLE READ
   * snapshot would be the earlier one, and pg_stat_activity is kept from its first read.)
   */
  private async horizon(): Promise<string> {
    if (this.uow.inTransaction()) throw new Error('the audit list reads outside a transaction');
    const [row] = await this.uow.query<{
      xmin: string;
      xmax: string;
      xip: string[];
      elsewhere: string[];
    }>(
      `SELECT pg_snapshot_xmin(s)::text AS xmin, pg_snapshot_xmax(s)::text AS xmax,
              ARRAY(SELECT x::text FROM pg_snapshot_xip(s) x) AS xip,
              ARRAY(SELECT backend_xid::text FROM pg_stat_activity
                     WHERE backend_xid IS NOT NULL AND datname <> current_database()
                    UNION ALL
                    SELECT transaction::text FROM pg_prepared_xacts
                     WHERE database <> current_database()) AS elsewhere
         FROM pg_current_snapshot() s`,
    );
    return commitHorizon(
      { xmin: BigInt(row.xmin), xmax: BigInt(row.xmax), xip: row.xip.map(BigInt) },
      row.elsewhere.map(BigInt),
    ).toString();
  }

  /**
   * Events in an order commits cannot overtake: by writing transaction, then seq, and only those
   * of transactions below the horizon (every transaction of this database older than it has
   * ended). Every event below that line is committed or never will be, and any event committed
   * later is above it: a reader who pages on from the last event seen misses none and sees none
   * twice. (`seq` alone is not such an order: it is taken at insert, and commits come later, in
   * another order.) A transaction left open holds the list back until it ends.
   */
  async list(f: EventFilter): Promise<StoredEvent[]> {
    const params: unknown[] = [];
    const p = (v: unknown) => {
      params.push(v);
      return `$${params.length}`;
    };
    const where = [`tx_id < ${p(await this.horizon())}::xid8`];
    if (f.facilityIds !== null) {
      const ids = p(f.facilityIds);
      where.push(
        f.includeNational
          ? `(facility_id = ANY(${ids}::uuid[]) OR facility_id IS NULL)`
          : `facility_id = ANY(${ids}::uuid[])`,
      );
    } else if (!f.includeNational) {
      where.push('facility_id IS NOT NULL');
    }
    if (f.from) where.push(`occurred_at >= ${p(f.from)}`);
    if (f.to) where.push(`occurred_at < ${p(f.to)}`);
    if (f.action) where.push(`action = ${p(f.action)}`);
    if (f.targetId) where.push(`target_id = ${p(f.targetId)}`);
    if (f.after) where.push(`(tx_id, seq) > (${p(f.after.txId)}::xid8, ${p(f.after.seq)}::bigint)`);
    const rows = await this.uow.query<EventRow>(
      `SELECT ${COLUMNS} FROM audit_events WHERE ${where.join(' AND ')}
        ORDER BY tx_id, seq LIMIT ${p(f.limit)}`,
      params,
    );
    return rows.map(toEvent);
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

  /**
   * One chain in order, from position `fromSeq` to `upTo` (default: all of it), in pages (keyset
   * on chain_seq, the chain's unique index) so memory stays flat. A chain's positions are taken in
   * commit order (its head stays locked to COMMIT), so pages read at different moments neither
   * skip nor repeat an event.
   */
  async *chain(
    chainKey: string,
    opts: { pageSize?: number; fromSeq?: number; upTo?: number } = {},
  ): AsyncGenerator<StoredEvent> {
    const pageSize = opts.pageSize ?? 5000;
    let after = (opts.fromSeq ?? 1) - 1;
    for (;;) {
      const rows = await this.uow.query<EventRow>(
        `SELECT ${COLUMNS} FROM audit_events WHERE chain_key = $1 AND chain_seq > $2 AND chain_seq <= $4
          ORDER BY chain_seq LIMIT $3`,
        [chainKey, after, pageSize, opts.upTo ?? Number.MAX_SAFE_INTEGER],
      );
      for (const r of rows) yield toEvent(r);
      if (rows.length < pageSize) return;
      after = Number(rows[rows.length - 1].chain_seq);
    }
  }
}
