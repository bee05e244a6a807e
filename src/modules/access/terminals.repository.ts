import { Injectable } from '@nestjs/common';
import { UnitOfWork } from '../../common/database/unit-of-work';
import { TerminalEntity } from './entities/terminal.entity';

export interface TerminalAuthRow {
  id: string;
  facility_id: string;
  kind: TerminalEntity['kind'];
  key_hash: string;
  revoked_at: Date | null;
  stale: boolean;
}

@Injectable()
export class TerminalsRepository {
  constructor(private readonly uow: UnitOfWork) {}

  private get repo() {
    return this.uow.manager().getRepository(TerminalEntity);
  }

  insert(
    t: Pick<
      TerminalEntity,
      'facilityId' | 'kind' | 'name' | 'keyPrefix' | 'keyHash' | 'createdBy' | 'createdAt'
    >,
  ): Promise<TerminalEntity> {
    return this.repo.save(this.repo.create(t));
  }

  findById(id: string): Promise<TerminalEntity | null> {
    return this.repo.findOneBy({ id });
  }

  findByIdForUpdate(id: string): Promise<TerminalEntity | null> {
    return this.repo
      .createQueryBuilder('t')
      .setLock('pessimistic_write')
      .where('t.id = :id', { id })
      .getOne();
  }

  async markRevoked(t: TerminalEntity, by: string, at: Date): Promise<void> {
    await this.repo.update({ id: t.id }, { revokedAt: at, revokedBy: by });
  }

  listByFacility(facilityId: string): Promise<TerminalEntity[]> {
    return this.repo.find({ where: { facilityId }, order: { createdAt: 'ASC', id: 'ASC' } });
  }

  /** The terminal behind a key prefix, and whether its `last_used_at` is due for a refresh at `now`. */
  async findForAuth(prefix: string, now: Date): Promise<TerminalAuthRow | null> {
    const rows: TerminalAuthRow[] = await this.uow.manager().query(
      `SELECT id, facility_id, kind, key_hash, revoked_at,
              (last_used_at IS NULL OR last_used_at < $2::timestamptz - interval '1 minute') AS stale
         FROM terminals WHERE key_prefix = $1`,
      [prefix, now],
    );
    return rows[0] ?? null;
  }

  async touch(id: string, at: Date): Promise<void> {
    await this.uow
      .manager()
      .query(`UPDATE terminals SET last_used_at = $2 WHERE id = $1`, [id, at]);
  }
}
