import { setTimeout as sleep } from 'node:timers/promises';
import type { StripeMock } from '../../../src/dev/stripe-mock';
import { Answer, call, Outcome } from './http';
import type { Rng } from './seed';
import type { Prisoner, World } from './world';

export type Kind = 'charge' | 'deposit' | 'parcel';

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
  /** The first 201 heard. */
  answer?: Answer;
  /** A later 201 that differed from the first (a replay must be the same answer). */
  differing: Answer[];
  /** Deposits: paid at Stripe. */
  paid?: boolean;
}

export interface Mix {
  charge: number;
  deposit: number;
  parcel: number;
}

/** `count` requests drawn from the seed: which kind, for whom, how much. */
export function workload(rng: Rng, world: World, count: number, mix: Mix): Op[] {
  const total = mix.charge + mix.deposit + mix.parcel;
  const withRelatives = world.prisoners.filter((p) => p.relativeToken);
  return Array.from({ length: count }, (_, n): Op => {
    const r = rng.next() * total;
    const kind: Kind =
      r < mix.charge
        ? 'charge'
        : r < mix.charge + mix.deposit && withRelatives.length
          ? 'deposit'
          : 'parcel';
    const prisoner = rng.pick(kind === 'deposit' ? withRelatives : world.prisoners);
    const key = rng.uuid();
    const base = { n, kind, prisoner, key, tries: [], differing: [] };
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
  if (out.status === 201) {
    const a = out as Answer;
    if (!op.answer) op.answer = a;
    else if (JSON.stringify(a.body) !== JSON.stringify(op.answer.body)) op.differing.push(a);
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
    const open = ops.filter((o) => !o.answer && worthRetrying(o.tries[o.tries.length - 1]));
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
    if (later.some((t) => t.status === 201 && (t as Answer).replayed)) replayed++;
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
