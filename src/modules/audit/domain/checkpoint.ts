import { createHash, KeyObject, sign, verify } from 'node:crypto';
import { canonicalJson } from '../../../common/json/canonical-json';
import { ChainVerifier, VerifiableRow } from './audit-chain';

/**
 * Signed checkpoints of the audit trail, as Certificate Transparency's signed tree heads: a
 * statement, signed with the service's Ed25519 key, of every chain's length and head hash at one
 * moment. Whoever keeps one can later show that the trail still contains what it stated. Pure
 * (node:crypto only): the service and the independent verifier (`src/cli`) share this file.
 */
export const CHECKPOINT_VERSION = 'prisoner-services/audit-checkpoint/v1';

const HEX64 = /^[0-9a-f]{64}$/;

/** One chain as a checkpoint states it: how many events, and the hash of the last. */
export interface CheckpointHead {
  chainKey: string;
  length: number;
  headHash: string;
}

/** What the signature covers. */
export interface CheckpointStatement {
  version: typeof CHECKPOINT_VERSION;
  id: string;
  takenAt: string;
  /** Sorted by chain key. */
  chains: CheckpointHead[];
  /** SHA-256 over every chain's key, length and head hash: one value that pins them all. */
  rootHash: string;
  /** Which key signed it (see `keyIdOf`). */
  keyId: string;
}

export interface SignedCheckpoint extends CheckpointStatement {
  algorithm: 'Ed25519';
  /** Ed25519 signature of `signedText(statement)`, base64. */
  signature: string;
}

const byKey = (a: CheckpointHead, b: CheckpointHead): number =>
  a.chainKey < b.chainKey ? -1 : a.chainKey > b.chainKey ? 1 : 0;

/** The one hash over every chain's key, length and head hash (in chain key order). */
export function rootHash(chains: readonly CheckpointHead[]): string {
  const rows = [...chains].sort(byKey).map((c) => [c.chainKey, c.length, c.headHash]);
  return createHash('sha256').update(canonicalJson(rows), 'utf8').digest('hex');
}

/** A public key's id: SHA-256 of its DER (SPKI) encoding, hex, first 32 digits. */
export function keyIdOf(publicKey: KeyObject): string {
  const der = publicKey.export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(der).digest('hex').slice(0, 32);
}

/** The exact text that is signed: the statement's canonical JSON (keys sorted at every depth). */
export function signedText(s: CheckpointStatement): string {
  return canonicalJson({
    version: s.version,
    id: s.id,
    takenAt: s.takenAt,
    chains: s.chains.map((c) => ({ chainKey: c.chainKey, length: c.length, headHash: c.headHash })),
    rootHash: s.rootHash,
    keyId: s.keyId,
  });
}

/** Signs a statement of these heads, taken at `takenAt`, with the service's private key. */
export function signCheckpoint(
  input: { id: string; takenAt: Date; chains: readonly CheckpointHead[] },
  privateKey: KeyObject,
  publicKey: KeyObject,
): SignedCheckpoint {
  const chains = [...input.chains].sort(byKey).map((c) => ({ ...c }));
  const statement: CheckpointStatement = {
    version: CHECKPOINT_VERSION,
    id: input.id,
    takenAt: input.takenAt.toISOString(),
    chains,
    rootHash: rootHash(chains),
    keyId: keyIdOf(publicKey),
  };
  const signature = sign(null, Buffer.from(signedText(statement), 'utf8'), privateKey);
  return { ...statement, algorithm: 'Ed25519', signature: signature.toString('base64') };
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Reads a checkpoint as `/audit/checkpoint` answered it (extra fields are ignored: the signature
 * does not cover them). Returns what is wrong with its shape, or the checkpoint.
 */
export function parseCheckpoint(v: unknown): { checkpoint: SignedCheckpoint } | { fault: string } {
  if (!isObject(v)) return { fault: 'a checkpoint is a JSON object' };
  if (v.version !== CHECKPOINT_VERSION) return { fault: `version is not ${CHECKPOINT_VERSION}` };
  if (v.algorithm !== 'Ed25519') return { fault: 'algorithm is not Ed25519' };
  for (const k of ['id', 'takenAt', 'rootHash', 'keyId', 'signature'] as const) {
    if (typeof v[k] !== 'string' || v[k] === '') return { fault: `${k} is not a string` };
  }
  if (!Array.isArray(v.chains)) return { fault: 'chains is not a list' };
  const chains: CheckpointHead[] = [];
  for (const c of v.chains as unknown[]) {
    if (
      !isObject(c) ||
      typeof c.chainKey !== 'string' ||
      !Number.isSafeInteger(c.length) ||
      (c.length as number) < 0 ||
      typeof c.headHash !== 'string' ||
      !HEX64.test(c.headHash)
    ) {
      return { fault: 'a chain is not { chainKey, length, headHash }' };
    }
    chains.push({ chainKey: c.chainKey, length: c.length as number, headHash: c.headHash });
  }
  return {
    checkpoint: {
      version: CHECKPOINT_VERSION,
      algorithm: 'Ed25519',
      id: v.id as string,
      takenAt: v.takenAt as string,
      chains,
      rootHash: v.rootHash as string,
      keyId: v.keyId as string,
      signature: v.signature as string,
    },
  };
}

/**
 * Why this checkpoint is not one the holder of `publicKey` signed, or null when it is: the root
 * hash must be the one over its chains, the key id that of the key, the signature valid.
 */
export function authenticityFault(cp: SignedCheckpoint, publicKey: KeyObject): string | null {
  if (cp.keyId !== keyIdOf(publicKey)) return `signed by another key (${cp.keyId})`;
  if (cp.rootHash !== rootHash(cp.chains)) return 'the root hash is not that of its chains';
  const signature = Buffer.from(cp.signature, 'base64');
  const ok = verify(null, Buffer.from(signedText(cp), 'utf8'), publicKey, signature);
  return ok ? null : 'the signature does not verify';
}

/** Where a chain no longer contains what a checkpoint stated of it. */
export interface Divergence {
  chainKey: string;
  /**
   * The first position where the chain differs from the checkpoint's history: an event that no
   * longer verifies or is missing there, or else the checkpoint's head itself (every event
   * verifies, but the chain no longer passes through that head: rewritten at or before it, and
   * rehashed since).
   */
  position: number;
  reason: 'event-does-not-verify' | 'events-missing' | 'head-differs';
  /** The checkpoint's head of this chain. */
  expected: { length: number; headHash: string };
  /** The hash found now at the checkpoint's length, if the chain still reaches it. */
  foundHash: string | null;
}

/**
 * Walks one chain once, in order, checking every event (as verification does) and that the chain
 * passes through each head that checkpoints recorded for it. `T` tells the heads apart (which
 * checkpoint stated each).
 */
export class ChainAgainstHeads<T> {
  private readonly verifier = new ChainVerifier();
  private readonly results = new Map<T, Divergence | null>();
  private readonly byLength = new Map<number, Array<{ tag: T; head: CheckpointHead }>>();
  private lastSeq = 0;

  constructor(
    readonly chainKey: string,
    heads: ReadonlyArray<{ tag: T; head: CheckpointHead }>,
  ) {
    for (const h of heads) {
      if (h.head.length === 0) {
        // an empty chain is a prefix of any chain
        this.results.set(h.tag, null);
        continue;
      }
      const at = this.byLength.get(h.head.length) ?? [];
      at.push(h);
      this.byLength.set(h.head.length, at);
    }
  }

  push(row: VerifiableRow): void {
    this.verifier.push(row);
    this.lastSeq = row.chainSeq;
    for (const { tag, head } of this.byLength.get(row.chainSeq) ?? []) {
      const broken = this.verifier.brokenAt();
      this.results.set(
        tag,
        broken !== null
          ? this.divergence(head, broken, 'event-does-not-verify', row.hash)
          : row.hash === head.headHash
            ? null
            : this.divergence(head, head.length, 'head-differs', row.hash),
      );
    }
    this.byLength.delete(row.chainSeq);
  }

  /** Every head's verdict (null: the chain still passes through it). Call once, at the end. */
  finish(): Map<T, Divergence | null> {
    for (const heads of this.byLength.values()) {
      for (const { tag, head } of heads) {
        const broken = this.verifier.brokenAt();
        this.results.set(
          tag,
          broken !== null
            ? this.divergence(head, broken, 'event-does-not-verify', null)
            : this.divergence(head, this.lastSeq + 1, 'events-missing', null),
        );
      }
    }
    this.byLength.clear();
    return this.results;
  }

  /** How many events were walked. */
  get eventsChecked(): number {
    return this.verifier.result().eventsChecked;
  }

  /** The chain on its own, as verification checks it: every hash, every link, no gap. */
  check(): { ok: boolean; firstBrokenEventId: string | null; brokenAt: number | null } {
    const r = this.verifier.result();
    return {
      ok: r.ok,
      firstBrokenEventId: r.firstBrokenEventId,
      brokenAt: this.verifier.brokenAt(),
    };
  }

  private divergence(
    head: CheckpointHead,
    position: number,
    reason: Divergence['reason'],
    foundHash: string | null,
  ): Divergence {
    return {
      chainKey: this.chainKey,
      position,
      reason,
      expected: { length: head.length, headHash: head.headHash },
      foundHash,
    };
  }
}

/** The first divergence in chain key order, of a checkpoint's verdicts per chain. */
export function firstDivergence(verdicts: Iterable<Divergence | null>): Divergence | null {
  const found = [...verdicts].filter((d): d is Divergence => d !== null);
  found.sort((a, b) => (a.chainKey < b.chainKey ? -1 : a.chainKey > b.chainKey ? 1 : 0));
  return found[0] ?? null;
}
