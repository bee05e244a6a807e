import { Injectable } from '@nestjs/common';
import { StaffPrincipal } from '../../common/auth/principal';
import { UnitOfWork } from '../../common/database/unit-of-work';
import { DomainError, NotFoundError } from '../../common/errors/domain-error';
import { decodeCursor, listScope, Page, pageLimit, toPage } from '../../common/http/pagination';
import { Clock } from '../../common/time/clock';
import { AccessService } from '../access/access.service';
import { AuditService } from '../audit/audit.service';
import { FacilitiesService } from '../facilities/facilities.service';
import { validateValues } from './domain/catalog';
import { publicationRefusal, startTaken } from './domain/publication';
import { effectiveAt } from './domain/resolution';
import {
  CreatePolicyVersionDto,
  PolicyVersionDto,
  PolicyVersionQueryDto,
  UpdatePolicyVersionDto,
} from './dto/policy.dto';
import { PolicyVersionEntity } from './entities/policy-version.entity';
import { PolicyVersionsRepository } from './policy-versions.repository';
import { PolicyService } from './policy.service';

function valuesError(
  values: Record<string, unknown>,
  code: 'VALIDATION_FAILED' | 'INVALID_POLICY_VALUES',
): void {
  const problems = validateValues(values);
  if (problems.length > 0) {
    throw new DomainError(
      code,
      `Policy values break the catalog: ${problems.map((p) => p.message).join('; ')}`,
      problems.map((p) => ({ field: `values.${p.key}`, message: p.message })),
    );
  }
}

function effectiveOf(dto: { effectiveFrom?: string; effectiveOn?: string }, required: boolean) {
  if (dto.effectiveFrom !== undefined && dto.effectiveOn !== undefined) {
    throw new DomainError('VALIDATION_FAILED', 'Give effectiveFrom or effectiveOn, not both', [
      { field: 'effectiveOn', message: 'give effectiveFrom or effectiveOn, not both' },
    ]);
  }
  if (required && dto.effectiveFrom === undefined && dto.effectiveOn === undefined) {
    throw new DomainError('VALIDATION_FAILED', 'effectiveFrom or effectiveOn is required', [
      { field: 'effectiveFrom', message: 'effectiveFrom or effectiveOn is required' },
    ]);
  }
}

/** What the publication checks read of a version. */
export type Publishable = Pick<
  PolicyVersionEntity,
  'facilityId' | 'effectiveOn' | 'effectiveFrom' | 'values'
>;

/** Writing policy versions: drafts, edits of drafts, publication. Published versions never change. */
@Injectable()
export class PolicyAuthoringService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly versions: PolicyVersionsRepository,
    private readonly facilities: FacilitiesService,
    private readonly policies: PolicyService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly access: AccessService,
  ) {}

  async create(dto: CreatePolicyVersionDto, actor: StaffPrincipal): Promise<PolicyVersionDto> {
    const facilityId = dto.facilityId ?? null;
    await this.assertScope(facilityId, actor);
    effectiveOf(dto, true);
    valuesError(dto.values, 'VALIDATION_FAILED');
    const v = await this.uow.run(async () => {
      const created = await this.versions.insert({
        facilityId,
        effectiveFrom: dto.effectiveFrom ? new Date(dto.effectiveFrom) : null,
        effectiveOn: dto.effectiveOn ?? null,
        reason: dto.reason,
        values: dto.values,
        status: 'draft',
        createdBy: actor.id,
        createdAt: this.clock.now(),
      });
      this.audit.record({
        action: 'policy.create',
        targetType: 'policy-version',
        targetId: created.id,
        facilityId,
        summary: {
          effectiveFrom: dto.effectiveFrom ?? null,
          effectiveOn: dto.effectiveOn ?? null,
          keys: Object.keys(dto.values),
        },
        actor,
      });
      return created;
    });
    return PolicyVersionDto.from(v);
  }

  update(
    id: string,
    dto: UpdatePolicyVersionDto,
    actor: StaffPrincipal,
  ): Promise<PolicyVersionDto> {
    effectiveOf(dto, false);
    if (dto.values) valuesError(dto.values, 'VALIDATION_FAILED');
    return this.uow.run(async () => {
      const v = await this.lockInScope(id, actor);
      this.assertDraft(v);
      if (dto.effectiveFrom !== undefined)
        Object.assign(v, { effectiveFrom: new Date(dto.effectiveFrom), effectiveOn: null });
      if (dto.effectiveOn !== undefined)
        Object.assign(v, { effectiveOn: dto.effectiveOn, effectiveFrom: null });
      if (dto.reason !== undefined) v.reason = dto.reason;
      if (dto.values !== undefined) v.values = dto.values;
      const saved = await this.versions.save(v, this.clock.now());
      this.audit.record({
        action: 'policy.update',
        targetType: 'policy-version',
        targetId: v.id,
        facilityId: v.facilityId,
        summary: { changed: Object.keys(dto) },
        actor,
      });
      return PolicyVersionDto.from(saved);
    });
  }

  async publish(id: string, actor: StaffPrincipal): Promise<PolicyVersionDto> {
    const published = await this.uow.run(async () => {
      const v = await this.lockInScope(id, actor);
      this.assertDraft(v);
      valuesError(v.values, 'INVALID_POLICY_VALUES');
      const now = this.clock.now();
      await this.assertPublication(v, now);
      v.status = 'published';
      v.publishedAt = now;
      v.publishedBy = actor.id;
      const saved = await this.versions.save(v, now);
      this.audit.record({
        action: 'policy.publish',
        targetType: 'policy-version',
        targetId: v.id,
        facilityId: v.facilityId,
        summary: {
          effectiveFrom: v.effectiveFrom?.toISOString() ?? null,
          effectiveOn: v.effectiveOn,
          values: v.values,
          reason: v.reason,
        },
        actor,
      });
      // this instance once committed; the others through NOTIFY
      this.uow.afterCommit(() => this.policies.invalidate());
      return saved;
    });
    return PolicyVersionDto.from(published);
  }

  async get(id: string, actor: StaffPrincipal): Promise<PolicyVersionDto> {
    const v = await this.versions.findById(id);
    if (!v) throw new NotFoundError('Policy version');
    // national versions apply in every facility: every member of staff may read them
    if (v.facilityId)
      await this.access.requireHeld(actor, 'policy-version', { id, facilityId: v.facilityId });
    return PolicyVersionDto.from(v);
  }

  async list(q: PolicyVersionQueryDto, actor: StaffPrincipal): Promise<Page<PolicyVersionDto>> {
    if (q.facilityId) this.access.requireFacility(actor, q.facilityId);
    const scope = listScope('policy-versions', q.facilityId, q.key, q.status);
    const limit = pageLimit(q);
    const rows = await this.versions.list({
      facilityScope: this.access.facilityFilter(actor),
      facilityId: q.facilityId,
      key: q.key,
      status: q.status,
      after: decodeCursor(q.cursor, scope),
      limit,
    });
    return toPage(
      rows,
      limit,
      (v) => ({ k: v.createdAt.toISOString(), id: v.id }),
      PolicyVersionDto.from,
      scope,
    );
  }

  private async assertScope(facilityId: string | null, actor: StaffPrincipal): Promise<void> {
    if (facilityId === null) this.assertNationalAuthor(actor);
    else await this.facilities.require(facilityId, actor);
  }

  private async lockInScope(id: string, actor: StaffPrincipal): Promise<PolicyVersionEntity> {
    const v = await this.versions.findByIdForUpdate(id);
    if (!v) throw new NotFoundError('Policy version');
    if (v.facilityId)
      await this.access.requireHeld(actor, 'policy-version', { id, facilityId: v.facilityId });
    // national drafts are visible to facility staff, but not theirs to change
    else this.assertNationalAuthor(actor);
    return v;
  }

  private assertNationalAuthor(actor: StaffPrincipal): void {
    if (!this.access.isNational(actor))
      throw new DomainError('FORBIDDEN', 'National versions need a national policy administrator');
  }

  private assertDraft(v: PolicyVersionEntity): void {
    if (v.status !== 'draft') {
      throw new DomainError(
        'POLICY_VERSION_PUBLISHED',
        'This version is published and cannot change; publish a new one',
      );
    }
  }

  /**
   * What a version must pass to be published, through the API or from a file: its start is free,
   * and it does not take effect before now nor sooner than the minimum lead, unless `pastAllowed`
   * (a database that has published nothing yet: no answer was given that it could change).
   */
  async assertPublication(
    v: Publishable,
    now: Date,
    opts: { pastAllowed?: boolean } = {},
  ): Promise<void> {
    // the scope's publications one at a time, and the lead judged once this one's turn has come:
    // judged before waiting, a publication queued behind others could commit after the start it
    // was allowed (and a past answer would change)
    await this.versions.lockScope(v.facilityId);
    const zones = opts.pastAllowed ? await this.zonesOf(v) : await this.assertPublishable(v, now);
    await this.assertStartFree(v, zones);
  }

  /** The zones a version takes effect in: its facility's, or every facility's (UTC with none). */
  private async zonesOf(v: Publishable): Promise<string[]> {
    const zones = v.facilityId
      ? [(await this.facilities.require(v.facilityId)).timeZone]
      : await this.facilities.distinctZones();
    return zones.length ? zones : ['UTC'];
  }

  /**
   * Publishing may schedule the future, never rewrite the past: the version must not take effect
   * before now in any facility it applies to, nor sooner than the minimum lead after the
   * database's now (every instance must know of it first).
   */
  private async assertPublishable(v: Publishable, now: Date): Promise<string[]> {
    const zones = await this.zonesOf(v);
    const earliest = new Date(Math.min(...zones.map((z) => effectiveAt(v, z).getTime())));
    const refusal = publicationRefusal(
      earliest,
      now,
      await this.versions.databaseNow(),
      this.policies.minLeadSeconds,
    );
    if (!refusal) return zones;
    const field = v.effectiveFrom ? 'effectiveFrom' : 'effectiveOn';
    if (refusal.code === 'EFFECTIVE_IN_PAST') {
      throw new DomainError(
        'EFFECTIVE_IN_PAST',
        `The version would take effect at ${earliest.toISOString()}, before now; edit the draft to a future date`,
        [{ field, message: 'must not be in the past' }],
      );
    }
    throw new DomainError(
      'POLICY_LEAD_TOO_SHORT',
      `The version would take effect at ${earliest.toISOString()}; publish at least ${this.policies.minLeadSeconds} s ahead (not before ${refusal.notBefore.toISOString()}), so every instance knows of it first`,
      [{ field, message: `must be at least ${this.policies.minLeadSeconds} s after now` }],
    );
  }

  /**
   * One version per scope, key and start: a published version of this scope that sets one of
   * the same keys from the same moment (in a facility it applies to) would tie with this one, and
   * resolution would pick one silently. Publications of a scope are serialized (the lock
   * assertPublication takes, to COMMIT), so of two tying versions published at once exactly one is.
   */
  private async assertStartFree(v: Publishable, zones: string[]): Promise<void> {
    const keys = Object.keys(v.values);
    if (!keys.length) return;
    const tie = startTaken(v, await this.versions.publishedSetting(v.facilityId, keys), zones);
    if (!tie) return;
    const field = v.effectiveFrom ? 'effectiveFrom' : 'effectiveOn';
    throw new DomainError(
      'POLICY_START_TAKEN',
      `Version ${tie.version.id} of this scope already sets ${tie.keys.join(', ')} from ${tie.at.toISOString()}; choose another start, or leave those keys out`,
      [
        {
          field,
          message: `another published version of this scope sets ${tie.keys.join(', ')} from then`,
        },
      ],
    );
  }
}
