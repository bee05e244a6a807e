// The SQL of one approved charge, as the application runs it, straight through `pg` at the same
// concurrency: the ceiling the HTTP service is compared against.
import { randomUUID } from 'node:crypto';
import pg from 'pg';

async function chargeTx(c, w, amountMinor) {
  const key = randomUUID();
  const scope = `terminal:${w.terminalId}:POST /charges`;
  const id = randomUUID();
  const entryId = randomUUID();
  const now = new Date();
  await c.query('BEGIN');
  try {
    await c.query(
      `SELECT pg_try_advisory_xact_lock(hashtextextended($1, 0)) AS ok, k.request_hash FROM (SELECT 1) one
         LEFT JOIN idempotency_keys k ON k.scope = $2 AND k.key = $3 AND k.expires_at > now()`,
      [`idem|${scope}|${key}`, scope, key],
    );
    const card = (await c.query(`SELECT * FROM cards WHERE number_hmac = $1`, [w.hmac])).rows[0];
    await c.query(`SELECT * FROM prisoners WHERE id = $1 FOR SHARE`, [card.prisoner_id]);
    const wallet = (await c.query(
      `SELECT id, balance_minor FROM ledger_accounts
        WHERE kind = 'prisoner-wallet' AND prisoner_id = $1 AND currency = 'KZT' FOR UPDATE`,
      [card.prisoner_id],
    )).rows[0].id;
    await c.query(
      `SELECT coalesce(sum(amount_minor - refunded_minor), 0) AS s FROM charges
        WHERE prisoner_id = $1 AND local_month = $2 AND outcome = 'approved'`,
      [card.prisoner_id, '2026-11'],
    );
    const after = (await c.query(
      `WITH e AS (INSERT INTO ledger_entries (id, kind, facility_id, reference_id, description, request_id, created_at)
                  VALUES ($1, 'charge', $2, $3, 'bench', null, $4) RETURNING id),
            w0 AS (UPDATE ledger_accounts SET balance_minor = balance_minor + $5::bigint
                    WHERE id = $6 AND balance_minor + $5::bigint >= 0 RETURNING id, balance_minor),
            p AS (INSERT INTO ledger_postings (entry_id, account_id, amount_minor, currency, balance_after_minor, created_at)
                  SELECT e.id, w0.id, $5::bigint, 'KZT', w0.balance_minor, $4::timestamptz FROM e, w0
                  UNION ALL SELECT e.id, $7::uuid, $8::bigint, 'KZT', NULL::bigint, $4::timestamptz FROM e
                  RETURNING 1)
       SELECT (SELECT count(*) FROM p) AS postings, (SELECT balance_minor FROM w0) AS w0`,
      [entryId, w.facilityId, id, now, -amountMinor, wallet, w.shopAccount, amountMinor],
    )).rows[0].w0;
    await c.query(
      `INSERT INTO charges (id, facility_id, terminal_id, card_id, prisoner_id, amount_minor, currency, items, outcome,
         reasons, policy_version_ids, balance_after_minor, entry_id, local_month, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, 'KZT', '[]', 'approved', '[]', '{}', $7, $8, '2026-11', $9)`,
      [id, w.facilityId, w.terminalId, card.id, card.prisoner_id, amountMinor, after, entryId, now],
    );
    await c.query(
      `WITH head AS (SELECT last_seq, last_hash FROM audit_chain_heads WHERE chain_key = $2 FOR UPDATE),
            ev AS (
              INSERT INTO audit_events (id, chain_key, chain_seq, facility_id, occurred_at, actor_kind, actor_id,
                action, target_type, target_id, request_id, summary, policy_version_ids, prev_hash, hash)
              SELECT $1, $2, head.last_seq + 1, $3, $4, 'terminal', $5, 'charge.approve', 'charge', $6, null, '{}', '{}',
                     head.last_hash, encode(sha256(convert_to($7 || '|' || (head.last_seq + 1) || '|' || head.last_hash, 'UTF8')), 'hex')
                FROM head
              RETURNING chain_seq, hash)
       UPDATE audit_chain_heads h SET last_seq = ev.chain_seq, last_hash = ev.hash FROM ev WHERE h.chain_key = $2 RETURNING 1`,
      [randomUUID(), w.facilityId, w.facilityId, now, w.terminalId, id, `material-${id}`],
    );
    await c.query(
      `INSERT INTO idempotency_keys (scope, key, request_hash, response_status, response_body, expires_at)
       VALUES ($1, $2, 'x', 201, '{}', now() + interval '24 hours')
       ON CONFLICT (scope, key) DO UPDATE SET expires_at = EXCLUDED.expires_at WHERE idempotency_keys.expires_at <= now()
       RETURNING 1`,
      [scope, key],
    );
    await c.query('COMMIT');
  } catch (err) {
    await c.query('ROLLBACK').catch(() => undefined);
    throw err;
  }
}

/** Runs `connections` workers for `seconds`; returns { requestsPerSecond, p50Ms, p99Ms, errors }. */
export async function runBaseline(url, wallets, { connections, seconds, amountMinor = 100 }) {
  const db = new pg.Pool({ connectionString: url, max: connections });
  const latencies = [];
  let errors = 0;
  const until = Date.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: connections }, async (_, worker) => {
      const c = await db.connect();
      try {
        let i = worker;
        while (Date.now() < until) {
          const w = wallets[i % wallets.length];
          i += connections;
          const t0 = performance.now();
          try {
            await chargeTx(c, w, amountMinor);
            latencies.push(performance.now() - t0);
          } catch {
            errors++;
          }
        }
      } finally {
        c.release();
      }
    }),
  );
  await db.end();
  latencies.sort((a, b) => a - b);
  const at = (q) => Math.round(latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0);
  return { requestsPerSecond: Math.round(latencies.length / seconds), p50Ms: at(0.5), p99Ms: at(0.99), errors };
}
