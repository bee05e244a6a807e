import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { runMigrations } from '../../../src/database/data-source';
import {
  EmbeddedPostgresHandle,
  startEmbeddedPostgres,
} from '../../../src/database/embedded-postgres';

/**
 * A real PostgreSQL of the test's own (the embedded starter), which the test can stop and start
 * again on the same port, its data kept: a database restart as an operator does it (a fast
 * shutdown: sessions are ended, their open transactions rolled back). Durable settings (fsync on):
 * what PostgreSQL acknowledged survives.
 */
export class FaultCluster {
  private constructor(
    private readonly dir: string,
    private handle: EmbeddedPostgresHandle | undefined,
    readonly port: number,
    readonly adminUrl: string,
    readonly databaseUrl: string,
  ) {}

  static async start(): Promise<FaultCluster> {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'ps-faults-'));
    // as root, PostgreSQL runs as `postgres`, which must enter it
    await fs.chmod(dir, 0o755);
    const handle = await startEmbeddedPostgres({ dataDir: path.join(dir, 'pg'), persistent: true });
    const admin = new Client({ connectionString: handle.url });
    await admin.connect();
    try {
      await admin.query('CREATE DATABASE prisoner_services');
    } finally {
      await admin.end();
    }
    const url = new URL(handle.url);
    url.pathname = '/prisoner_services';
    await runMigrations(url.toString());
    return new FaultCluster(dir, handle, handle.port, handle.url, url.toString());
  }

  get running(): boolean {
    return this.handle !== undefined;
  }

  /** Stops PostgreSQL (fast shutdown); its data stays. */
  async stop(): Promise<void> {
    const h = this.handle;
    this.handle = undefined;
    await h?.stop();
  }

  /** Starts it again on the same port. */
  async restart(): Promise<void> {
    if (this.handle) return;
    this.handle = await startEmbeddedPostgres({
      dataDir: path.join(this.dir, 'pg'),
      persistent: true,
      port: this.port,
    });
  }

  /** Stops it and removes its files. */
  async destroy(): Promise<void> {
    await this.stop();
    await fs.rm(this.dir, { recursive: true, force: true });
  }

  /** A query as superuser on the application's database, behind its back. */
  async sql<T = Record<string, unknown>>(text: string, params: unknown[] = []): Promise<T[]> {
    const c = new Client({ connectionString: this.databaseUrl });
    await c.connect();
    try {
      return (await c.query(text, params)).rows as T[];
    } finally {
      await c.end();
    }
  }

  /** A superuser connection of the test's own (e.g. to hold a row lock). */
  async connect(): Promise<Client> {
    const c = new Client({ connectionString: this.databaseUrl });
    // ended by a database restart or teardown: the test sees it on its next query
    c.on('error', () => undefined);
    await c.connect();
    return c;
  }
}
