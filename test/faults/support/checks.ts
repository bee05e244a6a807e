import type { FaultCluster } from './cluster';
import { must } from './http';
import type { Op } from './load';
import type { World } from './world';

export interface Findings {
  requests: number;
  charges: { requests: number; approved: number; declined: number };
  deposits: { requests: number; credited: number };
  parcels: { requests: number; accepted: number; refused: number };
  /** Everything wrong, in words; empty when nothing is. */
  problems: string[];
}

const ids = (ops: Op[]): string[] =>
  ops
    .filter((o) => o.answer)
    .map((o) => o.answer!.body.id as string)
    .sort();

/**
 * After a fault, everything acknowledged exists exactly once and nothing else does; balances are
 * what the answers add up to and the sums of their postings; the ledger reconciles and the audit
 * trail verifies; no parcel allowance is exceeded. Returns what it found (the test asserts
 * `problems` is empty and prints the rest).
 */
export async function verifyWorld(
  base: string,
  cluster: FaultCluster,
  world: World,
  ops: Op[],
): Promise<Findings> {
  const problems: string[] = [];
  const token = world.adminToken;
  const of = (kind: string): Op[] => ops.filter((o) => o.kind === kind);

  for (const o of ops) {
    if (!o.answer) {
      const last = o.tries[o.tries.length - 1];
      problems.push(
        `#${o.n} ${o.kind} has no answer (last: ${last?.status} ${JSON.stringify(last && 'body' in last ? last.body : last)})`,
      );
    }
    for (const d of o.differing)
      problems.push(`#${o.n} ${o.kind}: a replay differs: ${JSON.stringify(d.body)}`);
  }

  // every acknowledged effect exists once, and no effect exists that was not acknowledged
  const tables: Array<[string, Op[], string]> = [
    ['charge', of('charge'), `SELECT id FROM charges WHERE facility_id = $1`],
    [
      'deposit',
      of('deposit'),
      `SELECT id FROM deposits WHERE facility_id = $1 AND method = 'stripe'`,
    ],
    ['parcel', of('parcel'), `SELECT id FROM parcels WHERE facility_id = $1`],
  ];
  for (const [kind, kindOps, sql] of tables) {
    const stored = (await cluster.sql<{ id: string }>(sql, [world.facilityId]))
      .map((r) => r.id)
      .sort();
    const answered = ids(kindOps);
    if (new Set(answered).size !== answered.length)
      problems.push(`${kind}: two requests answered with one id`);
    const extra = stored.filter((id) => !answered.includes(id));
    const missing = answered.filter((id) => !stored.includes(id));
    if (extra.length) problems.push(`${kind}: ${extra.length} stored that no answer acknowledged`);
    if (missing.length) problems.push(`${kind}: ${missing.length} acknowledged but not stored`);
  }

  // deposits: each paid one credited exactly once
  const depositIds = ids(of('deposit').filter((o) => o.paid));
  const credited = await cluster.sql<{ id: string; entries: string; status: string }>(
    `SELECT d.id, d.status,
            (SELECT count(*) FROM ledger_entries e WHERE e.kind = 'stripe-deposit' AND e.reference_id = d.id) AS entries
       FROM deposits d WHERE d.id = ANY($1::uuid[])`,
    [depositIds],
  );
  for (const d of credited) {
    if (d.status !== 'succeeded' || Number(d.entries) !== 1) {
      problems.push(
        `deposit ${d.id}: status ${d.status}, ${d.entries} ledger entries (paid once: 1)`,
      );
    }
  }

  // balances: what the answers add up to, and the sum of the wallet's postings
  for (const p of world.prisoners) {
    const mine = ops.filter((o) => o.prisoner.id === p.id && o.answer);
    const spent = mine
      .filter((o) => o.kind === 'charge' && o.answer!.body.outcome === 'approved')
      .reduce((s, o) => s + o.amountMinor, 0);
    const deposited = mine
      .filter((o) => o.kind === 'deposit' && o.paid)
      .reduce((s, o) => s + o.amountMinor, 0);
    const expected = p.fundedMinor + deposited - spent;
    const account = await must(200, base, 'GET', `/prisoners/${p.id}/account`, { token });
    const [postings] = await cluster.sql<{ sum: string | null }>(
      `SELECT sum(lp.amount_minor) AS sum FROM ledger_postings lp
         JOIN ledger_accounts a ON a.id = lp.account_id
        WHERE a.kind = 'prisoner-wallet' AND a.prisoner_id = $1`,
      [p.id],
    );
    const posted = Number(postings.sum ?? 0);
    if (account.body.balanceMinor !== expected || posted !== expected) {
      problems.push(
        `prisoner ${p.id}: balance ${account.body.balanceMinor}, postings ${posted}, answers add up to ${expected}`,
      );
    }
    // parcels: never past the allowance, and exactly what the allowance let through
    const parcels = ops.filter((o) => o.prisoner.id === p.id && o.kind === 'parcel');
    const accepted = parcels.filter((o) => o.answer?.body.outcome === 'accepted').length;
    const allowance = await must(200, base, 'GET', `/prisoners/${p.id}/parcel-allowance`, {
      token,
    });
    const received = allowance.body.parcelsReceived as number;
    if (
      received > p.parcelsAllowed ||
      received !== accepted ||
      accepted !== Math.min(parcels.length, p.parcelsAllowed)
    ) {
      problems.push(
        `prisoner ${p.id}: ${parcels.length} parcels sent, ${accepted} accepted, ${received} received, ${p.parcelsAllowed} allowed`,
      );
    }
  }

  const rec = await must(200, base, 'GET', '/ledger/reconciliation', { token });
  if (!rec.body.ok) problems.push(`reconciliation: ${JSON.stringify(rec.body.mismatches)}`);
  const audit = await must(200, base, 'GET', '/audit/verify', { token });
  if (!audit.body.ok) problems.push(`audit verification: ${JSON.stringify(audit.body)}`);

  const charges = of('charge');
  const parcels = of('parcel');
  return {
    requests: ops.length,
    charges: {
      requests: charges.length,
      approved: charges.filter((o) => o.answer?.body.outcome === 'approved').length,
      declined: charges.filter((o) => o.answer?.body.outcome === 'declined').length,
    },
    deposits: {
      requests: of('deposit').length,
      credited: credited.filter((d) => d.status === 'succeeded').length,
    },
    parcels: {
      requests: parcels.length,
      accepted: parcels.filter((o) => o.answer?.body.outcome === 'accepted').length,
      refused: parcels.filter((o) => o.answer?.body.outcome === 'refused').length,
    },
    problems,
  };
}
