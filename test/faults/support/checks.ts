import type { FaultCluster } from './cluster';
import { must } from './http';
import { endsDue, Op } from './load';
import type { World } from './world';

export interface Findings {
  requests: number;
  charges: { requests: number; approved: number; declined: number };
  deposits: { requests: number; credited: number };
  parcels: { requests: number; accepted: number; refused: number };
  calls: {
    requests: number;
    authorized: number;
    denied: number;
    ended: number;
    chargedMinor: number;
  };
  visits: { requests: number; booked: number; refused: Record<string, number> };
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

  const ends = endsDue(ops);
  for (const o of [...ops, ...ends]) {
    if (o.refusal && !(REFUSALS[o.kind] ?? []).includes(o.refusal.body?.code)) {
      problems.push(`#${o.n} ${o.kind} refused: ${JSON.stringify(o.refusal.body)}`);
    }
    if (!o.answer && !o.refusal) {
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
    ['call', of('call'), `SELECT id FROM payphone_calls WHERE facility_id = $1`],
    ['visit', of('visit'), `SELECT id FROM long_visits WHERE facility_id = $1`],
    [
      'phone-booking',
      of('phone-booking'),
      `SELECT id FROM payphone_bookings WHERE facility_id = $1`,
    ],
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
    const calls = ends
      .filter((e) => e.prisoner.id === p.id && e.answer)
      .reduce((sum, e) => sum + (e.answer!.body.chargedMinor as number), 0);
    const expected = p.fundedMinor + deposited - spent - calls;
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

  problems.push(...(await checkCalls(cluster, world, ops)));
  problems.push(...(await checkVisits(cluster, world)));

  const rec = await must(200, base, 'GET', '/ledger/reconciliation', { token });
  if (!rec.body.ok) problems.push(`reconciliation: ${JSON.stringify(rec.body.mismatches)}`);
  const audit = await must(200, base, 'GET', '/audit/verify', { token });
  if (!audit.body.ok) problems.push(`audit verification: ${JSON.stringify(audit.body)}`);

  const charges = of('charge');
  const parcels = of('parcel');
  const calls = of('call');
  const visits = of('visit');
  const visitRefusals: Record<string, number> = {};
  for (const v of visits.filter((o) => o.refusal)) {
    const code = v.refusal!.body?.code as string;
    visitRefusals[code] = (visitRefusals[code] ?? 0) + 1;
  }
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
    calls: {
      requests: calls.length,
      authorized: calls.filter((o) => o.answer?.body.outcome === 'authorized').length,
      denied: calls.filter((o) => o.answer?.body.outcome === 'denied').length,
      ended: ends.filter((e) => e.answer).length,
      chargedMinor: ends.reduce(
        (sum, e) => sum + ((e.answer?.body.chargedMinor as number) ?? 0),
        0,
      ),
    },
    visits: {
      requests: visits.length,
      booked: visits.filter((o) => o.answer).length,
      refused: visitRefusals,
    },
    problems,
  };
}

/** The refusals that are answers (a rule said no), by kind; any other 4xx is a problem. */
const REFUSALS: Partial<Record<string, string[]>> = {
  visit: ['LONG_VISIT_NO_ROOM', 'LONG_VISIT_PRISONER_BUSY', 'LONG_VISIT_ENTITLEMENT_USED'],
  'phone-booking': ['BOOKING_SLOT_TAKEN', 'PRISONER_ALREADY_BOOKED'],
  // closed unreported (past its end and grace) before its end came: nothing charged
  'call-end': ['CALL_NOT_IN_PROGRESS'],
};

/**
 * Calls: each authorised one ended (or closed unreported) once, charged what its end's answer
 * said, through one capture of its hold and nothing else; no hold left open; one call at a time per
 * prisoner (none left in progress); the month's calls never past the allowance.
 */
export async function checkCalls(
  cluster: FaultCluster,
  world: World,
  ops: Op[],
): Promise<string[]> {
  const problems: string[] = [];
  const rows = await cluster.sql<{
    id: string;
    prisoner_id: string;
    status: string;
    charged_minor: string | null;
    settled: string | null;
    captured: string | null;
    entries: string;
  }>(
    `SELECT c.id, c.prisoner_id, c.status, c.charged_minor, s.outcome AS settled,
            s.captured_minor AS captured,
            (SELECT count(*) FROM ledger_entries e
              WHERE e.kind = 'call-charge' AND e.reference_id = c.id) AS entries
       FROM payphone_calls c LEFT JOIN ledger_hold_settlements s ON s.hold_id = c.hold_id
      WHERE c.facility_id = $1 AND c.outcome = 'authorized'`,
    [world.facilityId],
  );
  const byId = new Map(rows.map((r) => [r.id, r]));
  for (const o of ops.filter((x) => x.kind === 'call' && x.answer?.body.outcome === 'authorized')) {
    const r = byId.get(o.answer!.body.id as string);
    const end = o.end!;
    if (!r) continue; // reported missing with the stored ids
    const charged = end.answer ? (end.answer.body.chargedMinor as number) : 0;
    const expected = end.answer ? 'ended' : 'unreported';
    if (r.status !== expected || Number(r.charged_minor) !== charged) {
      problems.push(
        `call ${r.id}: ${r.status}, charged ${r.charged_minor} (its end said ${expected}, ${charged})`,
      );
    }
    if (Number(r.entries) > 1) problems.push(`call ${r.id}: charged ${r.entries} times`);
    if (r.settled !== null && Number(r.captured) !== charged)
      problems.push(`call ${r.id}: its hold captured ${r.captured}, the call charged ${charged}`);
  }
  const open = await cluster.sql<{ n: string }>(
    `SELECT count(*) AS n FROM ledger_holds h
       LEFT JOIN ledger_hold_settlements s ON s.hold_id = h.id
      WHERE h.facility_id = $1 AND s.hold_id IS NULL`,
    [world.facilityId],
  );
  if (Number(open[0].n)) problems.push(`${open[0].n} call hold(s) left open`);
  // one call at a time per prisoner is the database's own unique index (one row in progress per
  // prisoner); the times cannot show it, as a decision's instant is read before its lock is had.
  // After the load every call is over: ended by its report, or closed unreported.
  const inProgress = await cluster.sql<{ id: string }>(
    `SELECT id FROM payphone_calls WHERE facility_id = $1 AND status = 'in-progress'`,
    [world.facilityId],
  );
  for (const r of inProgress)
    problems.push(`call ${r.id} still in progress after every end was reported`);
  const allowance = new Map(world.prisoners.map((p) => [p.id, p.callsPerMonth]));
  const counted = await cluster.sql<{ prisoner_id: string; local_month: string; n: string }>(
    `SELECT prisoner_id, local_month, count(*) AS n FROM payphone_calls
      WHERE facility_id = $1 AND counts_against_allowance GROUP BY prisoner_id, local_month`,
    [world.facilityId],
  );
  for (const r of counted) {
    if (Number(r.n) > (allowance.get(r.prisoner_id) ?? 0))
      problems.push(
        `prisoner ${r.prisoner_id}: ${r.n} calls in ${r.local_month}, allowed ${allowance.get(r.prisoner_id)}`,
      );
  }
  return problems;
}

/** Long visits: no room, and no prisoner, with two live bookings at once; no yearly entitlement exceeded. */
export async function checkVisits(cluster: FaultCluster, world: World): Promise<string[]> {
  const problems: string[] = [];
  const overlapping = await cluster.sql<{ a: string; b: string; why: string }>(
    `SELECT x.id AS a, y.id AS b,
            CASE WHEN x.room_id = y.room_id THEN 'one room' ELSE 'one prisoner' END AS why
       FROM long_visits x JOIN long_visits y
         ON (x.room_id = y.room_id OR x.prisoner_id = y.prisoner_id) AND x.id < y.id
      WHERE x.facility_id = $1 AND x.status IN ('requested','approved')
        AND y.status IN ('requested','approved')
        AND tstzrange(x.starts_at, x.ends_at) && tstzrange(y.starts_at, y.ends_at)`,
    [world.facilityId],
  );
  for (const r of overlapping) problems.push(`long visits ${r.a} and ${r.b}: ${r.why}, at once`);
  const entitlement = new Map(world.prisoners.map((p) => [p.id, p.longVisitsPerYear]));
  const used = await cluster.sql<{ prisoner_id: string; period_year: number; n: string }>(
    `SELECT prisoner_id, period_year, count(*) AS n FROM long_visits
      WHERE facility_id = $1 AND status IN ('requested','approved','completed')
      GROUP BY prisoner_id, period_year`,
    [world.facilityId],
  );
  for (const r of used) {
    if (Number(r.n) > (entitlement.get(r.prisoner_id) ?? 0))
      problems.push(
        `prisoner ${r.prisoner_id}: ${r.n} long visits in ${r.period_year}, entitled to ${entitlement.get(r.prisoner_id)}`,
      );
  }
  return problems;
}
