// `npm run bench -- day`: a country's day. Seeds 80 facilities in Kazakhstan's zones (1 000
// terminals, 320 visit rooms through the API; 37 000 prisoners with cards, funded wallets, approved
// numbers, 20 000 linked relatives and the facilities' staff straight into the app's tables), then
// replays the day's traffic from a fixed seed over HTTP through the production build, as fast as it
// answers, and checks the money's reconciliation and the audit chains afterwards.
// DAY_SCALE (default 1) scales the country and the day down for a quick look; DAY_CONNECTIONS
// (default 48) is how many connections the replay keeps; DAY_SEED picks another day.
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterwards, serverCpu, serverRoot, withServer } from '../server.mjs';
import { dayCounts, planDay } from './plan.mjs';
import { rng } from './random.mjs';
import { dayRows, samples } from './report.mjs';
import { replay } from './replay.mjs';
import { requestBuilder } from './requests.mjs';
import { seedStructure } from './seed-api.mjs';
import { seedPeople } from './seed-sql.mjs';

const require = createRequire(path.join(serverRoot, 'package.json'));
const { StripeMock } = require('./dist/src/dev/stripe-mock.js');
const argon2 = require('argon2');
const jwt = require('jsonwebtoken');

// the day replayed: a Tuesday, from 10:00 in the facilities' zone (UTC+5), whenever the bench runs
const DAY = '2026-11-17';
const DAY_STARTS_AT = Date.parse(`${DAY}T05:00:00Z`);
const TARGET_SECONDS = 120;

const load = () => os.loadavg().map((x) => x.toFixed(2)).join(' ');

export async function day(results, ratios) {
  const scale = Number(process.env.DAY_SCALE ?? 1);
  const connections = Number(process.env.DAY_CONNECTIONS ?? 48);
  const seed = Number(process.env.DAY_SEED ?? 20261117);
  const stripe = new StripeMock();
  stripe.deliverWebhooks = false; // the replay delivers each event itself, in the day's order
  await stripe.start();
  const clockOffsetMs = DAY_STARTS_AT - Date.now();
  const env = {
    STRIPE_SECRET_KEY: stripe.secretKey,
    STRIPE_WEBHOOK_SECRET: stripe.webhookSecret,
    STRIPE_API_HOST: '127.0.0.1',
    STRIPE_API_PORT: String(stripe.port),
    STRIPE_API_PROTOCOL: 'http',
    BENCH_CLOCK_OFFSET_MS: String(clockOffsetMs),
  };
  const failures = [];
  try {
    await withServer(
      async ({ base, auth, dbUrl, cardSecret, jwtSecret }) => {
        const t0 = Date.now();
        const facilityCount = Math.max(2, Math.round(80 * Math.min(1, scale * 4)));
        const facilities = await seedStructure(base, auth, { facilities: facilityCount });
        const adminId = JSON.parse(Buffer.from(auth.authorization.split('.')[1], 'base64url')).sub;
        const db = new pg.Client({ connectionString: dbUrl });
        await db.connect();
        const { prisoners, staffIds } = await seedPeople(db, {
          facilities,
          prisoners: Math.round(37_000 * scale),
          rnd: rng(seed),
          cardSecret,
          adminId,
          at: new Date(Date.now() + clockOffsetMs),
          passwordHash: await argon2.hash(`seeded ${seed}`),
        });
        const size = async () => Number((await db.query('SELECT pg_database_size(current_database()) AS n')).rows[0].n);
        const sizeBefore = await size();
        const events = planDay({ facilities, prisoners }, rng(seed + 1), dayCounts(scale));
        console.log(
          `day: seeded ${facilities.length} facilities, ${prisoners.length} prisoners in ${Math.round((Date.now() - t0) / 1000)} s; ` +
            `replaying ${events.length} events of ${DAY} on ${connections} connections (load ${load()})`,
        );

        const build = requestBuilder({ jwtSecret, stripe, clockOffsetMs, day: DAY, staffIds, facilities });
        const loadBefore = load();
        const cpu0 = { ...serverCpu(), me: process.cpuUsage() };
        const { stats, wallMs, skipped } = await replay(base, events, build, {
          connections,
          onProgress: (i, ms) => i && console.log(`  ${i} events in ${(ms / 1000).toFixed(1)} s`),
        });
        const cpu1 = serverCpu();
        const me = process.cpuUsage(cpu0.me);
        const loadAfter = load();
        const grewMb = +(((await size()) - sizeBefore) / 1048576).toFixed(1);
        await db.end();
        const rows = dayRows(stats, wallMs);
        const all = rows.at(-1);
        const per = (ms) => +(ms / all.requests).toFixed(2);
        const cpu = {
          server: per(cpu1.server - cpu0.server),
          postgres: per(cpu1.postgres - cpu0.postgres),
          loadGenerator: per((me.user + me.system) / 1000),
        };
        console.table(rows);
        console.log(
          `day: ${all.requests} requests in ${(wallMs / 1000).toFixed(1)} s (${all.perSecond}/s; target < ${TARGET_SECONDS} s: ` +
            `${wallMs / 1000 < TARGET_SECONDS ? 'met' : 'missed'}), ${skipped} follow-ups with nothing to do; CPU ms per request: ` +
            `server ${cpu.server}, PostgreSQL ${cpu.postgres}, load generator ${cpu.loadGenerator}; the database grew ${grewMb} MB; ` +
            `load before ${loadBefore}, after ${loadAfter}`,
        );
        for (const s of samples(stats)) console.log(`  unexpected: ${s}`);

        // afterwards: the money and the audit trail, as an auditor checks them
        const iat = Math.floor((Date.now() + clockOffsetMs) / 1000);
        const admin = {
          authorization: `Bearer ${jwt.sign({ sub: adminId, typ: 'staff', iat, exp: iat + 3600 }, jwtSecret, { issuer: 'prisoner-services', audience: 'staff' })}`,
        };
        const off = await afterwards(base, admin, ratios, 'day');
        if (all['5xx']) failures.push(`${all['5xx']} answers 5xx`);
        if (all.unexpected) failures.push(`${all.unexpected} unexpected answers or transport errors`);
        failures.push(...off);

        for (const r of rows) {
          results.push({ scenario: `day: ${r.kind}`, requestsPerSecond: r.perSecond, p50Ms: r.p50Ms, p99Ms: r.p99Ms, errors: r.unexpected, requests: r.requests, statuses: r.statuses });
        }
        Object.assign(ratios, {
          'day: wall time, s': +(wallMs / 1000).toFixed(1),
          'day: requests': all.requests,
          'day: requests/s': all.perSecond,
          'day: CPU ms/request, server': cpu.server,
          'day: CPU ms/request, PostgreSQL': cpu.postgres,
          'day: CPU ms/request, load generator': cpu.loadGenerator,
          'day: database growth, MB': grewMb,
          'day: load average before (1, 5, 15 min)': loadBefore,
          'day: load average after': loadAfter,
          'day: scale': scale,
        });
      },
      { env, execArgv: ['--require', path.join(path.dirname(new URL(import.meta.url).pathname), 'clock.cjs')] },
    );
  } finally {
    await stripe.stop();
  }
  if (failures.length) {
    process.exitCode = 1;
    console.error(`day: FAILED: ${failures.join('; ')}`);
  }
}
