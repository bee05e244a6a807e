// The SQL of one approved charge, as the application runs it (the statements PostgreSQL logs for
// a charge with log_statement=all), straight through `pg` at the same concurrency: the ceiling
// the HTTP service is compared against. Like the application, it prepares each statement once per
// connection, and writes the entry, the decision, the idempotency key and the audit event (in a
// free lane of the facility's trail) in one statement before COMMIT.
import { createHash, randomUUID } from 'node:crypto';
import pg from 'pg';

const LANES = 8;
const MONTH = new Date().toISOString().slice(0, 7);

const IDEMPOTENCY = `SELECT pg_try_advisory_xact_lock(hashtextextended($1, 0)) AS ok, k.request_hash, k.response_status, k.response_body
  FROM (SELECT 1) one LEFT JOIN idempotency_keys k ON k.scope = $2 AND k.key = $3 AND k.expires_at > $4`;
const CARD_AND_WALLET = `WITH l AS (SELECT id, prisoner_id, last4, status, blocked_reason, issued_at, blocked_at
        FROM cards WHERE number_hmac = $1 FOR SHARE),
      w AS (SELECT id, prisoner_id, currency, balance_minor, held_minor FROM ledger_accounts
             WHERE kind = 'prisoner-wallet' AND prisoner_id = (SELECT prisoner_id FROM l) AND currency = $2 FOR UPDATE)
  SELECT l.*, w.id AS ledger_id, w.balance_minor AS ledger_balance_minor, w.held_minor AS ledger_held_minor
    FROM l LEFT JOIN w ON true`;
const PRISONER = `SELECT id, facility_id, personal_number, full_name, security_level, conditions, status, created_at, updated_at
  FROM prisoners WHERE id = $1 FOR SHARE`;
const SPENT = `SELECT coalesce(sum(amount_minor - refunded_minor), 0) AS s FROM charges
  WHERE prisoner_id = $1 AND local_month = $2 AND outcome = 'approved'`;
// the ledger's batch (entries, wallets, postings; no hold parts, as for a charge since 3ad7fc3),
// the charge, the idempotency key, the audit event
const LAST_WRITES = `WITH d0_entries AS (INSERT INTO ledger_entries (id, kind, facility_id, reference_id, description, request_id, created_at)
      SELECT * FROM unnest($2::uuid[], $3::text[], $4::uuid[], $5::uuid[], $6::text[], $7::text[], $8::timestamptz[]) RETURNING 1),
  d0_wallets AS (UPDATE ledger_accounts a SET balance_minor = a.balance_minor + x.db, held_minor = a.held_minor + x.dh
      FROM unnest($1::uuid[], $9::bigint[], $10::bigint[]) AS x(id, db, dh)
      WHERE a.id = ANY($1::uuid[]) AND a.id = x.id RETURNING a.id, a.balance_minor, a.held_minor),
  d0_postings AS (INSERT INTO ledger_postings (entry_id, account_id, amount_minor, currency, balance_after_minor, created_at)
      SELECT x.e, x.a, x.m, x.c, x.b, x.t
        FROM unnest($11::uuid[], $12::uuid[], $13::bigint[], $14::text[], $15::bigint[], $16::timestamptz[])
             WITH ORDINALITY AS x(e, a, m, c, b, t, n)
       ORDER BY x.n RETURNING 1),
  d1_charge AS (INSERT INTO charges (id, facility_id, terminal_id, card_id, prisoner_id, amount_minor, currency, items,
        outcome, reasons, policy_version_ids, balance_after_minor, entry_id, local_month, created_at)
      VALUES ($17::uuid, $18::uuid, $19::uuid, $20::uuid, $21::uuid, $22::bigint, $23, $24::jsonb, $25, $26::jsonb,
        $27::uuid[], $28::bigint, $29::uuid, $30, $31::timestamptz) RETURNING 1),
  d2_key AS (INSERT INTO idempotency_keys (scope, key, request_hash, response_status, response_body, created_at, expires_at)
      VALUES ($33, $34, $35, $36::int, $37::jsonb, $32::timestamptz, $38::timestamptz)
      ON CONFLICT (scope, key) DO UPDATE SET request_hash = EXCLUDED.request_hash,
        response_status = EXCLUDED.response_status, response_body = EXCLUDED.response_body,
        created_at = EXCLUDED.created_at, expires_at = EXCLUDED.expires_at
      WHERE idempotency_keys.expires_at <= $32::timestamptz RETURNING 1),
  d3_free AS (SELECT chain_key, last_seq AS chain_seq, last_hash AS hash FROM audit_chain_heads
      WHERE chain_key = ANY($39::text[]) ORDER BY chain_key FOR UPDATE SKIP LOCKED LIMIT 1),
  d3_wait AS (SELECT chain_key, last_seq AS chain_seq, last_hash AS hash FROM audit_chain_heads
      WHERE chain_key = $40 AND NOT EXISTS (SELECT 1 FROM d3_free) FOR UPDATE),
  d3_head AS (SELECT * FROM d3_free UNION ALL SELECT * FROM d3_wait),
  d3_ev0 AS (INSERT INTO audit_events (id, chain_key, chain_seq, facility_id, occurred_at, actor_kind, actor_id,
        action, target_type, target_id, request_id, summary, policy_version_ids, prev_hash, hash)
      SELECT $41::uuid, p.chain_key, p.chain_seq + 1, $42::uuid, $43::timestamptz, $44, $45::uuid, $46, $47, $48, $49,
        $50::jsonb, $51::uuid[], p.hash,
        encode(sha256(convert_to($52::text || '|' || (p.chain_seq + 1) || '|' || p.hash, 'UTF8')), 'hex')
      FROM d3_head p RETURNING chain_key, chain_seq, hash),
  d3_moved AS (UPDATE audit_chain_heads h SET last_seq = l.chain_seq, last_hash = l.hash
      FROM d3_ev0 l WHERE h.chain_key = l.chain_key RETURNING 1)
SELECT (SELECT json_build_object(
    'wallets', (SELECT coalesce(json_agg(json_build_array(id, balance_minor::text, held_minor::text)), '[]') FROM d0_wallets),
    'written', (SELECT count(*) FROM d0_entries) + (SELECT count(*) FROM d0_postings))) AS r0,
  (SELECT count(*)::int FROM d1_charge) AS r1, (SELECT count(*)::int FROM d2_key) AS r2, (SELECT count(*)::int FROM d3_moved) AS r3`;

const prepared = (sql) => ({ name: `bench_${createHash('sha256').update(sql).digest('hex').slice(0, 16)}`, text: sql });
const Q = Object.fromEntries(
  Object.entries({ IDEMPOTENCY, CARD_AND_WALLET, PRISONER, SPENT, LAST_WRITES }).map(([k, v]) => [k, prepared(v)]),
);

async function chargeTx(c, w, amountMinor) {
  const key = randomUUID();
  const scope = `terminal:${w.terminalId}:POST /charges`;
  const id = randomUUID();
  const entryId = randomUUID();
  const now = new Date();
  await c.query('START TRANSACTION');
  try {
    await c.query({ ...Q.IDEMPOTENCY, values: [`idem|${scope}|${key}`, scope, key, now] });
    const card = (await c.query({ ...Q.CARD_AND_WALLET, values: [w.hmac, 'KZT'] })).rows[0];
    await c.query({ ...Q.PRISONER, values: [card.prisoner_id] });
    await c.query({ ...Q.SPENT, values: [card.prisoner_id, MONTH] });
    const after = Number(card.ledger_balance_minor) - amountMinor;
    const body = { id, outcome: 'approved', reasons: [], currency: 'KZT', amountMinor, balanceAfterMinor: after };
    const lanes = Array.from({ length: LANES }, (_, i) => (i ? `${w.facilityId}#${i}` : w.facilityId));
    const res = await c.query({
      ...Q.LAST_WRITES,
      values: [
        [card.ledger_id],
        [entryId], ['charge'], [w.facilityId], [id], ['1 × tea'], [null], [now],
        [-amountMinor], [0],
        [entryId, entryId], [card.ledger_id, w.shopAccount], [-amountMinor, amountMinor], ['KZT', 'KZT'], [after, null], [now, now],
        id, w.facilityId, w.terminalId, card.id, card.prisoner_id, amountMinor, 'KZT',
        JSON.stringify([{ description: 'tea', quantity: 1, unitPriceMinor: amountMinor }]), 'approved', '[]', [],
        after, entryId, MONTH, now,
        now, scope, key, 'bench', 201, JSON.stringify(body), new Date(now.getTime() + 24 * 3_600_000),
        lanes, lanes[Math.floor(Math.random() * LANES)], randomUUID(), w.facilityId, now, 'terminal', w.terminalId,
        'charge.approve', 'charge', id, null, JSON.stringify({ amountMinor, currency: 'KZT' }), [], `material-${id}`,
      ],
    });
    const r = res.rows[0];
    const moved = r.r0.wallets[0]?.[1];
    if (r.r0.written !== 3 || r.r1 !== 1 || r.r2 !== 1 || r.r3 !== 1 || moved !== String(after))
      throw new Error(`wrote ${JSON.stringify(r)}`);
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
  let firstError;
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
          } catch (err) {
            errors++;
            firstError ??= err;
          }
        }
      } finally {
        c.release();
      }
    }),
  );
  await db.end();
  if (firstError) console.error(`baseline: ${errors} errors, the first: ${firstError.message}`);
  latencies.sort((a, b) => a - b);
  const at = (q) => Math.round(latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0);
  return { requestsPerSecond: Math.round(latencies.length / seconds), p50Ms: at(0.5), p99Ms: at(0.99), errors };
}
