import { ChildProcess, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from '../../../src/database/embedded-postgres';
import { StripeMock } from '../../../src/dev/stripe-mock';

export const ADMIN_USERNAME = 'fault-admin';
export const ADMIN_PASSWORD = 'fault-admin-password-7261';
const ROOT = path.resolve(__dirname, '../../..');
// FAULT_SERVER_MAIN: run the fault tests against another build (e.g. an older commit's)
const MAIN = path.resolve(ROOT, process.env.FAULT_SERVER_MAIN ?? 'dist/src/main.js');

/** What every server of one test shares: its database, its Stripe and its secrets. */
export interface ServerConfig {
  databaseUrl: string;
  stripe: StripeMock;
  /** More settings (e.g. SHUTDOWN_TIMEOUT_SECONDS). */
  env?: Record<string, string>;
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/**
 * The production build (`node dist/src/main.js`) as a child process on 127.0.0.1, as an operator
 * runs it: a real process to kill, signal and start again.
 */
export class ServerProcess {
  readonly output: string[] = [];
  readonly exited: Promise<Exit>;

  private constructor(
    readonly name: string,
    readonly port: number,
    private readonly child: ChildProcess,
  ) {
    this.exited = new Promise((resolve) =>
      child.once('exit', (code, signal) => resolve({ code, signal })),
    );
    const keep = (d: Buffer): void => {
      for (const line of d.toString().split('\n')) if (line) this.output.push(line);
      if (this.output.length > 2000) this.output.splice(0, this.output.length - 2000);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get pid(): number {
    return this.child.pid!;
  }

  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Starts a server (on `port`, or a free one) and waits until it answers ready. */
  static async start(name: string, cfg: ServerConfig, port?: number): Promise<ServerProcess> {
    const p = port ?? (await freePort());
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '/tmp',
      TMPDIR: process.env.TMPDIR ?? '/tmp',
      TZ: process.env.TZ ?? 'UTC',
      DATABASE_URL: cfg.databaseUrl,
      PORT: String(p),
      HOST: '127.0.0.1',
      JWT_SECRET: 'fault-jwt-secret-that-is-long-enough-0123456789',
      CARD_HMAC_SECRET: 'fault-card-hmac-secret-0123456789-0123456789',
      ADMIN_USERNAME,
      ADMIN_PASSWORD,
      STRIPE_SECRET_KEY: cfg.stripe.secretKey,
      STRIPE_WEBHOOK_SECRET: cfg.stripe.webhookSecret,
      STRIPE_API_HOST: '127.0.0.1',
      STRIPE_API_PORT: String(cfg.stripe.port),
      STRIPE_API_PROTOCOL: 'http',
      DEPOSIT_RECONCILE_SECONDS: '0',
      SEED_DEMO: 'false',
      LOG_FORMAT: 'json',
      LOG_LEVEL: 'warn',
      AUTH_THROTTLE_LIMIT: '1000000',
      DB_POOL_SIZE: '10',
      ...cfg.env,
    };
    const child = spawn(process.execPath, [MAIN], {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const server = new ServerProcess(name, p, child);
    await server.waitReady();
    return server;
  }

  private async waitReady(): Promise<void> {
    const until = Date.now() + 120_000;
    while (Date.now() < until) {
      if (!this.alive) break;
      try {
        const res = await fetch(`${this.url}/api/v1/health/ready`, {
          signal: AbortSignal.timeout(2000),
        });
        await res.arrayBuffer();
        if (res.status === 200) return;
      } catch {
        // not listening yet
      }
      await sleep(100);
    }
    this.child.kill('SIGKILL');
    throw new Error(`server ${this.name} did not become ready:\n${this.tail()}`);
  }

  /** Sends a signal; SIGKILL is the crash, SIGTERM the orderly stop. */
  signal(sig: NodeJS.Signals): void {
    this.child.kill(sig);
  }

  async kill(): Promise<Exit> {
    if (this.alive) this.child.kill('SIGKILL');
    return this.exited;
  }

  /** Writes what the server logged to a file under the temp directory; returns its path. */
  saveLog(label: string): string {
    const file = path.join(
      os.tmpdir(),
      `faults-${label.replace(/[^A-Za-z0-9-]+/g, '-')}-${this.pid}.log`,
    );
    writeFileSync(file, this.output.join('\n') + '\n');
    return file;
  }

  tail(n = 40): string {
    return this.output.slice(-n).join('\n');
  }

  /** Lines of the server's log at level error or above (pino: 50+). */
  errors(): string[] {
    return this.output.filter((l) => /"level":(5\d|60)/.test(l));
  }
}
