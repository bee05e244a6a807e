import { createPublicKey, KeyObject } from 'node:crypto';
import { createReadStream, promises as fs } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { baseChain, VerifiableRow } from '../modules/audit/domain/audit-chain';
import {
  authenticityFault,
  ChainAgainstHeads,
  Divergence,
  firstDivergence,
  keyIdOf,
  parseCheckpoint,
  SignedCheckpoint,
} from '../modules/audit/domain/checkpoint';

/**
 * The independent verifier of the audit trail, for an oversight body on its own machine: plain
 * Node, no database, no server, nothing to trust but the public key. It reads an export
 * (`GET /audit/export`, NDJSON) and the checkpoints the body kept (`GET /audit/checkpoint`, one
 * JSON file each), recomputes every hash with the service's own functions
 * (`src/modules/audit/domain`), checks every checkpoint's signature, and that the exported history
 * still passes through each checkpoint's heads.
 *
 *   npx prisoner-services-verify --export trail.ndjson --checkpoints kept/ --public-key key.json
 *
 * Exit status: 0 all holds, 1 it does not, 2 the command itself is wrong (a missing file…).
 */

const USAGE = `usage: prisoner-services-verify --export FILE --checkpoints DIR|FILE --public-key FILE [--facility ID]

  --export FILE       the trail as GET /api/v1/audit/export gave it (NDJSON), from position 1
  --checkpoints PATH  a directory of kept checkpoints (*.json, each as GET /api/v1/audit/checkpoint
                      answered it), or one such file
  --public-key FILE   the service's public key: PEM, or the JSON of GET /api/v1/audit/public-key
  --facility ID       the export is of this facility only: check the checkpoints' chains of it alone`;

export class UsageError extends Error {}

interface Kept {
  file: string;
  checkpoint: SignedCheckpoint;
}

export interface Verdict {
  ok: boolean;
  /** The first broken place, in words; null when all holds. */
  firstBroken: string | null;
}

async function readPublicKey(file: string): Promise<KeyObject> {
  const text = await fs.readFile(file, 'utf8');
  let pem = text;
  if (text.trim().startsWith('{')) {
    const json = JSON.parse(text) as { publicKeyPem?: unknown };
    if (typeof json.publicKeyPem !== 'string') throw new UsageError(`${file}: no publicKeyPem`);
    pem = json.publicKeyPem;
  }
  let key: KeyObject;
  try {
    key = createPublicKey(pem);
  } catch {
    throw new UsageError(`${file}: not a public key (PEM, or the JSON of /audit/public-key)`);
  }
  if (key.asymmetricKeyType !== 'ed25519') throw new UsageError(`${file}: not an Ed25519 key`);
  return key;
}

async function checkpointFiles(where: string): Promise<string[]> {
  const stat = await fs.stat(where);
  if (!stat.isDirectory()) return [where];
  return (await fs.readdir(where))
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => path.join(where, f));
}

/** One export line as the hash functions take it. */
function toRow(v: unknown): VerifiableRow | null {
  const o = v as Record<string, unknown> | null;
  if (
    !o ||
    typeof o !== 'object' ||
    typeof o.id !== 'string' ||
    typeof o.chainKey !== 'string' ||
    !Number.isSafeInteger(o.chainSeq) ||
    typeof o.occurredAt !== 'string' ||
    typeof o.hash !== 'string' ||
    typeof o.prevHash !== 'string' ||
    !Array.isArray(o.policyVersionIds)
  ) {
    return null;
  }
  const occurredAt = new Date(o.occurredAt);
  if (Number.isNaN(occurredAt.getTime())) return null;
  return { ...(o as unknown as VerifiableRow), occurredAt };
}

export async function verifyTrail(
  opts: { exportFile: string; checkpoints: string; publicKeyFile: string; facility?: string },
  say: (line: string) => void,
): Promise<Verdict> {
  const key = await readPublicKey(opts.publicKeyFile);
  const failures: string[] = [];
  const fail = (what: string) => {
    failures.push(what);
    say(`  FAILED ${what}`);
  };

  say(`public key ${keyIdOf(key)}`);
  const kept: Kept[] = [];
  for (const file of await checkpointFiles(opts.checkpoints)) {
    let json: unknown;
    try {
      json = JSON.parse(await fs.readFile(file, 'utf8'));
    } catch {
      json = undefined;
    }
    const read = parseCheckpoint(json);
    const fault =
      'fault' in read ? `not a checkpoint: ${read.fault}` : authenticityFault(read.checkpoint, key);
    if ('fault' in read || fault) {
      say(`checkpoint ${path.basename(file)}: refused`);
      fail(`checkpoint ${path.basename(file)} is refused: ${fault}`);
      continue;
    }
    kept.push({ file: path.basename(file), checkpoint: read.checkpoint });
  }
  if (kept.length === 0 && failures.length === 0) throw new UsageError('no checkpoint to check');

  // one walk per chain, checked against every kept head of it
  const walks = new Map<string, ChainAgainstHeads<number>>();
  const walkOf = (chainKey: string) => {
    let w = walks.get(chainKey);
    if (!w) walks.set(chainKey, (w = new ChainAgainstHeads<number>(chainKey, [])));
    return w;
  };
  const heads = new Map<string, Array<{ tag: number; head: SignedCheckpoint['chains'][number] }>>();
  kept.forEach(({ checkpoint }, tag) => {
    for (const head of checkpoint.chains) {
      if (opts.facility && baseChain(head.chainKey) !== opts.facility) continue;
      heads.set(head.chainKey, [...(heads.get(head.chainKey) ?? []), { tag, head }]);
    }
  });
  for (const [chainKey, hs] of heads) walks.set(chainKey, new ChainAgainstHeads(chainKey, hs));

  let lineNo = 0;
  let events = 0;
  const lines = createInterface({
    input: createReadStream(opts.exportFile, 'utf8'),
    crlfDelay: Infinity,
  });
  for await (const line of lines) {
    lineNo++;
    if (line.trim() === '') continue;
    let v: unknown;
    try {
      v = JSON.parse(line);
    } catch {
      v = undefined;
    }
    const row = toRow(v);
    if (!row) {
      fail(`export line ${lineNo} is not an event`);
      break;
    }
    walkOf(row.chainKey).push(row);
    events++;
  }
  say(`export ${path.basename(opts.exportFile)}: ${events} events in ${walks.size} chains`);

  // the export on its own: every hash recomputed, every link, no gap
  const verdicts = new Map<number, Array<Divergence | null>>();
  let exportOk = true;
  for (const [chainKey, walk] of [...walks].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const r = walk.check();
    if (!r.ok) {
      exportOk = false;
      fail(
        `chain ${chainKey}, position ${r.brokenAt}: event ${r.firstBrokenEventId} does not verify (hash, link or a gap)`,
      );
    }
    for (const [tag, d] of walk.finish()) verdicts.set(tag, [...(verdicts.get(tag) ?? []), d]);
  }
  if (exportOk) say('  every hash recomputed, every link checked: ok');

  kept.forEach(({ file, checkpoint }, tag) => {
    const d = firstDivergence(verdicts.get(tag) ?? []);
    const covered = (verdicts.get(tag) ?? []).length;
    say(`checkpoint ${file} (${checkpoint.id}, ${checkpoint.takenAt}, ${covered} chains checked)`);
    if (!d) say('  signature ok; the export still passes through every head: ok');
    else fail(`chain ${d.chainKey}, position ${d.position}: ${describe(d)} (checkpoint ${file})`);
  });

  return { ok: failures.length === 0, firstBroken: failures[0] ?? null };
}

function describe(d: Divergence): string {
  switch (d.reason) {
    case 'head-differs':
      return `the checkpoint's head ${d.expected.headHash} is now ${d.foundHash}: history was rewritten at or before this position`;
    case 'events-missing':
      return `the checkpoint had ${d.expected.length} events; the export has fewer`;
    case 'event-does-not-verify':
      return `an event at or before the checkpoint's head (length ${d.expected.length}) no longer verifies`;
  }
}

export async function main(
  argv: string[],
  out = (line: string) => process.stdout.write(`${line}\n`),
  err = console.error,
): Promise<number> {
  try {
    const { values } = parseArgs({
      args: argv,
      options: {
        export: { type: 'string' },
        checkpoints: { type: 'string' },
        'public-key': { type: 'string' },
        facility: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    });
    if (values.help) {
      out(USAGE);
      return 0;
    }
    if (!values.export || !values.checkpoints || !values['public-key']) throw new UsageError(USAGE);
    const verdict = await verifyTrail(
      {
        exportFile: values.export,
        checkpoints: values.checkpoints,
        publicKeyFile: values['public-key'],
        facility: values.facility,
      },
      out,
    );
    out(verdict.ok ? 'VERDICT: OK' : `VERDICT: FAILED — first broken: ${verdict.firstBroken}`);
    return verdict.ok ? 0 : 1;
  } catch (e) {
    // a wrong command (unknown option, missing file) is said in one line; anything else in full
    const code = String((e as NodeJS.ErrnoException).code ?? '');
    const usage = e instanceof UsageError || /^(ENOENT|EACCES|EISDIR|ERR_PARSE_ARGS)/.test(code);
    err(`prisoner-services-verify: ${usage ? (e as Error).message : ((e as Error).stack ?? e)}`);
    return 2;
  }
}
