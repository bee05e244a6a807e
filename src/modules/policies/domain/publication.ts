import { effectiveAt, PublishedVersion } from './resolution';

/**
 * When a version may be published. It must never rewrite the past (a decision already taken keeps
 * its answer), and must reach every instance before it takes effect: an instance learns of a
 * publication by NOTIFY, or by its periodic re-check should a notification be lost; one deciding
 * under the old version after the new one took effect would give an answer that `?at=` later
 * contradicts. So the version takes effect at least a minimum lead after now by the database's
 * clock (the one clock all instances share), and instances re-check well inside that lead.
 */
export type PublicationRefusal =
  | { code: 'EFFECTIVE_IN_PAST'; earliest: Date }
  | { code: 'POLICY_LEAD_TOO_SHORT'; earliest: Date; notBefore: Date };

/**
 * `earliest`: the first instant the version takes effect in any facility it applies to;
 * `now`: the use case's clock; `databaseNow`: the database's.
 */
export function publicationRefusal(
  earliest: Date,
  now: Date,
  databaseNow: Date,
  minLeadSeconds: number,
): PublicationRefusal | null {
  if (earliest.getTime() < now.getTime()) return { code: 'EFFECTIVE_IN_PAST', earliest };
  const notBefore = new Date(databaseNow.getTime() + minLeadSeconds * 1000);
  if (earliest.getTime() < notBefore.getTime())
    return { code: 'POLICY_LEAD_TOO_SHORT', earliest, notBefore };
  return null;
}

/** The fallback re-check of the published set: a quarter of the lead, and at most 30 s. */
export function recheckIntervalMs(minLeadSeconds: number): number {
  return Math.max(250, Math.min(30_000, Math.floor((minLeadSeconds * 1000) / 4)));
}

type Start = Pick<PublishedVersion, 'effectiveFrom' | 'effectiveOn'>;

/**
 * A published version of the same scope that sets one of the same keys from the same moment, in
 * any of `zones` (the facility's, or every facility's for a national version): the two would tie
 * and resolution would pick one silently, so the second is not published. `keys`: those they share.
 */
export function startTaken<V extends Start & { id: string; values: Record<string, unknown> }>(
  v: Start & { values: Record<string, unknown> },
  published: readonly V[],
  zones: readonly string[],
): { version: V; keys: string[]; at: Date } | null {
  for (const o of published) {
    const keys = Object.keys(v.values).filter((k) => k in o.values);
    if (!keys.length) continue;
    for (const z of zones) {
      const at = effectiveAt(v, z);
      if (effectiveAt(o, z).getTime() === at.getTime())
        return { version: o, keys: keys.sort(), at };
    }
  }
  return null;
}
