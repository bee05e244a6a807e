// The bench's servers: the production build (dist) on its own embedded PostgreSQL, started and
// stopped around a scenario, and the CPU accounting of the server and its PostgreSQL from /proc.
import { fork } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
// the checkout whose build (dist) is measured: this one, or another for a before/after comparison
export const serverRoot = path.resolve(process.env.BENCH_SERVER_ROOT ?? path.join(here, '..'));

export function freePort() {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/**
 * CPU time (ms) used so far by the processes `pick(pid, stat)` selects (stat: the fields after the
 * name; `'with-children'`: its reaped children too), from /proc (Linux).
 */
export function cpuMs(pick) {
  let ticks = 0;
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const picked = pick(Number(pid), f.join(' '));
      if (!picked) continue;
      ticks += Number(f[11]) + Number(f[12]); // utime + stime
      if (picked === 'with-children') ticks += Number(f[13]) + Number(f[14]); // cutime + cstime
    } catch {} // gone meanwhile
  }
  return ticks * 10; // USER_HZ = 100
}

/** The server under load and its PostgreSQL, for the CPU accounting; undefined between scenarios. */
export const current = { serverPid: undefined, postmasterPid: undefined };

/**
 * The bench cluster's processes: the postmaster and its children (backends, workers); the
 * postmaster's count includes the children it has reaped (a pooled connection closed meanwhile).
 */
export const ofCluster = (pid, stat) =>
  pid === current.postmasterPid ? 'with-children' : Number(stat.split(' ')[1]) === current.postmasterPid;

/** CPU ms so far of the server and of its PostgreSQL. */
export function serverCpu() {
  return { server: cpuMs((pid) => pid === current.serverPid), postgres: cpuMs(ofCluster) };
}

export async function waitReady(url, ms = 180000) { // a first start on a busy machine takes a while
  const until = Date.now() + ms;
  while (Date.now() < until) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`not ready: ${url}`);
}

export async function json(url, init = {}) {
  const res = await fetch(url, { ...init, headers: { 'content-type': 'application/json', ...(init.headers ?? {}) } });
  if (!res.ok) throw new Error(`${init.method ?? 'GET'} ${url}: ${res.status} ${await res.text()}`);
  return res.json();
}

/**
 * The production build (dist) on its own embedded PostgreSQL, with the demo data. `env` adds to the
 * server's environment, `execArgv` to its node flags (e.g. a `--require` of the day's clock), `root`
 * is the checkout whose build runs (bench/compare.mjs runs two at once).
 */
export async function withServer(fn, { env = {}, execArgv = [], root = serverRoot } = {}) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ps-bench-'));
  const port = await freePort();
  const child = fork(path.join(root, 'dist', 'src', 'main.js'), [], {
    cwd: root,
    env: { ...process.env, DATA_DIR: dir, PORT: String(port), LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'info', ...env },
    execArgv: [...process.execArgv, ...execArgv],
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const base = `http://127.0.0.1:${port}`;
  current.serverPid = child.pid;
  try {
    await waitReady(`${base}/api/v1/health/ready`);
    const password = readFileSync(path.join(dir, 'initial-admin-password'), 'utf8').trim();
    const { accessToken } = await json(`${base}/api/v1/auth/staff/login`, {
      method: 'POST',
      body: JSON.stringify({ username: 'admin', password }),
    });
    const auth = { authorization: `Bearer ${accessToken}` };
    const postmaster = readFileSync(path.join(dir, 'pg', 'postmaster.pid'), 'utf8').split('\n');
    current.postmasterPid = Number(postmaster[0]);
    const pgPort = postmaster[3].trim();
    const pgPassword = readFileSync(path.join(dir, '.pg-password'), 'utf8').trim();
    const dbUrl = `postgres://postgres:${encodeURIComponent(pgPassword)}@127.0.0.1:${pgPort}/prisoner_services`;
    const secret = (name) => readFileSync(path.join(dir, name), 'utf8').trim();
    const pids = { serverPid: child.pid, postmasterPid: current.postmasterPid };
    await fn({ base, auth, dbUrl, cardSecret: secret('card-hmac-secret'), jwtSecret: secret('jwt-secret'), dataDir: dir, pids });
  } finally {
    current.serverPid = undefined;
    current.postmasterPid = undefined;
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * After a run: the money's reconciliation and the audit chains' verification, as an auditor checks
 * them (printed, put in `ratios`); returns what is off, nothing when both are clean.
 */
export async function afterwards(base, auth, ratios, label) {
  const rec = await json(`${base}/api/v1/ledger/reconciliation`, { headers: auth });
  const audit = await json(`${base}/api/v1/audit/verify`, { headers: auth });
  console.log(
    `${label}: reconciliation ok=${rec.ok} (${rec.entriesChecked} entries, ${rec.accountsChecked} accounts, ${rec.mismatches.length} mismatches); ` +
      `audit ok=${audit.ok} (${audit.eventsChecked} events)`,
  );
  ratios[`${label}: reconciliation ok`] = rec.ok ? 1 : 0;
  ratios[`${label}: audit chains ok`] = audit.ok ? 1 : 0;
  return [
    ...(rec.ok ? [] : [`reconciliation: ${JSON.stringify(rec.mismatches.slice(0, 5))}`]),
    ...(audit.ok ? [] : [`audit verification: first broken event ${audit.firstBrokenEventId}`]),
  ];
}

/** `afterwards`, and the bench fails unless both are clean: a fast run that loses money is no result. */
export async function checkAfterwards(base, auth, ratios, label) {
  const off = await afterwards(base, auth, ratios, label);
  if (off.length) throw new Error(`${label}: ${off.join('; ')}`);
}
