import { Client } from 'pg';
import { ChainedEvent, eventHash, GENESIS_HASH } from '../../src/modules/audit/domain/audit-chain';
import { databaseUrl } from './database';
import type { TestApp } from './test-app';

/**
 * What a dishonest administrator with the database's superuser could do: switch the triggers off,
 * rewrite the summary of one event of a chain, recompute the hash of every event after it and
 * move the chain's head, so that the chain verifies again (`/audit/verify` says ok).
 */
export async function rewriteEvent(
  t: TestApp,
  chainKey: string,
  position: number,
  summaryPatch: Record<string, unknown>,
): Promise<void> {
  const db = new Client({ connectionString: databaseUrl(process.env.TEST_ADMIN_URL!, t.dbName) });
  await db.connect();
  try {
    await db.query('BEGIN');
    await db.query('SET LOCAL session_replication_role = replica');
    const { rows } = await db.query(
      `SELECT id, chain_key, chain_seq::int, facility_id, occurred_at, actor_kind, actor_id, action,
              target_type, target_id, request_id, summary, policy_version_ids::text[], hash
         FROM audit_events WHERE chain_key = $1 ORDER BY chain_seq`,
      [chainKey],
    );
    let prevHash = GENESIS_HASH;
    for (const r of rows) {
      const e: ChainedEvent = {
        id: r.id,
        chainKey: r.chain_key,
        chainSeq: r.chain_seq,
        facilityId: r.facility_id,
        occurredAt: r.occurred_at,
        actorKind: r.actor_kind,
        actorId: r.actor_id,
        action: r.action,
        targetType: r.target_type,
        targetId: r.target_id,
        requestId: r.request_id,
        summary: r.chain_seq === position ? { ...r.summary, ...summaryPatch } : r.summary,
        policyVersionIds: r.policy_version_ids,
        prevHash,
      };
      const hash = eventHash(e);
      if (r.chain_seq >= position) {
        await db.query(
          'UPDATE audit_events SET summary = $2::jsonb, prev_hash = $3, hash = $4 WHERE id = $1',
          [e.id, JSON.stringify(e.summary), e.prevHash, hash],
        );
      }
      prevHash = hash;
    }
    await db.query('UPDATE audit_chain_heads SET last_hash = $2 WHERE chain_key = $1', [
      chainKey,
      prevHash,
    ]);
    await db.query('COMMIT');
  } catch (err) {
    await db.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    await db.end();
  }
}
