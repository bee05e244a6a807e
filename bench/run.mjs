// npm run bench [scenario...]: load scenarios against real servers on loopback, with autocannon.
// Prints a table and writes bench/results/latest.json.
//   adapters  Nest hello-world on Fastify vs Express (the adapter choice)
//   policy    the production build on its own embedded PostgreSQL: a terminal reading its
//             facility's policy (200 and 304 paths) against the app's own liveness route
//   app       the same server: a staff read (JWT, account and scope, prisoner)
//   charges   the same server: commissary charges on 1 000 wallets in 1 facility, then in 50, and
//             the same SQL straight through pg
//   calls     the same server: payphones authorising a call and reporting its end (a hold, then a
//             capture), spread over 1 000 prisoners, against the app's own liveness route
//   availability  the same server: the long-visit calendar of 92 dates in a facility of 20 rooms,
//             against the app's liveness route
// Run by name only (not part of a plain `npm run bench`), each written to bench/results/<name>.json:
//   day       a country's day: 80 facilities, 37 000 prisoners seeded, then a day's traffic from
//             a fixed seed replayed as fast as the server goes (bench/day/)
//   steady    open-loop latency at fixed rates: charges, policy reads, calls, parcels (steady.mjs)
// Two builds against each other: node bench/compare.mjs <checkout A> <checkout B> (docs/benchmarks.md).
// BENCH_SERVER_ROOT=<checkout> measures that checkout's build instead (built there first), with
// this bench: an earlier commit against this one, round after round.
import autocannon from 'autocannon';
import { createHmac, randomUUID } from 'node:crypto';
import pg from 'pg';
import { runBaseline } from './charges-baseline.mjs';
import { chargeRequests, setupWallets } from './charges-setup.mjs';
import { NUMBER, setupCallers } from './calls-setup.mjs';
import { day } from './day/scenario.mjs';
import { steady } from './steady.mjs';
import { checkAfterwards, current, freePort, json, serverCpu, withServer } from './server.mjs';
import { fork } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const DURATION = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const results = [];
const ratios = {};

async function load(scenario, opts, expectStatus = 200) {
  await autocannon({ ...opts, connections: 10, duration: 2 }); // warm-up
  const cpu0 = { ...serverCpu(), me: process.cpuUsage() };
  const r = await autocannon({ connections: CONNECTIONS, duration: DURATION, ...opts, expectBody: undefined });
  const me = process.cpuUsage(cpu0.me);
  const cpu1 = serverCpu();
  const perRequest = (ms) => +(Math.max(0, ms) / r.requests.total).toFixed(2);
  const cpuMsPerRequest = {
    server: perRequest(cpu1.server - cpu0.server),
    postgres: perRequest(cpu1.postgres - cpu0.postgres),
    loadGenerator: perRequest((me.user + me.system) / 1000),
  };
  const expected = [].concat(expectStatus);
  const wrongStatus = Object.entries(r.statusCodeStats ?? {})
    .filter(([code]) => !expected.includes(Number(code)))
    .reduce((n, [, s]) => n + s.count, 0);
  const row = {
    scenario,
    requestsPerSecond: Math.round(r.requests.average),
    p50Ms: r.latency.p50,
    p99Ms: r.latency.p99,
    errors: r.errors + r.timeouts + wrongStatus,
    ...(current.serverPid ? { cpuMsPerRequest } : {}),
  };
  results.push(row);
  console.log(JSON.stringify(row));
  return row;
}

async function adapters() {
  const rows = [];
  for (const name of ['fastify', 'express']) {
    const port = await freePort();
    const child = fork(path.join(here, 'hello-server.cjs'), [name, String(port)], { stdio: 'inherit' });
    await new Promise((resolve) => child.once('message', resolve));
    rows.push(await load(`hello-world on ${name}`, { url: `http://127.0.0.1:${port}/hello` }));
    child.kill();
  }
  ratios['fastify/express'] = +(rows[0].requestsPerSecond / rows[1].requestsPerSecond).toFixed(2);
}

async function policy() {
  await withServer(async ({ base, auth }) => {
    const facilities = await json(`${base}/api/v1/facilities`, { headers: auth });
    const facilityId = facilities.items[0].id;
    const term = await json(`${base}/api/v1/facilities/${facilityId}/terminals`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({ kind: 'payphone', name: 'bench' }),
    });
    const url = `${base}/api/v1/facilities/${facilityId}/policy`;
    const headers = { 'x-api-key': term.apiKey };
    const etag = (await fetch(url, { headers })).headers.get('etag');
    // the reference is measured before and after, and averaged, so run order does not favour either side
    const liveBefore = await load('GET /health/live (before)', { url: `${base}/api/v1/health/live` });
    const full = await load('GET /facilities/{id}/policy, terminal key (200)', { url, headers });
    const notModified = await load('GET /facilities/{id}/policy, If-None-Match (304)', {
      url,
      headers: { ...headers, 'if-none-match': etag },
    }, 304);
    const liveAfter = await load('GET /health/live (after)', { url: `${base}/api/v1/health/live` });
    const live = (liveBefore.requestsPerSecond + liveAfter.requestsPerSecond) / 2;
    ratios['policy 200 / live'] = +(full.requestsPerSecond / live).toFixed(2);
    ratios['policy 304 / live'] = +(notModified.requestsPerSecond / live).toFixed(2);
  });
}

async function app() {
  await withServer(async ({ base, auth }) => {
    const facilities = await json(`${base}/api/v1/facilities`, { headers: auth });
    const prisoners = await json(`${base}/api/v1/facilities/${facilities.items[0].id}/prisoners`, { headers: auth });
    await load('GET /prisoners/{id} (staff JWT, scope, prisoner)', {
      url: `${base}/api/v1/prisoners/${prisoners.items[0].id}`,
      headers: auth,
    });
  });
}

/** 50 connections charging cards: one facility (one shop revenue account), fifty, and plain SQL. */
async function charges() {
  await withServer(async ({ base, auth, dbUrl, cardSecret }) => {
    const t0 = Date.now();
    const one = await setupWallets(base, auth, { facilities: 1, wallets: 1000, tag: 'one', balanceMinor: 5_000_000 });
    const fifty = await setupWallets(base, auth, { facilities: 50, wallets: 1000, tag: 'fifty', balanceMinor: 5_000_000 });
    console.log(`set up 2 000 wallets in ${Math.round((Date.now() - t0) / 1000)} s`);
    const load = async (scenario, cards) => {
      let i = 0;
      return loadCharges(scenario, base, () => cards[i++ % cards.length]);
    };
    const oneRow = await load('POST /charges, 1 000 wallets in 1 facility', one.cards);
    const fiftyRow = await load('POST /charges, 1 000 wallets in 50 facilities', fifty.cards);
    // what the service wrote is checked now: the plain SQL below writes its own audit events with
    // stand-in hash material, which the verification rightly calls broken
    await checkAfterwards(base, auth, ratios, 'after the charges');

    // the same SQL straight through pg, on the same wallets
    const db = new pg.Client({ connectionString: dbUrl });
    await db.connect();
    const houses = new Map(); // facility → its terminal and shop revenue account
    const walletsOf = async (cards) => {
      const wallets = [];
      for (const c of cards) {
        if (!houses.has(c.facilityId)) {
          const r = await db.query(
            `SELECT t.id AS terminal, a.id AS shop FROM terminals t
               JOIN ledger_accounts a ON a.kind = 'shop-revenue' AND a.facility_id = t.facility_id
              WHERE t.facility_id = $1 LIMIT 1`,
            [c.facilityId],
          );
          houses.set(c.facilityId, r.rows[0]);
        }
        const h = houses.get(c.facilityId);
        const hmac = createHmac('sha256', cardSecret).update(c.cardNumber).digest('hex');
        wallets.push({ hmac, facilityId: c.facilityId, terminalId: h.terminal, shopAccount: h.shop });
      }
      return wallets;
    };
    const wallets = await walletsOf(one.cards);
    const walletsFifty = await walletsOf(fifty.cards);
    await db.end();
    const baseline = async (scenario, ws) => {
      const row = { scenario, ...(await runBaseline(dbUrl, ws, { connections: CONNECTIONS, seconds: DURATION })) };
      results.push(row);
      console.log(JSON.stringify(row));
      return row;
    };
    const base1 = await baseline('the same SQL through pg, 1 facility', wallets);
    const base50 = await baseline('the same SQL through pg, 50 facilities', walletsFifty);
    ratios['charges 50 facilities / pg baseline 50'] = +(fiftyRow.requestsPerSecond / base50.requestsPerSecond).toFixed(2);

    ratios['charges 1 facility / pg baseline'] = +(oneRow.requestsPerSecond / base1.requestsPerSecond).toFixed(2);
    ratios['charges 1 facility / 50 facilities'] = +(oneRow.requestsPerSecond / fiftyRow.requestsPerSecond).toFixed(2);
  });
}

async function loadCharges(scenario, base, next) {
  return load(scenario, chargeRequests(base, next), 201);
}

/**
 * 50 connections, each a payphone asking to authorise a call for the next of 1 000 prisoners, then
 * reporting its end (61 s: two minutes captured, the rest of the hold released): two requests a call.
 */
async function calls() {
  await withServer(async ({ base, auth }) => {
    const t0 = Date.now();
    const { callers, timeZone } = await setupCallers(base, auth, { facilities: 10, prisoners: 1000, tag: 'calls' });
    console.log(`set up 1 000 callers (${timeZone}) in ${Math.round((Date.now() - t0) / 1000)} s`);
    let i = 0;
    const denied = { n: 0 };
    const liveBefore = await load('GET /health/live (before)', { url: `${base}/api/v1/health/live` });
    const row = await load(
      'POST /calls + POST /calls/{id}/end, 1 000 prisoners',
      {
        url: `${base}/api/v1/calls`,
        method: 'POST',
        requests: [
          {
            setupRequest: (req, context) => {
              const c = callers[i++ % callers.length];
              context.apiKey = c.apiKey;
              return {
                ...req,
                path: '/api/v1/calls',
                headers: { 'content-type': 'application/json', 'x-api-key': c.apiKey },
                body: JSON.stringify({ prisonerId: c.prisonerId, dialedNumber: NUMBER }),
              };
            },
            onResponse: (status, body, context) => {
              const d = JSON.parse(body);
              context.callId = d.id;
              if (d.outcome !== 'authorized') denied.n++;
            },
          },
          {
            setupRequest: (req, context) => ({
              ...req,
              method: 'POST',
              path: `/api/v1/calls/${context.callId}/end`,
              headers: { 'content-type': 'application/json', 'x-api-key': context.apiKey },
              body: JSON.stringify({ durationSeconds: 61 }),
            }),
          },
        ],
      },
      [201, 200],
    );
    const liveAfter = await load('GET /health/live (after)', { url: `${base}/api/v1/health/live` });
    const live = (liveBefore.requestsPerSecond + liveAfter.requestsPerSecond) / 2;
    ratios['calls (authorise + end requests) / live'] = +(row.requestsPerSecond / live).toFixed(2);
    ratios['calls denied (should be 0)'] = denied.n;
    await checkAfterwards(base, auth, ratios, 'after the calls');
  });
}

/** A date `days` after today in Almaty, `YYYY-MM-DD`. */
function almatyDate(days) {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Almaty' }).format(new Date(Date.now() + days * 86_400_000));
}

/**
 * The long-visit calendar a booking page draws: availability over 92 local dates in a facility with
 * 20 visit rooms and some bookings, read by staff, against the app's bare liveness route.
 */
async function availability() {
  await withServer(async ({ base, auth }) => {
    const facility = await json(`${base}/api/v1/facilities`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({ code: `BENCH-LV-${Date.now()}`, name: 'Bench colony', timeZone: 'Asia/Almaty' }),
    });
    for (let i = 1; i <= 20; i++) {
      await json(`${base}/api/v1/facilities/${facility.id}/visit-rooms`, {
        method: 'POST',
        headers: auth,
        body: JSON.stringify({ name: `Room ${String(i).padStart(2, '0')}`, capacity: 4 }),
      });
    }
    // ten prisoners, each booked four visits spread over the window by one of five relatives
    // (two prisoners each: registrations and sign-ins are throttled per address)
    let booked = 0;
    let relative;
    for (let i = 0; i < 10; i++) {
      if (i % 2 === 0) {
        const email = `bench-lv-${Date.now()}-${i}@example.kz`;
        const password = `Bench relative ${randomUUID()}`;
        await json(`${base}/api/v1/relatives`, {
          method: 'POST',
          body: JSON.stringify({ email, password, fullName: `Bench Relative ${i}`, phone: '+77011234567' }),
        });
        const { accessToken } = await json(`${base}/api/v1/auth/relatives/login`, {
          method: 'POST',
          body: JSON.stringify({ email, password }),
        });
        relative = { authorization: `Bearer ${accessToken}` };
      }
      const personalNumber = `BENCHLV${Date.now()}${i}`;
      const prisoner = await json(`${base}/api/v1/facilities/${facility.id}/prisoners`, {
        method: 'POST',
        headers: auth,
        body: JSON.stringify({ personalNumber, fullName: `Bench Prisoner ${i}`, securityLevel: 'medium' }),
      });
      const link = await json(`${base}/api/v1/relatives/me/links`, {
        method: 'POST',
        headers: relative,
        body: JSON.stringify({ facilityId: facility.id, prisonerPersonalNumber: personalNumber, relationship: 'spouse' }),
      });
      await json(`${base}/api/v1/links/${link.id}/approve`, { method: 'POST', headers: auth, body: '{}' });
      for (let k = 0; k < 4; k++) {
        await json(`${base}/api/v1/long-visits`, {
          method: 'POST',
          headers: relative,
          body: JSON.stringify({
            prisonerId: prisoner.id,
            startDate: almatyDate(1 + ((i * 7 + k * 20) % 85)),
            days: 1 + (k % 3),
            visitors: [{ fullName: 'Bench Visitor', relationship: 'spouse' }],
          }),
        });
        booked++;
      }
    }
    console.log(`availability: 20 rooms, ${booked} bookings`);
    const url = `${base}/api/v1/facilities/${facility.id}/long-visits/availability?from=${almatyDate(1)}&to=${almatyDate(92)}`;
    const check = await json(url, { headers: auth });
    if (check.dates.length !== 92) throw new Error(`availability answered ${check.dates.length} dates`);
    const liveBefore = await load('GET /health/live (before)', { url: `${base}/api/v1/health/live` });
    const cal = await load('GET /facilities/{id}/long-visits/availability, 92 dates, 20 rooms', { url, headers: auth });
    const liveAfter = await load('GET /health/live (after)', { url: `${base}/api/v1/health/live` });
    const live = (liveBefore.requestsPerSecond + liveAfter.requestsPerSecond) / 2;
    ratios['availability 92 dates / live'] = +(cal.requestsPerSecond / live).toFixed(2);
  });
}

const scenarios = {
  adapters,
  policy,
  app,
  charges,
  calls,
  availability,
  day: () => day(results, ratios),
  steady: () => steady(results, ratios),
};
// day and steady are run by name only: the day takes minutes, steady runs at fixed rates
const ALL = ['adapters', 'policy', 'app', 'charges', 'calls', 'availability'];
const wanted = process.argv.slice(2).length ? process.argv.slice(2) : ALL;
const started = new Date().toISOString();
console.log(`${CONNECTIONS} connections, ${DURATION} s per scenario, ${os.cpus().length} cores, node ${process.version}`);
for (const name of wanted) {
  if (!scenarios[name]) throw new Error(`unknown scenario ${name}; known: ${Object.keys(scenarios).join(', ')}`);
  await scenarios[name]();
}
console.table(
  results.map(({ cpuMsPerRequest: cpu, ...row }) => ({
    ...row,
    ...(cpu ? { 'cpu ms/req server': cpu.server, postgres: cpu.postgres, autocannon: cpu.loadGenerator } : {}),
  })),
);
console.table(ratios);
mkdirSync(path.join(here, 'results'), { recursive: true });
// the saturation scenarios keep latest.json; day and steady have a file each
const file = wanted.every((w) => ALL.includes(w)) ? 'latest.json' : `${wanted.join('-')}.json`;
writeFileSync(
  path.join(here, 'results', file),
  JSON.stringify({ started, node: process.version, cores: os.cpus().length, connections: CONNECTIONS, seconds: DURATION, results, ratios }, null, 2) + '\n',
);
console.log(`written: bench/results/${file}`);
