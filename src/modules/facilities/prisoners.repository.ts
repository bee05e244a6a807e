import { Injectable } from '@nestjs/common';
import { KeysetCursor } from '../../common/http/pagination';
import { UnitOfWork } from '../../common/database/unit-of-work';
import {
  PrisonerConditionsChangeEntity,
  PrisonerTransferEntity,
} from './entities/prisoner-history.entity';
import { PrisonerEntity } from './entities/prisoner.entity';

const DECISION_COLUMNS =
  'id, facility_id, personal_number, full_name, security_level, conditions, status, created_at, updated_at';

function decisionRow(r: Record<string, unknown>, prefix: string): PrisonerEntity {
  const c = (name: string) => r[prefix + name];
  return Object.assign(new PrisonerEntity(), {
    id: c('id'),
    facilityId: c('facility_id'),
    personalNumber: c('personal_number'),
    fullName: c('full_name'),
    securityLevel: c('security_level'),
    conditions: c('conditions'),
    status: c('status'),
    createdAt: c('created_at'),
    updatedAt: c('updated_at'),
  } as PrisonerEntity);
}

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
      `SELECT ${DECISION_COLUMNS} FROM prisoners WHERE id = $1 FOR SHARE`,
      [id],
      { prepare: true },
    );
    return rows[0] ? decisionRow(rows[0], '') : null;
  }

  /**
   * The same share lock as a piece of a larger statement, for a hot path that finds the prisoner
   * through something else (a card number) and must lock the prisoner before what it locks next:
   * a SELECT of the prisoner whose id `idSql` (a scalar subquery) gives, its columns prefixed
   * `holder_`, and the mapper of a row carrying them (null: no such prisoner).
   */
  forDecisionLookup(idSql: string): {
    sql: string;
    map: (row: Record<string, unknown>) => PrisonerEntity | null;
  } {
    const cols = DECISION_COLUMNS.split(',').map((c) => `${c.trim()} AS holder_${c.trim()}`);
    return {
      sql: `SELECT ${cols.join(', ')} FROM prisoners WHERE id = (${idSql}) FOR SHARE`,
      map: (row) => (row.holder_id ? decisionRow(row, 'holder_') : null),
    };
  }

  /**
   * Locks the prisoner's row for the rest of the transaction (moves serialize per prisoner, and
   * wait for decisions under way). FOR NO KEY UPDATE, the lock the UPDATE of a move takes anyway:
   * it conflicts with a decision's share lock but not with the key-share lock of a foreign-key
   * check, so a write that references the prisoner after locking a wallet (a wage, a deposit)
   * never waits for a move that waits for that wallet.
   */
  findByIdForUpdate(id: string): Promise<PrisonerEntity | null> {
    return this.prisoners
      .createQueryBuilder('p')
      .setLock('for_no_key_update')
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
