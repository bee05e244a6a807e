import { createHash } from 'node:crypto';
import { canonicalJson } from '../../../common/json/canonical-json';

export { canonicalJson };

export const GENESIS_HASH = '0'.repeat(64);
export const NATIONAL_CHAIN = 'national';

/**
 * A facility's trail runs in this many chains ("lanes"): `<facility id>`, `<facility id>#1`, ...
 * A transaction appends to whichever lane is free, so the facility's writes need not commit one
 * after another behind one head. The national chain has one lane.
 */
export const FACILITY_LANES = 8;

/** The lanes of a base chain (a facility id, or the national chain). */
export function laneKeys(base: string): string[] {
  if (base === NATIONAL_CHAIN) return [base];
  return Array.from({ length: FACILITY_LANES }, (_, i) => (i === 0 ? base : `${base}#${i}`));
}

/** The base chain of a lane: the facility id, or the national chain. */
export function baseChain(chainKey: string): string {
  // (mutation testing: `hash <= 0` below survives, equivalent: no chain key starts with '#')
  const hash = chainKey.indexOf('#');
  return hash < 0 ? chainKey : chainKey.slice(0, hash);
}

export type ActorKind = 'staff' | 'terminal' | 'relative' | 'system' | 'anonymous';

/** Everything an event's hash covers: each stored column but the hash itself. */
export interface ChainedEvent {
  id: string;
  chainKey: string;
  chainSeq: number;
  facilityId: string | null;
  occurredAt: Date;
  actorKind: ActorKind;
  actorId: string | null;
  action: string;
  targetType: string;
  targetId: string | null;
  requestId: string | null;
  summary: Record<string, unknown>;
  policyVersionIds: string[];
  prevHash: string;
}

/**
 * What an event's hash covers besides its place in the chain: every other stored column (of the
 * chain key, its base: the lane is fixed by the link to the previous event, and is chosen by the
 * database at the moment of appending).
 */
export function eventMaterial(e: Omit<ChainedEvent, 'chainSeq' | 'prevHash'>): string {
  return canonicalJson([
    e.id,
    baseChain(e.chainKey),
    e.facilityId,
    e.occurredAt.toISOString(),
    e.actorKind,
    e.actorId,
    e.action,
    e.targetType,
    e.targetId,
    e.requestId,
    e.summary,
    [...e.policyVersionIds].sort(),
  ]);
}

/**
 * SHA-256 of `material|chainSeq|prevHash`, hex. The database computes the same when it appends
 * (so the head is locked for one statement only); verification recomputes it here.
 */
export function eventHash(e: ChainedEvent): string {
  // (mutation testing: 'utf8' emptied survives, equivalent: Node reads an empty encoding as utf8)
  return createHash('sha256')
    .update(`${eventMaterial(e)}|${e.chainSeq}|${e.prevHash}`, 'utf8')
    .digest('hex');
}

const SECRET_KEY = /pass(word)?|secret|token|api[-_]?key|card[-_]?number/i;

/**
 * What may go into a summary: no secrets by key name, and only values that survive a round trip
 * through jsonb exactly (bigints and unsafe integers become strings), so the hash verifies later.
 */
export function sanitizeSummary(value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number') return Number.isSafeInteger(value) ? value : String(value);
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(sanitizeSummary);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      // (mutation testing: `if (false)` survives, equivalent: a key left undefined is dropped by
      // canonicalJson and by jsonb alike)
      if (v === undefined) continue;
      out[k] = SECRET_KEY.test(k) ? '[redacted]' : sanitizeSummary(v);
    }
    return out;
  }
  return value;
}

export interface VerifiableRow extends ChainedEvent {
  hash: string;
}

export interface ChainCheck {
  ok: boolean;
  eventsChecked: number;
  firstBrokenEventId: string | null;
  lastHash: string;
  lastSeq: number;
}

/**
 * Walks one chain in order: each event must follow the previous one (no gap, no reordering),
 * name the previous hash, and hash to what it stores.
 */
export class ChainVerifier {
  private prevHash = GENESIS_HASH;
  private prevSeq = 0;
  private checked = 0;
  private broken: { id: string; seq: number } | null = null;

  push(row: VerifiableRow): void {
    this.checked++;
    if (this.broken) return;
    const ok =
      row.chainSeq === this.prevSeq + 1 &&
      row.prevHash === this.prevHash &&
      eventHash(row) === row.hash;
    // the position: this event's, or the first one missing before it
    if (!ok) this.broken = { id: row.id, seq: this.prevSeq + 1 };
    this.prevHash = row.hash;
    this.prevSeq = row.chainSeq;
  }

  /** The position of the first event that does not verify, if one does not. */
  brokenAt(): number | null {
    return this.broken?.seq ?? null;
  }

  result(): ChainCheck {
    return {
      ok: this.broken === null,
      eventsChecked: this.checked,
      firstBrokenEventId: this.broken?.id ?? null,
      lastHash: this.prevHash,
      lastSeq: this.prevSeq,
    };
  }
}
