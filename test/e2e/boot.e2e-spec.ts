import { ChildProcess, spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { freePort } from '../../src/database/embedded-postgres';

const MAIN = path.resolve(__dirname, '../../dist/src/main.js');

interface Proc {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

function run(env: Record<string, string>): Proc {
  let out = '';
  const child = spawn(process.execPath, [MAIN], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/root', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => out, exited };
}

async function waitReady(url: string, proc: Proc, ms = 45_000): Promise<void> {
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

async function stop(proc: Proc): Promise<number | null> {
  proc.child.kill('SIGTERM');
  return proc.exited;
}

/** What `npm start` runs on a fresh clone (the built server), with no DATABASE_URL. */
describe('the built server with no environment (npm start)', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'ps-boot-'));
  });
  afterAll(() => fs.rm(dir, { recursive: true, force: true }));

  it('starts embedded PostgreSQL, migrates, seeds the demo, serves, and stops cleanly; twice', async () => {
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
        expect(proc.output()).toContain('/api/docs');
        expect(proc.output()).not.toContain(password);
      } finally {
        expect(await stop(proc)).toBe(0);
      }
    }
    const mode = (await fs.stat(path.join(dir, 'initial-admin-password'))).mode & 0o777;
    expect(mode).toBe(0o600);
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
