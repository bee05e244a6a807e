// `npm run bench -- steady`: latency at a steady rate, open loop. Requests start on schedule
// whatever the answers do (a slow answer does not delay the next request), and each one's latency
// counts from when it was due, so queueing anywhere (client, server, database) is counted.
// autocannon's overallRate is not that with few connections: a connection waits for its answer
// before it sends again. Each phase runs STEADY_SECONDS (default 15) at its rate:
// charges 100/s, policy reads 500/s (a terminal revalidating: 9 in 10 with its ETag), call
// authorisations 50/s, parcel intakes 20/s; targets p99 < 25 ms for writes, < 10 ms for reads.
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { Pool } from 'undici';
import { percentile } from './day/report.mjs';
import { rng } from './day/random.mjs';
import { seedStructure } from './day/seed-api.mjs';
import { seedPeople } from './day/seed-sql.mjs';
import { checkAfterwards, serverCpu, withServer } from './server.mjs';

const SECONDS = Number(process.env.STEADY_SECONDS ?? 15);
const CONNECTIONS = Number(process.env.STEADY_CONNECTIONS ?? 64);
// STEADY_RATE_FACTOR scales every rate (e.g. 0.2: the latency of the work itself, without a backlog
// on a busy machine); STEADY_PHASES=charges,policy,calls,parcels picks phases
const FACTOR = Number(process.env.STEADY_RATE_FACTOR ?? 1);
const PHASES = (process.env.STEADY_PHASES ?? 'charges,policy,calls,parcels').split(',');
// the payphones must be open: the server's clock reads a weekday at 10:00 in Kazakhstan (UTC+5)
const DAY_STARTS_AT = Date.parse('2026-11-17T05:00:00Z');
const API = '/api/v1';

/**
 * Sends `next(i)` (a request, or null to skip) every 1000/rate ms for `seconds`, without waiting
 * for answers; returns the latencies from each request's due time, answers by status, and how late
 * the generator itself was at the worst (it must stay far below the latencies it reports).
 */
async function openLoop(pool, rate, seconds, next) {
  const total = Math.round(rate * seconds);
  const interval = 1000 / rate;
  const latencies = [];
  const statuses = {};
  const pending = [];
  let errors = 0;
  let lateMax = 0;
  const start = performance.now() + 20;
  for (let i = 0; i < total; i++) {
    const due = start + i * interval;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait - 1));
    while (performance.now() < due); // the last millisecond, exactly
    lateMax = Math.max(lateMax, performance.now() - due);
    const req = next(i);
    pending.push(
      pool.request(req).then(
        async (res) => {
          await res.body.text();
          latencies.push(performance.now() - due);
          statuses[res.statusCode] = (statuses[res.statusCode] ?? 0) + 1;
        },
        () => errors++,
      ),
    );
  }
  await Promise.all(pending);
  const wallS = (performance.now() - start) / 1000;
  latencies.sort((a, b) => a - b);
  return { sent: total, wallS, latencies, statuses, errors, lateMax };
}

/** CPU ms per second the server and PostgreSQL use with nothing sent (background jobs, writers). */
const idle = { server: 0, postgres: 0 };

async function measureIdle(seconds = 5) {
  const c0 = serverCpu();
  await new Promise((r) => setTimeout(r, seconds * 1000));
  const c1 = serverCpu();
  idle.server = (c1.server - c0.server) / seconds;
  idle.postgres = (c1.postgres - c0.postgres) / seconds;
  console.log(`steady: idle, CPU ms per second: server ${idle.server}, PostgreSQL ${idle.postgres}`);
}

async function phase(pool, name, fullRate, expect, next, target) {
  if (!PHASES.some((p) => name.includes(p))) return null;
  const rate = fullRate * FACTOR;
  // warm-up, unmeasured: 3 s at a fifth of the rate (the path compiled, its statements prepared
  // on the pool's connections), so the phase measures the steady state
  let w = 0;
  await openLoop(pool, Math.max(1, rate / 5), 3, () => next(Math.round(rate * SECONDS) + w++)); // past the measured ones
  const cpu0 = serverCpu();
  const load = os.loadavg()[0].toFixed(2);
  const r = await openLoop(pool, rate, SECONDS, next);
  const cpu1 = serverCpu();
  const wrong = Object.entries(r.statuses).filter(([c]) => !expect.includes(Number(c))).reduce((n, [, k]) => n + k, 0);
  const f = (x) => +x.toFixed(1);
  const p99 = percentile(r.latencies, 99);
  const row = {
    scenario: `steady: ${name} at ${rate}/s`,
    requestsPerSecond: Math.round(r.latencies.length / r.wallS),
    p50Ms: f(percentile(r.latencies, 50)),
    p99Ms: f(p99),
    maxMs: f(r.latencies.at(-1) ?? 0),
    errors: r.errors + wrong,
    statuses: Object.entries(r.statuses).map(([c, n]) => `${c}×${n}`).join(' '),
    target: `p99 < ${target} ms: ${p99 < target ? 'met' : 'missed'}`,
    generatorLateMaxMs: f(r.lateMax),
    // net of what the two use idle over the same time
    cpuMsPerRequest: {
      server: +(Math.max(0, cpu1.server - cpu0.server - idle.server * r.wallS) / r.sent).toFixed(2),
      postgres: +(Math.max(0, cpu1.postgres - cpu0.postgres - idle.postgres * r.wallS) / r.sent).toFixed(2),
    },
    loadAverage1m: load,
  };
  console.log(JSON.stringify(row));
  return row;
}

export async function steady(results, ratios) {
  const clockOffsetMs = DAY_STARTS_AT - Date.now();
  const clock = path.join(path.dirname(new URL(import.meta.url).pathname), 'day', 'clock.cjs');
  await withServer(
    async ({ base, auth, dbUrl, cardSecret }) => {
      const facilities = await seedStructure(base, auth, { facilities: 8, rooms: 1 });
      const adminId = JSON.parse(Buffer.from(auth.authorization.split('.')[1], 'base64url')).sub;
      const db = new pg.Client({ connectionString: dbUrl });
      await db.connect();
      const rnd = rng(7);
      const { prisoners } = await seedPeople(db, {
        facilities, prisoners: 4000, rnd, cardSecret, adminId, at: new Date(Date.now() + clockOffsetMs), passwordHash: 'not-for-sign-in',
      });
      await db.end();
      // wallets with money and an active card, prisoners with an approved number, for no refusals
      const ready = prisoners.filter((p) => p.card && !p.card.blocked && p.balanceMinor >= 500_000 && p.numbers.length);
      const pool = new Pool(base, { connections: CONNECTIONS, pipelining: 1, keepAliveTimeout: 60_000 });
      const post = (url, headers, body) => ({
        method: 'POST', path: `${API}${url}`, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body),
      });
      const of = (p, kind) => facilities[p.facility].terminals[kind][0];
      // warm-up: every path once per facility, unmeasured
      for (const p of ready.slice(0, 16)) {
        await (await pool.request(post('/charges', { 'x-api-key': of(p, 'commissary').apiKey, 'idempotency-key': randomUUID() }, { cardNumber: p.card.number, amountMinor: 100, currency: 'KZT', items: [{ description: 'tea', quantity: 1, unitPriceMinor: 100 }] }))).body.text();
      }

      await measureIdle();
      const rows = [];
      rows.push(await phase(pool, 'POST /charges', 100, [201], (i) => {
        const p = ready[i % ready.length];
        return post('/charges', { 'x-api-key': of(p, 'commissary').apiKey, 'idempotency-key': randomUUID() }, {
          cardNumber: p.card.number, amountMinor: 1500, currency: 'KZT', items: [{ description: 'tea', quantity: 1, unitPriceMinor: 1500 }],
        });
      }, 25));

      const terminals = facilities.flatMap((f) => [...f.terminals.commissary, ...f.terminals.payphone, ...f.terminals['parcel-intake']]);
      const etags = new Map();
      for (const t of terminals) {
        const res = await pool.request({ method: 'GET', path: `${API}/facilities/${t.facilityId}/policy`, headers: { 'x-api-key': t.apiKey } });
        await res.body.text();
        etags.set(t.id, res.headers.etag);
      }
      rows.push(await phase(pool, 'GET /facilities/{id}/policy (9 in 10 If-None-Match)', 500, [200, 304], (i) => {
        const t = terminals[i % terminals.length];
        return { method: 'GET', path: `${API}/facilities/${t.facilityId}/policy`, headers: { 'x-api-key': t.apiKey, ...(i % 10 ? { 'if-none-match': etags.get(t.id) } : {}) } };
      }, 10));

      const callers = rnd.shuffle(ready.slice());
      const calls = [];
      rows.push(await phase(pool, 'POST /calls (authorise)', 50, [201], (i) => {
        const p = callers[i % callers.length];
        calls.push(p);
        return post('/calls', { 'x-api-key': of(p, 'payphone').apiKey }, { prisonerId: p.id, dialedNumber: p.numbers[0] });
      }, 25));

      const receivers = rnd.shuffle(prisoners.slice());
      rows.push(await phase(pool, 'POST /facilities/{id}/parcels', 20, [201], (i) => {
        const p = receivers[i % receivers.length];
        return post(`/facilities/${of(p, 'parcel-intake').facilityId}/parcels`, { 'x-api-key': of(p, 'parcel-intake').apiKey }, {
          prisonerId: p.id, kind: 'parcel', senderName: 'A relative', weightGrams: 8000, items: [{ category: 'food', description: 'assorted', quantity: 3 }],
        });
      }, 25));
      await pool.close();
      await checkAfterwards(base, auth, ratios, 'steady');

      rows.splice(0, rows.length, ...rows.filter(Boolean));
      console.table(rows.map(({ cpuMsPerRequest: c, ...r }) => ({ ...r, 'cpu ms/req server': c.server, postgres: c.postgres })));
      for (const r of rows) results.push(r);
      ratios['steady: connections'] = CONNECTIONS;
      ratios['steady: seconds per phase'] = SECONDS;
    },
    { env: { BENCH_CLOCK_OFFSET_MS: String(clockOffsetMs) }, execArgv: ['--require', clock] },
  );
}
