import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { EmbeddedPostgresError } from './errors';
import { canEnter, exists, Owner } from './processes';

// Where the cluster lives: as root, somewhere the `postgres` user can reach.

export const DEFAULT_RELOCATION_BASE = '/var/lib/prisoner-services';

/**
 * Where the cluster goes. As root, a directory whose parent the `postgres` user cannot enter is
 * replaced by a reachable one: persistent clusters by a link to DEFAULT_RELOCATION_BASE/<key>.
 */
export async function placeCluster(
  dataDir: string,
  opts: { persistent: boolean; runtimeBase?: string; relocationBase?: string },
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
