import { Injectable } from '@nestjs/common';
import { UnitOfWork } from '../../common/database/unit-of-work';
import { KeysetCursor } from '../../common/http/pagination';
import type { LinkStatus } from './domain/relationship';
import { RelativeLinkEntity } from './entities/relative-link.entity';

@Injectable()
export class RelativeLinksRepository {
  constructor(private readonly uow: UnitOfWork) {}

  private get repo() {
    return this.uow.manager().getRepository(RelativeLinkEntity);
  }

  insert(
    l: Pick<
      RelativeLinkEntity,
      'relativeId' | 'facilityId' | 'prisonerPersonalNumber' | 'prisonerId' | 'relationship'
    >,
  ): Promise<RelativeLinkEntity> {
    return this.repo.save(this.repo.create({ ...l, status: 'pending' }));
  }

  findByIdForUpdate(id: string): Promise<RelativeLinkEntity | null> {
    return this.repo
      .createQueryBuilder('l')
      .setLock('pessimistic_write')
      .where('l.id = :id', { id })
      .getOne();
  }

  async decide(
    l: RelativeLinkEntity,
    patch: Pick<RelativeLinkEntity, 'status' | 'decidedBy' | 'decidedAt' | 'decisionNote'>,
  ): Promise<RelativeLinkEntity> {
    Object.assign(l, patch);
    return this.repo.save(l);
  }

  listByRelative(relativeId: string): Promise<RelativeLinkEntity[]> {
    return this.repo.find({ where: { relativeId }, order: { createdAt: 'ASC', id: 'ASC' } });
  }

  listByFacility(
    facilityId: string,
    status: LinkStatus | undefined,
    after: KeysetCursor | undefined,
    limit: number,
  ) {
    const qb = this.repo
      .createQueryBuilder('l')
      .where('l.facility_id = :facilityId', { facilityId })
      .orderBy('l.id', 'ASC')
      .limit(limit + 1);
    if (status) qb.andWhere('l.status = :status', { status });
    if (after) qb.andWhere('l.id > :id', { id: after.id });
    return qb.getMany();
  }

  approvedFor(relativeId: string): Promise<RelativeLinkEntity[]> {
    return this.repo.find({
      where: { relativeId, status: 'approved' },
      order: { createdAt: 'ASC', id: 'ASC' },
    });
  }

  async isLinked(relativeId: string, prisonerId: string): Promise<boolean> {
    const rows: unknown[] = await this.uow
      .manager()
      .query(
        `SELECT 1 FROM relative_links WHERE prisoner_id = $1 AND relative_id = $2 AND status = 'approved' LIMIT 1`,
        [prisonerId, relativeId],
      );
    return rows.length > 0;
  }
}
