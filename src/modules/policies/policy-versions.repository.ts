import { Injectable } from '@nestjs/common';
import { IsNull, Not } from 'typeorm';
import { UnitOfWork } from '../../common/database/unit-of-work';
import { KeysetCursor } from '../../common/http/pagination';
import { PublishedVersion } from './domain/resolution';
import { PolicyVersionEntity } from './entities/policy-version.entity';

export interface VersionFilter {
  /** null = every scope; otherwise national plus these facilities. */
  facilityScope: string[] | null;
  facilityId?: string;
  key?: string;
  status?: 'draft' | 'published';
  after?: KeysetCursor;
  limit: number;
}

@Injectable()
export class PolicyVersionsRepository {
  constructor(private readonly uow: UnitOfWork) {}

  private get repo() {
    return this.uow.manager().getRepository(PolicyVersionEntity);
  }

  /** A new version, changed last when created. */
  insert(v: Partial<PolicyVersionEntity> & { createdAt: Date }): Promise<PolicyVersionEntity> {
    return this.repo.save(this.repo.create({ ...v, updatedAt: v.createdAt }));
  }

  /** Saves the changes made to a version, `at` the use case's instant. */
  save(v: PolicyVersionEntity, at: Date): Promise<PolicyVersionEntity> {
    v.updatedAt = at;
    return this.repo.save(v);
  }

  findById(id: string): Promise<PolicyVersionEntity | null> {
    return this.repo.findOneBy({ id });
  }

  findByIdForUpdate(id: string): Promise<PolicyVersionEntity | null> {
    return this.repo
      .createQueryBuilder('v')
      .setLock('pessimistic_write')
      .where('v.id = :id', { id })
      .getOne();
  }

  /** The versions loaded from files, by file (one query for the whole directory at start). */
  async bySourceFile(): Promise<Map<string, PolicyVersionEntity>> {
    const rows = await this.repo.findBy({ sourceFile: Not(IsNull()) });
    return new Map(rows.map((r) => [r.sourceFile!, r]));
  }

  /** Whether any version of any scope was ever published (answers may have been given under it). */
  async anyPublished(): Promise<boolean> {
    return this.repo.exists({ where: { status: 'published' } });
  }

  async published(): Promise<PublishedVersion[]> {
    const rows = await this.repo.find({ where: { status: 'published' } });
    return rows.map(toPublished);
  }

  /**
   * Serializes publications of one scope (national, or one facility) until COMMIT: two
   * administrators publishing tying versions at once are decided one after the other.
   */
  async lockScope(facilityId: string | null): Promise<void> {
    await this.uow.lock(`policy-publish:${facilityId ?? 'national'}`);
  }

  /** The published versions of exactly this scope that set any of `keys`. */
  async publishedSetting(facilityId: string | null, keys: string[]): Promise<PublishedVersion[]> {
    const qb = this.repo
      .createQueryBuilder('v')
      .where(`v.status = 'published'`)
      .andWhere('jsonb_exists_any(v.values, :keys)', { keys });
    if (facilityId === null) qb.andWhere('v.facility_id IS NULL');
    else qb.andWhere('v.facility_id = :fid', { fid: facilityId });
    return (await qb.getMany()).map(toPublished);
  }

  /** A cheap fingerprint of the published set, to notice a change a lost notification missed. */
  async fingerprint(): Promise<string> {
    const rows: Array<{ n: string; last: Date | null }> = await this.uow
      .manager()
      .query(
        `SELECT count(*) AS n, max(published_at) AS last FROM policy_versions WHERE status = 'published'`,
      );
    return `${rows[0].n}:${rows[0].last?.toISOString() ?? ''}`;
  }

  /**
   * The database's clock: the one every instance shares. The one "now" not taken from the use
   * case's clock, on purpose: a publication's lead time is judged by it, so an instance whose clock
   * (or a test's) runs behind cannot make a version take effect before the others know of it.
   */
  async databaseNow(): Promise<Date> {
    const [row] = await this.uow.query<{ now: Date }>(`SELECT clock_timestamp() AS now`);
    return row.now;
  }

  /** Newest first (by creation), keyset-paginated. */
  list(f: VersionFilter): Promise<PolicyVersionEntity[]> {
    const qb = this.repo
      .createQueryBuilder('v')
      .orderBy('v.created_at', 'DESC')
      .addOrderBy('v.id', 'DESC')
      .limit(f.limit + 1);
    if (f.facilityScope)
      qb.andWhere('(v.facility_id IS NULL OR v.facility_id = ANY(:scope))', {
        scope: f.facilityScope,
      });
    if (f.facilityId)
      qb.andWhere('(v.facility_id = :fid OR v.facility_id IS NULL)', { fid: f.facilityId });
    if (f.key) qb.andWhere('jsonb_exists(v.values, :key)', { key: f.key });
    if (f.status) qb.andWhere('v.status = :status', { status: f.status });
    if (f.after) {
      qb.andWhere('(v.created_at, v.id) < (:k::timestamptz, :id)', {
        k: f.after.k,
        id: f.after.id,
      });
    }
    return qb.getMany();
  }
}

/** A published version as the resolver holds it. */
function toPublished(r: PolicyVersionEntity): PublishedVersion {
  return {
    id: r.id,
    facilityId: r.facilityId,
    effectiveFrom: r.effectiveFrom,
    effectiveOn: r.effectiveOn,
    values: r.values,
    publishedAt: r.publishedAt!,
  };
}
