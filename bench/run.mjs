// npm run bench [scenario...]: load scenarios against real servers on loopback; prints a table.
// Scenarios: adapters (Nest hello-world, Fastify vs Express), app (the real API on embedded PostgreSQL).
import autocannon from 'autocannon';
import { fork } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const DURATION = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);

function freePort() {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

async function load(title, opts) {
  const r = await autocannon({ connections: CONNECTIONS, duration: DURATION, ...opts });
  const row = {
    scenario: title,
    'req/s': Math.round(r.requests.average),
    'p50 ms': r.latency.p50,
    'p99 ms': r.latency.p99,
    errors: r.errors + r.non2xx,
  };
  console.log(JSON.stringify(row));
  return row;
}

async function waitReady(url, ms = 60000) {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`not ready: ${url}`);
}

async function adapters() {
  const rows = [];
  for (const name of ['fastify', 'express']) {
    const port = await freePort();
    const child = fork(path.join(here, 'hello-server.cjs'), [name, String(port)], { stdio: 'inherit' });
    await new Promise((resolve) => child.once('message', resolve));
    const url = `http://127.0.0.1:${port}/hello`;
    await autocannon({ url, connections: 10, duration: 2 }); // warm-up
    rows.push(await load(`hello-world on ${name}`, { url }));
    child.kill();
  }
  console.log(`fastify/express: ${(rows[0]['req/s'] / rows[1]['req/s']).toFixed(1)}x`);
  return rows;
}

async function app() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ps-bench-'));
  const port = await freePort();
  const child = fork(path.join(here, '..', 'dist', 'src', 'main.js'), [], {
    env: { ...process.env, DATA_DIR: dir, PORT: String(port), LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'warn' },
    stdio: 'inherit',
  });
  const base = `http://127.0.0.1:${port}`;
  try {
    await waitReady(`${base}/api/v1/health/ready`);
    const password = readFileSync(path.join(dir, 'initial-admin-password'), 'utf8').trim();
    const login = await fetch(`${base}/api/v1/auth/staff/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password }),
    }).then((r) => r.json());
    const auth = { authorization: `Bearer ${login.accessToken}` };
    const facilities = await fetch(`${base}/api/v1/facilities`, { headers: auth }).then((r) => r.json());
    const prisoners = await fetch(`${base}/api/v1/facilities/${facilities.items[0].id}/prisoners`, { headers: auth }).then((r) => r.json());
    await load('GET /health/live', { url: `${base}/api/v1/health/live` });
    await load('GET /prisoners/{id} (JWT + scope + 2 queries)', { url: `${base}/api/v1/prisoners/${prisoners.items[0].id}`, headers: auth });
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    rmSync(dir, { recursive: true, force: true });
  }
}

const scenarios = { adapters, app };
const wanted = process.argv.slice(2).length ? process.argv.slice(2) : Object.keys(scenarios);
console.log(`${CONNECTIONS} connections, ${DURATION} s per scenario, ${os.cpus().length} cores, node ${process.version}`);
for (const name of wanted) {
  if (!scenarios[name]) throw new Error(`unknown scenario ${name}; known: ${Object.keys(scenarios).join(', ')}`);
  await scenarios[name]();
}
