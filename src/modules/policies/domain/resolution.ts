import { DateTime } from 'luxon';
import { canonicalJson } from '../../../common/json/canonical-json';
import type { PolicyValues } from './values';

/** A published version as resolution sees it. */
export interface PublishedVersion {
  id: string;
  /** null = national. */
  facilityId: string | null;
  effectiveFrom: Date | null;
  /** A local date: midnight of it in each facility's own zone. */
  effectiveOn: string | null;
  values: PolicyValues;
  publishedAt: Date;
}

export interface Resolved {
  values: PolicyValues;
  /** For each key, the version that supplied its value. */
  sources: Record<string, string>;
  /** The answer holds from here (the last change at or before the instant)… */
  validFrom: Date | null;
  /** …until the next scheduled change for this facility, national or its own (null: none). */
  validUntil: Date | null;
}

/** When a version takes effect in a facility of this zone. */
export function effectiveAt(
  v: Pick<PublishedVersion, 'effectiveFrom' | 'effectiveOn'>,
  zone: string,
): Date {
  if (v.effectiveFrom) return v.effectiveFrom;
  return DateTime.fromISO(v.effectiveOn!, { zone }).startOf('day').toJSDate();
}

interface Timed {
  v: PublishedVersion;
  t: number;
}

function timeline(
  versions: readonly PublishedVersion[],
  facilityId: string,
  zone: string,
): Timed[] {
  return versions
    .filter((v) => v.facilityId === null || v.facilityId === facilityId)
    .map((v) => ({ v, t: effectiveAt(v, zone).getTime() }))
    .sort(
      (a, b) =>
        a.t - b.t ||
        a.v.publishedAt.getTime() - b.v.publishedAt.getTime() ||
        // (mutation testing: `<=` here survives, equivalent: two versions never share an id)
        (a.v.id < b.v.id ? -1 : 1),
    );
}

/**
 * Per key: the latest published facility version in force at `at` that sets it, else the latest
 * national one. Pure: the same versions and instant give the same answer forever.
 */
export function resolve(
  versions: readonly PublishedVersion[],
  facilityId: string,
  zone: string,
  at: Date,
): Resolved {
  const line = timeline(versions, facilityId, zone);
  const now = at.getTime();
  const national: PolicyValues = {};
  const local: PolicyValues = {};
  const nationalSrc: Record<string, string> = {};
  const localSrc: Record<string, string> = {};
  let validFrom: number | null = null;
  let validUntil: number | null = null;
  for (const { v, t } of line) {
    if (t > now) {
      validUntil = validUntil === null ? t : Math.min(validUntil, t);
      continue;
    }
    validFrom = t;
    const [vals, src] = v.facilityId === null ? [national, nationalSrc] : [local, localSrc];
    for (const [k, value] of Object.entries(v.values)) {
      vals[k] = value;
      src[k] = v.id;
    }
  }
  return {
    values: { ...national, ...local },
    sources: { ...nationalSrc, ...localSrc },
    validFrom: validFrom === null ? null : new Date(validFrom),
    validUntil: validUntil === null ? null : new Date(validUntil),
  };
}

export interface PolicyChange {
  /** When it took effect in this facility. */
  at: Date;
  key: string;
  from: unknown;
  to: unknown;
  fromVersionId: string | null;
  /** The version that brought the new value (null when the key stopped being set). */
  versionId: string | null;
}

/** Every change of a resolved value in this facility in (from, to], in order. */
export function changesBetween(
  versions: readonly PublishedVersion[],
  facilityId: string,
  zone: string,
  from: Date,
  to: Date,
): PolicyChange[] {
  // (mutation testing: `t >= from` survives, equivalent: `prev` already is the answer at `from`,
  // so an instant equal to it shows no change)
  const instants = [...new Set(timeline(versions, facilityId, zone).map((x) => x.t))].filter(
    (t) => t > from.getTime() && t <= to.getTime(),
  );
  const out: PolicyChange[] = [];
  let prev = resolve(versions, facilityId, zone, from);
  for (const t of instants) {
    const cur = resolve(versions, facilityId, zone, new Date(t));
    const keys = [...new Set([...Object.keys(prev.values), ...Object.keys(cur.values)])].sort();
    for (const key of keys) {
      if (canonicalJson(prev.values[key]) === canonicalJson(cur.values[key])) continue;
      out.push({
        at: new Date(t),
        key,
        from: prev.values[key] ?? null,
        to: cur.values[key] ?? null,
        fromVersionId: prev.sources[key] ?? null,
        versionId: cur.sources[key] ?? null,
      });
    }
    prev = cur;
  }
  return out;
}
