import { DataSource, DataSourceOptions } from 'typeorm';
import { MIGRATIONS } from '../../migrations';

/** How long opening a connection may take by default before the pool gives up (DB_CONNECT_TIMEOUT_SECONDS). */
export const CONNECT_TIMEOUT_MS = 5_000;

/**
 * Connection options shared by the app, the migration runner and the test setup. Opening a
 * connection is bounded: a database that accepts and never answers (a partition) fails the request
 * with 503 DATABASE_UNAVAILABLE after `connectTimeoutMs`, it does not hang on TCP's own timeout.
 * The app's sessions are ended by PostgreSQL when left idle in a transaction for
 * `idleInTransactionMs`: a request stuck half-way must not hold its locks, vacuum, or the audit
 * list (which waits for every older transaction) for ever.
 */
export function baseDataSourceOptions(
  url: string,
  poolSize = 10,
  connectTimeoutMs = CONNECT_TIMEOUT_MS,
  idleInTransactionMs = 0,
): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    migrations: MIGRATIONS,
    migrationsTableName: 'schema_migrations',
    synchronize: false,
    migrationsRun: false,
    extra: {
      max: poolSize,
      application_name: 'prisoner-services',
      connectionTimeoutMillis: connectTimeoutMs,
      // PostgreSQL ends a session left idle inside a transaction this long (0: never)
      ...(idleInTransactionMs > 0
        ? { idle_in_transaction_session_timeout: idleInTransactionMs }
        : {}),
    },
  };
}

const MIGRATION_LOCK = 71_512_026; // arbitrary, constant: one migrator at a time across instances

/**
 * Runs pending migrations under an advisory lock, so several instances starting together do not
 * race each other. Returns the names of the migrations applied.
 */
export async function runMigrations(url: string): Promise<string[]> {
  const ds = new DataSource({
    ...baseDataSourceOptions(url, 1),
    migrationsTransactionMode: 'each',
  });
  await ds.initialize();
  try {
    await ds.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    try {
      const applied = await ds.runMigrations();
      return applied.map((m) => m.name);
    } finally {
      await ds.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]);
    }
  } finally {
    await ds.destroy();
  }
}
