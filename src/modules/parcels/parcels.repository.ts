import { Injectable } from '@nestjs/common';
import { UnitOfWork } from '../../common/database/unit-of-work';
import { KeysetCursor } from '../../common/http/pagination';
import type { ParcelKind } from './domain/intake.rules';
import { ParcelEntity, ParcelEventEntity } from './entities/parcel.entity';

@Injectable()
export class ParcelsRepository {
  constructor(private readonly uow: UnitOfWork) {}

  private get parcels() {
    return this.uow.manager().getRepository(ParcelEntity);
  }

  /**
   * Serializes intake decisions for one prisoner, year and kind until the transaction ends, so two
   * counters cannot both take the last place (a lock the database holds, not the app).
   */
  async lockAllowance(prisonerId: string, year: number, kind: ParcelKind): Promise<void> {
    await this.uow
      .manager()
      .query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [
        `parcels:${prisonerId}:${year}:${kind}`,
      ]);
  }

  async countAgainstAllowance(prisonerId: string, year: number, kind: ParcelKind): Promise<number> {
    const rows: Array<{ n: string }> = await this.uow.manager().query(
      `SELECT count(*) AS n FROM parcels
        WHERE prisoner_id = $1 AND period_year = $2 AND kind = $3 AND counts_against_allowance`,
      [prisonerId, year, kind],
    );
    return Number(rows[0].n);
  }

  insert(p: Omit<ParcelEntity, 'id' | 'updatedAt'>): Promise<ParcelEntity> {
    return this.parcels.save(this.parcels.create({ ...p, updatedAt: p.registeredAt }));
  }

  findById(id: string): Promise<ParcelEntity | null> {
    return this.parcels.findOneBy({ id });
  }

  findByIdForUpdate(id: string): Promise<ParcelEntity | null> {
    return this.parcels
      .createQueryBuilder('p')
      .setLock('pessimistic_write')
      .where('p.id = :id', { id })
      .getOne();
  }

  async updateStatus(
    p: ParcelEntity,
    status: ParcelEntity['status'],
    counts: boolean,
    at: Date,
  ): Promise<ParcelEntity> {
    const patch = { status, countsAgainstAllowance: counts, updatedAt: at };
    await this.parcels.update({ id: p.id }, patch);
    return { ...p, ...patch };
  }

  recordEvent(e: Omit<ParcelEventEntity, 'id'>): Promise<ParcelEventEntity> {
    const repo = this.uow.manager().getRepository(ParcelEventEntity);
    return repo.save(repo.create(e));
  }

  events(parcelId: string): Promise<ParcelEventEntity[]> {
    return this.uow
      .manager()
      .getRepository(ParcelEventEntity)
      .createQueryBuilder('e')
      .where('e.parcel_id = :parcelId', { parcelId })
      .orderBy('e.seq', 'ASC')
      .getMany();
  }

  /** Oldest first, keyset on (registered_at, id). */
  list(
    where: {
      prisonerId?: string;
      facilityId?: string;
      localDate?: string;
      facilityScope?: string[] | null;
    },
    after: KeysetCursor | undefined,
    limit: number,
  ): Promise<ParcelEntity[]> {
    const qb = this.parcels
      .createQueryBuilder('p')
      .orderBy('p.registered_at', 'ASC')
      .addOrderBy('p.id', 'ASC')
      .limit(limit + 1);
    if (where.prisonerId) qb.andWhere('p.requested_prisoner_id = :pid', { pid: where.prisonerId });
    if (where.facilityId) qb.andWhere('p.facility_id = :fid', { fid: where.facilityId });
    if (where.facilityScope)
      qb.andWhere('p.facility_id = ANY(:scope)', { scope: where.facilityScope });
    if (where.localDate) qb.andWhere('p.local_date = :d', { d: where.localDate });
    if (after)
      qb.andWhere('(p.registered_at, p.id) > (:k::timestamptz, :id)', { k: after.k, id: after.id });
    return qb.getMany();
  }
}
