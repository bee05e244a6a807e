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
      | 'relativeId'
      | 'facilityId'
      | 'prisonerPersonalNumber'
      | 'prisonerId'
      | 'relationship'
      | 'createdAt'
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

  /**
   * Moves the prisoner's links (any status) to the facility that now holds them. An open request
   * made there for the same number before the prisoner arrived duplicates one that moves: it is
   * closed as rejected first (the open-link index allows one per relative, facility and number).
   */
  async followTransfer(m: {
    prisonerId: string;
    fromFacilityId: string;
    toFacilityId: string;
    actorId: string;
    at: Date;
  }): Promise<{ moved: string[]; closed: string[] }> {
    const [row] = await this.uow.query<{ moved: string[]; closed: string[] }>(
      `WITH moving AS (
         SELECT id, relative_id, prisoner_personal_number FROM relative_links
          WHERE prisoner_id = $1 AND facility_id = $2 FOR UPDATE),
       closed AS (
         UPDATE relative_links d SET status = 'rejected', decided_by = $4, decided_at = $5,
                decision_note = 'superseded: the link to this prisoner followed the transfer'
           FROM moving m
          WHERE d.facility_id = $3 AND d.relative_id = m.relative_id
            AND d.prisoner_personal_number = m.prisoner_personal_number
            AND d.status = 'pending' AND d.prisoner_id IS NULL
         RETURNING d.id)
       SELECT coalesce((SELECT array_agg(id ORDER BY id) FROM moving), '{}') AS moved,
              coalesce((SELECT array_agg(id ORDER BY id) FROM closed), '{}') AS closed`,
      [m.prisonerId, m.fromFacilityId, m.toFacilityId, m.actorId, m.at],
    );
    if (row.moved.length > 0)
      await this.uow.query(`UPDATE relative_links SET facility_id = $2 WHERE id = ANY($1)`, [
        row.moved,
        m.toFacilityId,
      ]);
    return row;
  }
}
