import { setTimeout as sleep } from 'node:timers/promises';
import type { StripeMock } from '../../../src/dev/stripe-mock';
import { Answer, call, Outcome } from './http';
import type { Rng } from './seed';
import { localDate, PHONE_NUMBER, Prisoner, World } from './world';

export type Kind =
  'charge' | 'deposit' | 'parcel' | 'call' | 'call-end' | 'visit' | 'phone-booking';

/** One request of the load, as a terminal or a relative sends it, with everything it heard. */
export interface Op {
  n: number;
  kind: Kind;
  prisoner: Prisoner;
  key: string;
  path: string;
  body: Record<string, unknown>;
  apiKey?: string;
  token?: string;
  amountMinor: number;
  /** Every try, in order. */
  tries: Outcome[];
  /** The status that says it was done (201; a call's end: 200). */
  ok?: number;
  /** The first `ok` answer heard. */
  answer?: Answer;
  /** A final refusal (a 4xx not worth retrying: no room, over the entitlement…), if that came. */
  refusal?: Answer;
  /** A call's end, reported once the call is authorised (its key and duration drawn with it). */
  end?: Op;
  durationSeconds?: number;
  /** A later 201 that differed from the first (a replay must be the same answer). */
  differing: Answer[];
  /** Deposits: paid at Stripe. */
  paid?: boolean;
}

export interface Mix {
  charge: number;
  deposit: number;
  parcel: number;
  /** Calls authorised at the payphone and their ends reported (a world with a payphone). */
  call?: number;
  /** Long visits booked by relatives (a world with relatives and visit rooms). */
  visit?: number;
}

/** `count` requests drawn from the seed: which kind, for whom, how much. */
export function workload(rng: Rng, world: World, count: number, mix: Mix): Op[] {
  const withRelatives = world.prisoners.filter((p) => p.relativeToken);
  const weights: Array<[Kind, number]> = [
    ['charge', mix.charge],
    ['deposit', withRelatives.length ? mix.deposit : 0],
    ['parcel', mix.parcel],
    ['call', world.phoneKey ? (mix.call ?? 0) : 0],
    ['visit', withRelatives.length && world.roomIds.length ? (mix.visit ?? 0) : 0],
  ];
  const total = weights.reduce((s, [, w]) => s + w, 0);
  return Array.from({ length: count }, (_, n): Op => {
    let r = rng.next() * total;
    const [kind] = weights.find(([, w]) => (r -= w) < 0) ?? ['parcel'];
    const prisoner = rng.pick(
      kind === 'deposit' || kind === 'visit' ? withRelatives : world.prisoners,
    );
    const key = rng.uuid();
    const base = { n, kind, prisoner, key, tries: [], differing: [] };
    if (kind === 'call') return callOp(rng, world, prisoner, n, key);
    if (kind === 'visit') {
      return {
        ...base,
        path: '/long-visits',
        token: prisoner.relativeToken,
        amountMinor: 0,
        body: {
          prisonerId: prisoner.id,
          // from the day after tomorrow: today's date may turn while the test runs
          startDate: localDate(world.timeZone, rng.int(2, 28)),
          days: rng.int(1, 3),
          visitors: Array.from({ length: rng.int(1, 2) }, (_, i) => ({
            fullName: `Visitor ${i + 1}`,
            relationship: 'parent',
          })),
        },
      };
    }
    if (kind === 'charge') {
      const amountMinor = rng.int(1, 40) * 100;
      return {
        ...base,
        path: '/charges',
        apiKey: world.shopKey,
        amountMinor,
        body: {
          cardNumber: prisoner.cardNumber,
          amountMinor,
          currency: 'KZT',
          items: [{ description: 'tea', quantity: 1, unitPriceMinor: amountMinor }],
        },
      };
    }
    if (kind === 'deposit') {
      const amountMinor = rng.int(1, 50) * 1000;
      return {
        ...base,
        path: '/deposits',
        token: prisoner.relativeToken,
        amountMinor,
        body: { prisonerId: prisoner.id, amountMinor, currency: 'KZT' },
      };
    }
    return {
      ...base,
      path: `/facilities/${world.facilityId}/parcels`,
      apiKey: world.intakeKey,
      amountMinor: 0,
      body: {
        prisonerId: prisoner.id,
        kind: 'parcel',
        senderName: 'Mother',
        weightGrams: rng.int(500, 20_000),
        items: [{ category: 'food', description: 'tea, sugar', quantity: rng.int(1, 5) }],
      },
    };
  });
}

/** A call authorised at the world's payphone, with its end (drawn now, sent once authorised). */
export function callOp(rng: Rng, world: World, prisoner: Prisoner, n: number, key: string): Op {
  const durationSeconds = rng.pick([0, rng.int(1, 59), rng.int(60, 900)]);
  return {
    n,
    kind: 'call',
    prisoner,
    key,
    path: '/calls',
    apiKey: world.phoneKey,
    amountMinor: 0,
    body: { prisonerId: prisoner.id, dialedNumber: PHONE_NUMBER },
    tries: [],
    differing: [],
    end: {
      n,
      kind: 'call-end',
      prisoner,
      key: rng.uuid(),
      path: '', // the call's id is known once it is authorised
      apiKey: world.phoneKey,
      amountMinor: 0,
      ok: 200,
      body: { durationSeconds },
      tries: [],
      differing: [],
      durationSeconds,
    },
  };
}

/**
 * The ends of the calls that were authorised and not yet reported ended, as their terminal sends
 * them when the call is over (each armed with its call's id).
 */
export function endsDue(ops: Op[]): Op[] {
  const due: Op[] = [];
  for (const o of ops) {
    if (o.kind !== 'call' || o.answer?.body.outcome !== 'authorized' || !o.end) continue;
    o.end.path = `/calls/${o.answer.body.id}/end`;
    due.push(o.end);
  }
  return due;
}

/** Every call's end that is due and was never sent, sent now; then all of them retried. */
export async function reportEnds(base: () => string, ops: Op[]): Promise<RetryStats> {
  const ends = endsDue(ops);
  await Promise.all(ends.filter((e) => !e.tries.length).map((e) => send(base(), e, 60_000)));
  return retryUnanswered(base, ends);
}

/** Sends the request once (same key, same body every time) and keeps what came back. */
export async function send(base: string, op: Op, timeoutMs?: number): Promise<Outcome> {
  const out = await call(base, 'POST', op.path, {
    body: op.body,
    apiKey: op.apiKey,
    token: op.token,
    key: op.key,
    timeoutMs,
  });
  op.tries.push(out);
  if (out.status === (op.ok ?? 201)) {
    const a = out as Answer;
    if (!op.answer) op.answer = a;
    else if (JSON.stringify(a.body) !== JSON.stringify(op.answer.body)) op.differing.push(a);
  } else if (out.status >= 400 && out.status < 500 && !worthRetrying(out) && !op.refusal) {
    op.refusal = out as Answer;
  }
  return out;
}

/** No answer, or one that says "try again": the server was down, busy, or the key in flight. */
export function worthRetrying(out: Outcome): boolean {
  if (out.status === 0 || out.status === 503) return true;
  if (out.status !== 409) return false;
  const code = (out as Answer).body?.code;
  return code === 'IDEMPOTENCY_IN_FLIGHT' || code === 'CONCURRENT_UPDATE';
}

export interface RetryStats {
  /** Requests sent again. */
  retried: number;
  /** Tries after the first, all requests together. */
  retries: number;
  /** Retries answered with `Idempotent-Replayed: true`: done before, its answer lost. */
  replayed: number;
  /** What the retries heard: `201`, `0` (no answer), `409 IDEMPOTENCY_IN_FLIGHT`… with counts. */
  heard: Record<string, number>;
}

/** How long a key whose first request died with the server answers "in flight" (a Stripe
 * deposit's first phase: `IN_FLIGHT_MS` in stripe-deposits.service.ts), with room to spare. */
const IN_FLIGHT_PATIENCE_MS = 90_000;

/**
 * Sends every request that has no final answer again, with its key, until each has one (a 201 or
 * a refusal that is not worth retrying), as a terminal would; `base()` is where to send now. A key
 * still "in flight" after a crash is waited for (once a second) until the service lets it resume,
 * as a terminal would keep retrying: on a fast machine the retries otherwise end before that.
 */
export async function retryUnanswered(
  base: () => string,
  ops: Op[],
  rounds = 40,
): Promise<RetryStats> {
  const retriedOps = new Set<number>();
  const before = new Map(ops.map((o) => [o.n, o.tries.length]));
  const patience = Date.now() + IN_FLIGHT_PATIENCE_MS;
  for (let round = 0; round < rounds || Date.now() < patience; round++) {
    const open = ops.filter(
      (o) => !o.answer && !o.refusal && worthRetrying(o.tries[o.tries.length - 1]),
    );
    if (!open.length) break;
    const onlyInFlight = open.every(
      (o) => (o.tries[o.tries.length - 1] as Answer).body?.code === 'IDEMPOTENCY_IN_FLIGHT',
    );
    if (round >= rounds && !onlyInFlight) break;
    if (round > 0) await sleep(onlyInFlight ? 1_000 : 50 + Math.random() * 200);
    await Promise.all(
      open.map((o) => {
        retriedOps.add(o.n);
        return send(base(), o, 60_000);
      }),
    );
  }
  let retries = 0;
  let replayed = 0;
  const heard: Record<string, number> = {};
  for (const o of ops) {
    const later = o.tries.slice(before.get(o.n));
    retries += later.length;
    for (const t of later) {
      const what =
        'error' in t
          ? `0 ${t.error}`
          : t.status >= 400
            ? `${t.status} ${t.body?.code}`
            : String(t.status);
      heard[what] = (heard[what] ?? 0) + 1;
    }
    if (later.some((t) => t.status === (o.ok ?? 201) && (t as Answer).replayed)) replayed++;
  }
  return { retried: retriedOps.size, retries, replayed, heard };
}

/**
 * The relative pays each deposit that was answered and not yet paid; Stripe's signed webhook goes
 * to the server (which may be down: Stripe retries later, see `redeliver`).
 */
export async function payDeposits(stripe: StripeMock, ops: Op[]): Promise<void> {
  await Promise.all(
    ops
      .filter((o) => o.kind === 'deposit' && o.answer && !o.paid)
      .map(async (o) => {
        o.paid = true;
        await stripe.pay(o.answer!.body.paymentIntentId as string);
      }),
  );
}

export interface WebhookStats {
  events: number;
  failedDeliveries: number;
  redelivered: number;
  duplicates: number;
}

/**
 * As Stripe does: every event not yet acknowledged is delivered again until it is; then every
 * event once more (Stripe delivers at least once), which must change nothing.
 */
export async function redeliver(stripe: StripeMock, rounds = 40): Promise<WebhookStats> {
  const acked = (id: string): boolean =>
    stripe.deliveries.some((d) => d.eventId === id && d.status === 200);
  const failedDeliveries = stripe.deliveries.filter((d) => d.status !== 200).length;
  let redelivered = 0;
  for (let round = 0; round < rounds; round++) {
    const open = stripe.events.filter((e) => !acked(e.id));
    if (!open.length) break;
    if (round > 0) await sleep(50 + Math.random() * 200);
    redelivered += open.length;
    await Promise.all(open.map((e) => stripe.deliver(e)));
  }
  const unacked = stripe.events.filter((e) => !acked(e.id));
  if (unacked.length) throw new Error(`${unacked.length} webhook(s) never acknowledged`);
  await Promise.all(stripe.events.map((e) => stripe.deliver(e)));
  return {
    events: stripe.events.length,
    failedDeliveries,
    redelivered,
    duplicates: stripe.events.length,
  };
}
