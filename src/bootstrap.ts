import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import { ConfigError, Env, loadEnv } from './config/env.schema';
import { newSigningKey } from './config/signing-key';
import { StripeMock } from './dev/stripe-mock';
import { runMigrations } from './database/data-source';
import { EmbeddedPostgresHandle, startEmbeddedPostgres } from './database/embedded-postgres';
import type { Logger } from 'pino';
import { createStartLogger, logDestination } from './common/http/logging';
import { API_PREFIX, createHttpApp, drainHttp } from './http-app';
import { tzDataProblem } from './tz-data';

/** This machine cannot run the service as it is (old tz data…): a message for the operator. */
export class StartupError extends Error {
  override name = 'StartupError';
}

/** A secret kept in the data directory, generated on first use (embedded development mode). */
async function persistedSecret(dataDir: string, name: string, bytes: number): Promise<string> {
  const file = path.join(dataDir, name);
  try {
    return (await fs.readFile(file, 'utf8')).trim();
  } catch {
    const value = randomBytes(bytes).toString('base64url');
    await fs.mkdir(dataDir, { recursive: true });
    await fs.writeFile(file, value + '\n', { mode: 0o600 });
    return value;
  }
}

/** The checkpoint signing key kept in the data directory, generated on first use (embedded mode). */
async function persistedSigningKey(dataDir: string): Promise<string> {
  const file = path.join(dataDir, 'audit-signing-key.pem');
  try {
    return await fs.readFile(file, 'utf8');
  } catch {
    const { pem } = newSigningKey();
    await fs.mkdir(dataDir, { recursive: true });
    await fs.writeFile(file, pem, { mode: 0o600 });
    return pem;
  }
}

async function ensureDatabase(serverUrl: string, name: string): Promise<string> {
  const client = new Client({ connectionString: serverUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!rowCount) await client.query(`CREATE DATABASE "${name}"`);
  } finally {
    await client.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Embedded mode: start PostgreSQL in DATA_DIR and fill in the settings a developer did not give. */
async function resolveEmbedded(env: Env, logger: Logger): Promise<EmbeddedPostgresHandle> {
  const dataDir = path.resolve(env.DATA_DIR);
  logger.info(`DATABASE_URL not set: starting embedded PostgreSQL in ${dataDir}/pg`);
  const pg = await startEmbeddedPostgres({ dataDir: path.join(dataDir, 'pg'), persistent: true });
  if (pg.clusterDir !== path.join(dataDir, 'pg')) {
    logger.info(`the database files are in ${pg.clusterDir} (linked from ${dataDir}/pg)`);
  }
  try {
    env.DATABASE_URL = await ensureDatabase(pg.url, 'prisoner_services');
    env.SEED_DEMO ??= true;
    env.JWT_SECRET ??= await persistedSecret(dataDir, 'jwt-secret', 48);
    env.ADMIN_PASSWORD ??= await persistedSecret(dataDir, 'initial-admin-password', 12);
    env.CARD_HMAC_SECRET ??= await persistedSecret(dataDir, 'card-hmac-secret', 48);
    env.AUDIT_SIGNING_KEY ??= await persistedSigningKey(dataDir);
  } catch (err) {
    await pg.stop();
    throw err;
  }
  return pg;
}

export interface RunningServer {
  app: NestFastifyApplication;
  env: Env;
  url: string;
  /** The local Stripe mock, when no Stripe settings were given. */
  stripeMock?: StripeMock;
  /**
   * Stops serving (requests in flight finish for most of SHUTDOWN_TIMEOUT_SECONDS, new ones get
   * 503), then the embedded database if one was started. Resolves to the number of requests cut
   * off because they did not finish in time (0: drained).
   */
  stop(): Promise<number>;
}

/**
 * Everything `npm start` does: validate the environment, start the embedded database when no
 * DATABASE_URL is given, migrate, build the app and listen.
 */
export async function startServer(
  source: Record<string, string | undefined>,
): Promise<RunningServer> {
  const t0 = Date.now();
  const tz = tzDataProblem(process.versions.tz, `Node.js ${process.version}`);
  if (tz) throw new StartupError(tz);
  const env = loadEnv(source);
  const logStream = logDestination(env);
  const logger = createStartLogger(env, logStream, 'Bootstrap');
  const embedded = env.DATABASE_URL ? undefined : await resolveEmbedded(env, logger);
  let stripeMock: StripeMock | undefined;
  try {
    if (!env.CARD_HMAC_SECRET) {
      throw new ConfigError(
        'Invalid configuration:\n  - CARD_HMAC_SECRET: required with DATABASE_URL (cards are found by an HMAC of their number)',
      );
    }
    if (!env.STRIPE_SECRET_KEY) {
      stripeMock = new StripeMock();
      await stripeMock.start();
      Object.assign(env, {
        STRIPE_SECRET_KEY: stripeMock.secretKey,
        STRIPE_WEBHOOK_SECRET: stripeMock.webhookSecret,
        STRIPE_API_HOST: '127.0.0.1',
        STRIPE_API_PORT: stripeMock.port,
        STRIPE_API_PROTOCOL: 'http',
      });
      logger.warn(
        `STRIPE_SECRET_KEY not set: deposits go to a local Stripe mock on 127.0.0.1:${stripeMock.port}`,
      );
    }
    if (!env.JWT_SECRET) {
      env.JWT_SECRET = randomBytes(48).toString('base64url');
      logger.warn('JWT_SECRET not set: using a random one; tokens will not survive a restart');
    }
    env.SEED_DEMO ??= false;

    const applied = await runMigrations(env.DATABASE_URL!);
    if (applied.length) {
      logger.info(
        `${applied.length} migration(s) applied, the last ${applied[applied.length - 1]}`,
      );
    }

    const app = await createHttpApp(env, { logStream });
    try {
      await app.listen({ port: env.PORT, host: env.HOST });
    } catch (err) {
      await app.close().catch(() => undefined);
      throw err;
    }
    const addr = app.getHttpServer().address();
    const port = typeof addr === 'object' && addr ? addr.port : env.PORT;
    const base = `http://${env.HOST === '0.0.0.0' ? '127.0.0.1' : env.HOST}:${port}`;
    if (stripeMock) stripeMock.webhookUrl = `${base}/${API_PREFIX}/webhooks/stripe`;
    logger.info(
      `prisoner-services serving at ${base}/${API_PREFIX} (ready in ${Date.now() - t0} ms)`,
    );
    logger.info(`API docs: ${base}/api/docs  (OpenAPI JSON: ${base}/api/docs-json)`);
    logger.info(`health:   ${base}/${API_PREFIX}/health/ready`);
    if (embedded) {
      const pwFile = path.resolve(env.DATA_DIR, 'initial-admin-password');
      logger.info(
        `sign in:  POST ${base}/${API_PREFIX}/auth/staff/login with {"username":"${env.ADMIN_USERNAME}","password":…}` +
          (source.ADMIN_PASSWORD ? ' (your ADMIN_PASSWORD)' : ` (the password is in ${pwFile})`),
      );
      if (env.SEED_DEMO) {
        logger.info(
          'demo data: facilities DEMO-ALM-1 (Asia/Almaty) and DEMO-AKT-2 (Asia/Aqtobe) with prisoners',
        );
      }
    }
    return {
      app,
      env,
      url: base,
      stripeMock,
      stop: async () => {
        try {
          // Drain first: Nest's close() would tear down the database pool under requests in flight.
          const cut = await drainHttp(app, env.SHUTDOWN_TIMEOUT_SECONDS * 600);
          await app.close();
          return cut;
        } finally {
          await stripeMock?.stop();
          await embedded?.stop();
        }
      },
    };
  } catch (err) {
    await stripeMock?.stop();
    await embedded?.stop();
    throw err;
  }
}
