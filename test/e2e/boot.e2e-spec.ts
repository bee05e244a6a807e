import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { Client } from 'pg';
import { STARTUP_NOISE } from '../../src/common/http/logging';
import {
  EmbeddedPostgresError,
  freePort,
  installedNativeDir,
  startEmbeddedPostgres,
} from '../../src/database/embedded-postgres';

const MAIN = path.resolve(__dirname, '../../dist/src/main.js');
const AS_ROOT = process.getuid?.() === 0;
/** Cases that need root (PostgreSQL then runs as `postgres`); skipped, and saying so, otherwise. */
const asRoot = AS_ROOT ? it : it.skip;
const ROOT_ONLY = AS_ROOT ? '' : ' [skipped: only meaningful when the tests run as root]';

/** A fresh directory only its owner may enter, like /root or a container's workdir. */
const closedDir = (): Promise<string> => fs.mkdtemp(path.join(os.tmpdir(), 'ps-closed-'));

async function sql(url: string, text: string): Promise<unknown[]> {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query(text)).rows;
  } finally {
    await c.end();
  }
}

interface Proc {
  child: ChildProcess;
  /** stdout and stderr */
  output: () => string;
  stdout: () => string;
  exited: Promise<number | string | null>;
}

function run(env: Record<string, string>, nodeArgs: string[] = []): Proc {
  let out = '';
  let stdout = '';
  const child = spawn(process.execPath, [...nodeArgs, MAIN], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/root', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d: Buffer) => {
    out += d.toString();
    stdout += d.toString();
  });
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  // the exit code, or the signal that ended it
  const exited = new Promise<number | string | null>((resolve) =>
    child.on('exit', (code, signal) => resolve(code ?? signal)),
  );
  return { child, output: () => out, stdout: () => stdout, exited };
}

// Generous: a start on a loaded machine (initdb, migrations) takes a while; nothing here is timed.
const BOOT_MS = 240_000;
jest.setTimeout(3 * BOOT_MS);

async function waitReady(url: string, proc: Proc, ms = BOOT_MS): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (proc.child.exitCode !== null) throw new Error(`server exited:\n${proc.output()}`);
    try {
      const res = await request(url).get('/api/v1/health/ready');
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`not ready in ${ms} ms:\n${proc.output()}`);
}

async function stop(proc: Proc): Promise<number | string | null> {
  proc.child.kill('SIGTERM');
  return proc.exited;
}

/**
 * Not a terminal, so one JSON line per event; Nest's module and route mapping below info; the
 * lines a newcomer needs (where the API and its docs are, how to sign in) at info.
 */
function expectQuietJsonStart(stdout: string): void {
  const lines = stdout.split('\n').filter((l) => l.trim() !== '');
  const parsed = lines.map((l) => {
    try {
      return JSON.parse(l) as { level: number; context?: string; msg: string };
    } catch {
      throw new Error(`not a JSON line: ${l}`);
    }
  });
  const info = parsed.filter((l) => l.level >= 30);
  expect(info.filter((l) => STARTUP_NOISE.has(l.context ?? ''))).toEqual([]);
  expect(info.filter((l) => /Mapped \{|dependencies initialized/.test(l.msg))).toEqual([]);
  const said = info.map((l) => l.msg).join('\n');
  expect(said).toMatch(/serving at http:\/\/127\.0\.0\.1:\d+\/api\/v1/);
  expect(said).toMatch(/API docs: http:\/\/127\.0\.0\.1:\d+\/api\/docs/);
  expect(said).toMatch(/sign in: +POST http:\/\/\S+\/auth\/staff\/login/);
}

/** What `npm start` runs on a fresh clone (the built server), with no DATABASE_URL. */
describe('the built server with no environment (npm start)', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'ps-boot-'));
    // mkdtemp makes it 0700: open it to the postgres user (as root), so the cluster stays in it
    await fs.chmod(dir, 0o755);
  });
  afterAll(() => fs.rm(dir, { recursive: true, force: true }));

  it('starts embedded PostgreSQL, migrates, seeds the demo, serves, and stops cleanly; twice', async () => {
    const keyIds: string[] = [];
    for (const round of [1, 2]) {
      const port = await freePort();
      const url = `http://127.0.0.1:${port}`;
      const proc = run({ DATA_DIR: dir, PORT: String(port) });
      try {
        await waitReady(url, proc);
        const password = (
          await fs.readFile(path.join(dir, 'initial-admin-password'), 'utf8')
        ).trim();
        const http = request(url);
        const login = await http
          .post('/api/v1/auth/staff/login')
          .send({ username: 'admin', password })
          .expect(200);
        const facilities = await http
          .get('/api/v1/facilities')
          .auth(login.body.accessToken, { type: 'bearer' })
          .expect(200);
        // the demo is loaded once, whatever the number of starts
        expect({
          round,
          codes: facilities.body.items.map((f: { code: string }) => f.code),
        }).toEqual({
          round,
          codes: ['DEMO-AKT-2', 'DEMO-ALM-1'],
        });
        expect(proc.output()).not.toContain(password);
        // the checkpoint signing key, generated into the data folder at the first start
        keyIds.push((await http.get('/api/v1/audit/public-key').expect(200)).body.keyId);
        expectQuietJsonStart(proc.stdout());
      } finally {
        expect(await stop(proc)).toBe(0);
      }
    }
    const mode = (await fs.stat(path.join(dir, 'initial-admin-password'))).mode & 0o777;
    expect(mode).toBe(0o600);
    expect(keyIds[1]).toBe(keyIds[0]);
    expect((await fs.stat(path.join(dir, 'audit-signing-key.pem'))).mode & 0o777).toBe(0o600);
  });

  asRoot(`serves from a clone inside a mode-700 directory, as root${ROOT_ONLY}`, async () => {
    const closed = await closedDir();
    const dataDir = path.join(closed, 'clone', '.data');
    let moved: string | undefined;
    try {
      const port = await freePort();
      const proc = run({ DATA_DIR: dataDir, PORT: String(port) });
      try {
        await waitReady(`http://127.0.0.1:${port}`, proc);
        moved = await fs.readlink(path.join(dataDir, 'pg'));
        expect(proc.output()).toContain(`the database files are in ${moved}`);
      } finally {
        expect(await stop(proc)).toBe(0);
      }
      expect((await fs.stat(closed)).mode & 0o777).toBe(0o700); // left as it was
    } finally {
      moved ??= await fs.readlink(path.join(dataDir, 'pg')).catch(() => undefined);
      await fs.rm(closed, { recursive: true, force: true });
      if (moved) await fs.rm(moved, { recursive: true, force: true });
    }
  });

  it('stops with one message when the embedded database cannot start', async () => {
    const file = path.join(dir, 'a-file');
    await fs.writeFile(file, '');
    const proc = run({ DATA_DIR: file });
    expect(await proc.exited).toBe(1);
    expect(proc.output()).toContain('embedded PostgreSQL did not start');
    expect(proc.output()).not.toMatch(/\n\s+at /);
    expect(proc.output()).not.toContain("Unhandled 'error' event");
  });

  it('refuses a Node whose time-zone data predates 2024a, naming the version', async () => {
    const preload = path.join(dir, 'old-tz-data.js');
    await fs.writeFile(
      preload,
      "Object.defineProperty(process.versions, 'tz', { value: '2023c' });\n",
    );
    const proc = run({ DATA_DIR: dir }, ['--require', preload]);
    expect(await proc.exited).toBe(1);
    expect(proc.output()).toContain('has time-zone data 2023c, older than 2024a');
    expect(proc.output()).not.toMatch(/\n\s+at /);
    expect(proc.output()).not.toContain('embedded PostgreSQL'); // refused before anything starts
  });

  it('refuses to boot on a bad setting, naming the variable', async () => {
    for (const [name, value] of [
      ['PORT', 'eighty'],
      ['DATABASE_URL', 'mysql://x'],
      ['LOG_LEVEL', 'loud'],
      ['JWT_SECRET', 'short'],
    ]) {
      const proc = run({ DATA_DIR: dir, [name]: value });
      const code = await proc.exited;
      expect({ name, code }).toEqual({ name, code: 1 });
      expect(proc.output()).toContain(name);
      expect(proc.output()).not.toMatch(/\n\s+at /); // a message, not a stack trace
    }
  });
});

describe('the embedded PostgreSQL', () => {
  const cleanup: string[] = [];
  afterAll(async () => {
    for (const d of cleanup) await fs.rm(d, { recursive: true, force: true });
  });
  const scratch = async (prefix: string, mode = 0o755): Promise<string> => {
    const d = await fs.mkdtemp(path.join(os.tmpdir(), prefix));
    await fs.chmod(d, mode);
    cleanup.push(d);
    return d;
  };

  asRoot(
    `runs as root from binaries and data under mode-700 directories, and keeps the data${ROOT_ONLY}`,
    async () => {
      const closed = await closedDir();
      cleanup.push(closed);
      // a clone in /root: its node_modules and .data are out of the postgres user's reach
      const clone = path.join(closed, 'clone');
      await fs.mkdir(clone);
      const nativeDir = path.join(clone, 'native');
      execFileSync('cp', ['-al', installedNativeDir(), nativeDir]);
      const open = await scratch('ps-open-');
      const opts = {
        dataDir: path.join(clone, '.data', 'pg'),
        persistent: true,
        fast: true,
        nativeDir,
        runtimeBase: open,
        relocationBase: path.join(open, 'var'),
      };

      const first = await startEmbeddedPostgres(opts);
      try {
        await sql(first.url, 'CREATE TABLE kept (n int); INSERT INTO kept VALUES (42)');
      } finally {
        await first.stop();
      }
      const second = await startEmbeddedPostgres(opts);
      try {
        expect(await sql(second.url, 'SELECT n FROM kept')).toEqual([{ n: 42 }]);
        expect(second.clusterDir.startsWith(path.join(open, 'var') + path.sep)).toBe(true);
      } finally {
        await second.stop();
      }
      expect((await fs.lstat(opts.dataDir)).isSymbolicLink()).toBe(true);
      expect((await fs.stat(closed)).mode & 0o777).toBe(0o700);

      const throwaway = await startEmbeddedPostgres({
        ...opts,
        dataDir: path.join(clone, 'tmp', 'pg'),
        persistent: false,
      });
      await throwaway.stop();
      await expect(fs.access(throwaway.clusterDir)).rejects.toThrow();
    },
  );

  it('turns any failure to start into one EmbeddedPostgresError', async () => {
    // binaries that cannot be executed: spawn fails with EACCES
    const fake = await scratch('ps-fake-pg-');
    await fs.mkdir(path.join(fake, 'bin'));
    for (const b of ['initdb', 'postgres']) {
      await fs.writeFile(path.join(fake, 'bin', b), '#!/bin/sh\nexit 0\n', { mode: 0o644 });
    }
    const work = await scratch('ps-work-');
    const failures: unknown[] = [];
    const attempt = (o: Partial<Parameters<typeof startEmbeddedPostgres>[0]>): Promise<void> =>
      startEmbeddedPostgres({
        dataDir: path.join(work, 'x', 'pg'),
        persistent: false,
        runtimeBase: work,
        ...o,
      }).then(
        (h) => h.stop().then(() => void failures.push('started')),
        (err: unknown) => void failures.push(err),
      );

    await attempt({ nativeDir: fake });
    // a data directory that cannot be made (its parent is a file)
    await fs.writeFile(path.join(work, 'file'), '');
    await attempt({ dataDir: path.join(work, 'file', 'pg') });
    // a cluster that postgres refuses to start from
    const broken = path.join(work, 'broken');
    await fs.mkdir(broken, { mode: 0o755 });
    await fs.mkdir(path.join(broken, 'pg'), { mode: 0o700 });
    await fs.writeFile(path.join(broken, 'pg', 'PG_VERSION'), 'not a version\n');
    await fs.writeFile(path.join(broken, '.pg-password'), 'x\n');
    await attempt({ dataDir: path.join(broken, 'pg') });

    expect(failures.map((f) => f instanceof EmbeddedPostgresError)).toEqual([true, true, true]);
    const messages = failures.map((f) => (f as Error).message);
    expect(messages[0]).toMatch(/EACCES/);
    expect(messages[1]).toMatch(/did not start/);
    expect(messages[2]).toMatch(/postgres exited/);
  });
});
