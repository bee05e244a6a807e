import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { ChangeNotifier } from '../../common/database/change-notifier';
import { canonicalJson } from '../../common/json/canonical-json';
import { Env } from '../../config/env.schema';
import { FacilitiesService } from '../facilities/facilities.service';
import {
  changesBetween,
  PolicyChange,
  PublishedVersion,
  resolve,
  Resolved,
} from './domain/resolution';
import { PolicyVersionsRepository } from './policy-versions.repository';
import { valueFor } from './domain/values';
import { recheckIntervalMs } from './domain/publication';
import type { Conditions, SecurityLevel } from '../facilities/domain/prisoner.rules';

export interface ResolvedPolicy extends Resolved {
  facilityId: string;
  /** Strong validator of the resolved content (values, sources, validity). */
  etag: string;
  /** `"values":…,"sources":…,"validUntil":…}` serialised once: terminals read this on every decision. */
  jsonTail: string;
}

interface Snapshot {
  generation: number;
  versions: PublishedVersion[];
  fingerprint: string;
}

const PER_FACILITY_ENTRIES = 32;

function covers(r: ResolvedPolicy, at: Date): boolean {
  const t = at.getTime();
  return (
    (r.validFrom === null || r.validFrom.getTime() <= t) &&
    (r.validUntil === null || t < r.validUntil.getTime())
  );
}

/**
 * Resolution of policies for (facility, instant), for the API and for every module that decides.
 * Published versions are few and immutable, so they are held in memory; a resolved answer is
 * cached for the interval it holds ([validFrom, validUntil)), so it can never outlive a scheduled
 * change. A publication anywhere reaches every instance through NOTIFY (and a periodic
 * fingerprint check, should a notification be lost, well inside the lead a publication must give:
 * POLICY_MIN_LEAD_SECONDS).
 */
@Injectable()
export class PolicyService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(PolicyService.name);
  private generation = 0;
  private snapshot?: Promise<Snapshot>;
  private readonly cache = new Map<string, ResolvedPolicy[]>();
  private timer?: NodeJS.Timeout;
  /** The least time between a publication and its taking effect, in seconds. */
  readonly minLeadSeconds: number;

  constructor(
    private readonly versions: PolicyVersionsRepository,
    private readonly facilities: FacilitiesService,
    notifier: ChangeNotifier,
    env: Env,
  ) {
    this.minLeadSeconds = env.POLICY_MIN_LEAD_SECONDS;
    notifier.on('policy_changed', () => this.invalidate());
    notifier.onResync(() => this.invalidate());
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.recheck(), recheckIntervalMs(this.minLeadSeconds));
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  /** Forget everything cached (a version was published). */
  invalidate(): void {
    this.generation++;
    this.snapshot = undefined;
    this.cache.clear();
  }

  /** The policy in force in this facility at this instant, with the version behind each value. */
  async resolve(facilityId: string, at: Date): Promise<ResolvedPolicy> {
    const snap = await this.load();
    const hit = this.cache.get(facilityId)?.find((r) => covers(r, at));
    if (hit) return hit;
    const zone = await this.zoneOf(facilityId);
    const r = resolve(snap.versions, facilityId, zone, at);
    const jsonTail = JSON.stringify({
      values: r.values,
      sources: r.sources,
      validUntil: r.validUntil?.toISOString() ?? null,
    }).slice(1);
    const resolved: ResolvedPolicy = { ...r, facilityId, etag: etagOf(facilityId, r), jsonTail };
    if (snap.generation === this.generation) {
      const entries = this.cache.get(facilityId) ?? [];
      entries.unshift(resolved);
      if (entries.length > PER_FACILITY_ENTRIES) entries.pop();
      this.cache.set(facilityId, entries);
    }
    return resolved;
  }

  /**
   * The value of `key` for a prisoner of this level in these conditions (plain keys ignore them),
   * and the version it comes from, to be recorded with the decision.
   */
  valueFor<T>(
    policy: ResolvedPolicy,
    key: string,
    prisoner?: { securityLevel: SecurityLevel; conditions: Conditions },
  ): { value: T | undefined; versionId: string | undefined } {
    const raw = policy.values[key];
    const value = prisoner
      ? valueFor<T>(raw, prisoner.securityLevel, prisoner.conditions)
      : (raw as T);
    return { value, versionId: policy.sources[key] };
  }

  async changes(facilityId: string, from: Date, to: Date): Promise<PolicyChange[]> {
    const snap = await this.load();
    return changesBetween(snap.versions, facilityId, await this.zoneOf(facilityId), from, to);
  }

  /** The facility's zone (FacilitiesService keeps facilities in memory). */
  private async zoneOf(facilityId: string): Promise<string> {
    return (await this.facilities.require(facilityId)).timeZone;
  }

  private load(): Promise<Snapshot> {
    if (!this.snapshot) {
      const generation = this.generation;
      const loading = Promise.all([this.versions.fingerprint(), this.versions.published()]).then(
        ([fingerprint, versions]) => ({ generation, versions, fingerprint }),
      );
      this.snapshot = loading;
      loading.catch(() => {
        if (this.snapshot === loading) this.snapshot = undefined;
      });
    }
    return this.snapshot;
  }

  private async recheck(): Promise<void> {
    try {
      const current = this.snapshot ? await this.snapshot : undefined;
      if (current && current.fingerprint !== (await this.versions.fingerprint())) {
        this.logger.warn(
          'published policies changed without a notification reaching this instance; reloading',
        );
        this.invalidate();
      }
    } catch (err) {
      this.logger.warn({ err: (err as Error).message }, 'policy fingerprint check failed');
    }
  }
}

function etagOf(facilityId: string, r: Resolved): string {
  const body = canonicalJson({
    facilityId,
    values: r.values,
    sources: r.sources,
    validUntil: r.validUntil?.toISOString() ?? null,
  });
  return `"${createHash('sha256').update(body).digest('base64url').slice(0, 32)}"`;
}
