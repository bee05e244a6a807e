import { Injectable } from '@nestjs/common';
import { KeysetCursor } from '../../common/http/pagination';
import { UnitOfWork } from '../../common/database/unit-of-work';
import {
  PrisonerConditionsChangeEntity,
  PrisonerTransferEntity,
} from './entities/prisoner-history.entity';
import { PrisonerEntity } from './entities/prisoner.entity';

@Injectable()
export class PrisonersRepository {
  constructor(private readonly uow: UnitOfWork) {}

  private get prisoners() {
    return this.uow.manager().getRepository(PrisonerEntity);
  }

  /** A new prisoner, changed last when created. */
  insert(p: Omit<PrisonerEntity, 'id' | 'updatedAt'>): Promise<PrisonerEntity> {
    return this.prisoners.save(this.prisoners.create({ ...p, updatedAt: p.createdAt }));
  }

  findById(id: string): Promise<PrisonerEntity | null> {
    return this.prisoners.findOneBy({ id });
  }

  findByPersonalNumber(personalNumber: string): Promise<PrisonerEntity | null> {
    return this.prisoners.findOneBy({ personalNumber });
  }

  /** Share-locks the prisoner's row: decisions about them run alongside each other, not alongside a move. */
  async findByIdForShare(id: string): Promise<PrisonerEntity | null> {
    // plain SQL: this is on the charge path, and entity hydration costs more than the query
    const rows = await this.uow.query(
      `SELECT id, facility_id, personal_number, full_name, security_level, conditions, status, created_at, updated_at
         FROM prisoners WHERE id = $1 FOR SHARE`,
      [id],
      { prepare: true },
    );
    const r = rows[0];
    if (!r) return null;
    return Object.assign(new PrisonerEntity(), {
      id: r.id,
      facilityId: r.facility_id,
      personalNumber: r.personal_number,
      fullName: r.full_name,
      securityLevel: r.security_level,
      conditions: r.conditions,
      status: r.status,
      createdAt: r.created_at,
      updatedAt: r.updated_at,
    } as PrisonerEntity);
  }

  /** Locks the prisoner's row for the rest of the transaction (moves serialize per prisoner). */
  findByIdForUpdate(id: string): Promise<PrisonerEntity | null> {
    return this.prisoners
      .createQueryBuilder('p')
      .setLock('pessimistic_write')
      .where('p.id = :id', { id })
      .getOne();
  }

  async update(
    p: PrisonerEntity,
    patch: Partial<Pick<PrisonerEntity, 'conditions' | 'facilityId' | 'status'>>,
    at: Date,
  ): Promise<PrisonerEntity> {
    Object.assign(p, patch, { updatedAt: at });
    return this.prisoners.save(p);
  }

  listByFacility(
    facilityId: string,
    after: KeysetCursor | undefined,
    limit: number,
  ): Promise<PrisonerEntity[]> {
    const qb = this.prisoners
      .createQueryBuilder('p')
      .where('p.facility_id = :facilityId', { facilityId })
      .orderBy('p.personal_number', 'ASC')
      .addOrderBy('p.id', 'ASC')
      .limit(limit + 1);
    if (after) qb.andWhere('(p.personal_number, p.id) > (:k, :id)', { k: after.k, id: after.id });
    return qb.getMany();
  }

  recordConditionsChange(
    c: Omit<PrisonerConditionsChangeEntity, 'id'>,
  ): Promise<PrisonerConditionsChangeEntity> {
    const repo = this.uow.manager().getRepository(PrisonerConditionsChangeEntity);
    return repo.save(repo.create(c));
  }

  recordTransfer(t: Omit<PrisonerTransferEntity, 'id'>): Promise<PrisonerTransferEntity> {
    const repo = this.uow.manager().getRepository(PrisonerTransferEntity);
    return repo.save(repo.create(t));
  }

  /** In the order written (under the prisoner's lock), whatever the clocks said. */
  conditionsHistory(prisonerId: string): Promise<PrisonerConditionsChangeEntity[]> {
    return this.uow
      .manager()
      .getRepository(PrisonerConditionsChangeEntity)
      .createQueryBuilder('c')
      .where('c.prisoner_id = :prisonerId', { prisonerId })
      .orderBy('c.seq', 'ASC')
      .getMany();
  }

  /** In the order written (under the prisoner's lock), whatever the clocks said. */
  transfers(prisonerId: string): Promise<PrisonerTransferEntity[]> {
    return this.uow
      .manager()
      .getRepository(PrisonerTransferEntity)
      .createQueryBuilder('t')
      .where('t.prisoner_id = :prisonerId', { prisonerId })
      .orderBy('t.seq', 'ASC')
      .getMany();
  }
}
