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
