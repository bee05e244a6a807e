import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

export function databaseUrl(serverUrl: string, name: string): string {
  const u = new URL(serverUrl);
  u.pathname = `/${name}`;
  return u.toString();
}

function adminUrl(): string {
  const url = process.env.TEST_ADMIN_URL;
  if (!url) throw new Error('TEST_ADMIN_URL unset: run the tests through jest (global setup)');
  return url;
}

async function withAdmin<T>(fn: (c: Client) => Promise<T>): Promise<T> {
  const c = new Client({ connectionString: adminUrl() });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/** A fresh database cloned from the migrated template; returns its URL. */
export async function createTestDatabase(): Promise<{ name: string; url: string }> {
  const name = `ps_test_${randomBytes(6).toString('hex')}`;
  const template = process.env.TEST_TEMPLATE_DB!;
  await withAdmin(async (c) => {
    for (let attempt = 0; ; attempt++) {
      try {
        await c.query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
        return;
      } catch (err) {
        // another worker cloning the template at the same instant
        if (attempt < 20 && (err as { code?: string }).code === '55006') {
          await new Promise((r) => setTimeout(r, 50 + Math.random() * 100));
          continue;
        }
        throw err;
      }
    }
  });
  return { name, url: databaseUrl(adminUrl(), name) };
}

export async function dropTestDatabase(name: string): Promise<void> {
  await withAdmin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
}

/** A superuser connection to a test database, to act behind the application's back. */
export async function superuserQuery<T = unknown>(
  dbName: string,
  sql: string,
  params: unknown[] = [],
): Promise<T[]> {
  const c = new Client({ connectionString: databaseUrl(adminUrl(), dbName) });
  await c.connect();
  try {
    return (await c.query(sql, params)).rows as T[];
  } finally {
    await c.end();
  }
}

/**
 * An INSERT of one row that touches no domain table (an idempotency key under a test's own scope):
 * what the unit-of-work tests write to see whether a transaction committed.
 */
export function scratchRowInsert(scope: string, key: string): string {
  return `INSERT INTO idempotency_keys (scope, key, request_hash, response_status, response_body, expires_at)
     VALUES ('${scope}', '${key}', 'h', 200, '{}', now() + interval '1 hour')`;
}
