import { Injectable } from '@nestjs/common';
import { In } from 'typeorm';
import { KeysetCursor } from '../../common/http/pagination';
import { UnitOfWork } from '../../common/database/unit-of-work';
import { FacilityEntity } from './entities/facility.entity';

@Injectable()
export class FacilitiesRepository {
  constructor(private readonly uow: UnitOfWork) {}

  private get repo() {
    return this.uow.manager().getRepository(FacilityEntity);
  }

  insert(
    f: Pick<FacilityEntity, 'code' | 'name' | 'timeZone' | 'createdAt'>,
  ): Promise<FacilityEntity> {
    return this.repo.save(this.repo.create(f));
  }

  findById(id: string): Promise<FacilityEntity | null> {
    return this.repo.findOneBy({ id });
  }

  findByCode(code: string): Promise<FacilityEntity | null> {
    return this.repo.findOneBy({ code });
  }

  async distinctZones(): Promise<string[]> {
    const rows: Array<{ time_zone: string }> = await this.uow
      .manager()
      .query('SELECT DISTINCT time_zone FROM facilities ORDER BY time_zone');
    return rows.map((r) => r.time_zone);
  }

  async existingIds(ids: readonly string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const rows = await this.repo.find({ select: { id: true }, where: { id: In([...ids]) } });
    return new Set(rows.map((r) => r.id));
  }

  /** Facilities ordered by code; `scope` null = all. Fetches `limit + 1` to detect a next page. */
  list(
    scope: readonly string[] | null,
    after: KeysetCursor | undefined,
    limit: number,
  ): Promise<FacilityEntity[]> {
    const qb = this.repo
      .createQueryBuilder('f')
      .orderBy('f.code', 'ASC')
      .addOrderBy('f.id', 'ASC')
      .limit(limit + 1);
    if (scope) qb.andWhere('f.id = ANY(:scope)', { scope: [...scope] });
    if (after) qb.andWhere('(f.code, f.id) > (:k, :id)', { k: after.k, id: after.id });
    return qb.getMany();
  }
}
