import { Injectable } from '@nestjs/common';
import { QueryFailedError } from 'typeorm';
import { SqlRepository } from '../../common/database/sql-repository';
import { KeysetCursor } from '../../common/http/pagination';
import type { LongVisitStatus } from './domain/long-visit.rules';
import { LONG_VISIT_COLUMNS, LongVisit } from './entities/long-visit.row';

export type NewLongVisit = Omit<
  LongVisit,
  'id' | 'status' | 'statusReason' | 'statusChangedAt' | 'endDate'
> & { endDate: string };

/** What stopped an insert: the room or the prisoner is taken at overlapping times. */
export type Taken = 'room' | 'prisoner';

const TAKEN_BY: Record<string, Taken> = {
  long_visits_room_overlap: 'room',
  long_visits_prisoner_overlap: 'prisoner',
};

function takenBy(err: unknown): Taken | undefined {
  if (!(err instanceof QueryFailedError)) return undefined;
  const d = err.driverError as { code?: string; constraint?: string };
  return d.code === '23P01' ? TAKEN_BY[d.constraint ?? ''] : undefined;
}

@Injectable()
export class LongVisitsRepository extends SqlRepository {
  /**
   * Inserts the booking unless a live one overlaps it in the room or for the prisoner (the
   * exclusion constraints decide, waiting for a concurrent booking to commit or roll back). The
   * insert runs under a savepoint, so the transaction goes on after a refusal: the use case may
   * offer another room.
   */
  async tryInsert(v: NewLongVisit): Promise<LongVisit | Taken> {
    await this.q('SAVEPOINT long_visit_insert');
    try {
      const [row] = await this.q<LongVisit>(
        `INSERT INTO long_visits AS v (reference, facility_id, room_id, prisoner_id, relative_id,
           start_date, end_date, days, starts_at, ends_at, period_year, visitors, required_documents,
           policy_version_ids, status, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, 'requested', $15)
         RETURNING ${LONG_VISIT_COLUMNS}`,
        [
          v.reference,
          v.facilityId,
          v.roomId,
          v.prisonerId,
          v.relativeId,
          v.startDate,
          v.endDate,
          v.days,
          v.startsAt,
          v.endsAt,
          v.periodYear,
          JSON.stringify(v.visitors),
          v.requiredDocuments,
          v.policyVersionIds,
          v.createdAt,
        ],
      );
      await this.q('RELEASE SAVEPOINT long_visit_insert');
      return row;
    } catch (err) {
      const taken = takenBy(err);
      if (!taken) throw err;
      await this.q('ROLLBACK TO SAVEPOINT long_visit_insert');
      return taken;
    }
  }

  /**
   * Serializes bookings for one prisoner and calendar year until the transaction ends, so two
   * relatives booking at once cannot both take the last visit of the entitlement.
   */
  async lockEntitlement(prisonerId: string, year: number): Promise<void> {
    await this.uow.lock(`long-visits:${prisonerId}:${year}`);
  }

  async countAgainstEntitlement(prisonerId: string, year: number): Promise<number> {
    const [row] = await this.q<{ n: number }>(
      `SELECT count(*)::int AS n FROM long_visits
        WHERE prisoner_id = $1 AND period_year = $2 AND status IN ('requested','approved','completed')`,
      [prisonerId, year],
    );
    return row.n;
  }

  async findById(id: string): Promise<LongVisit | null> {
    const [row] = await this.q<LongVisit>(
      `SELECT ${LONG_VISIT_COLUMNS} FROM long_visits v WHERE v.id = $1`,
      [id],
    );
    return row ?? null;
  }

  async findByIdForUpdate(id: string): Promise<LongVisit | null> {
    const [row] = await this.q<LongVisit>(
      `SELECT ${LONG_VISIT_COLUMNS} FROM long_visits v WHERE v.id = $1 FOR UPDATE`,
      [id],
    );
    return row ?? null;
  }

  async setStatus(
    id: string,
    s: { status: LongVisitStatus; reason: string | null; by: string; at: Date },
  ): Promise<LongVisit> {
    const [row] = await this.q<LongVisit>(
      `UPDATE long_visits v SET status = $2, status_reason = $3, status_changed_by = $4,
              status_changed_at = $5
        WHERE v.id = $1 RETURNING ${LONG_VISIT_COLUMNS}`,
      [id, s.status, s.reason, s.by, s.at],
    );
    return row;
  }

  /** Cancels the live bookings of a room on any date from `from` to `to` (a closure). */
  cancelInRoom(
    roomId: string,
    dates: { from: string; to: string },
    s: { reason: string; by: string; at: Date },
  ): Promise<LongVisit[]> {
    return this.q<LongVisit>(
      `UPDATE long_visits v SET status = 'cancelled', status_reason = $4, status_changed_by = $5,
              status_changed_at = $6
        WHERE v.room_id = $1 AND v.status IN ('requested','approved')
          AND daterange(v.start_date, v.end_date, '[]') && daterange($2::date, $3::date, '[]')
          AND v.ends_at > $6
        RETURNING ${LONG_VISIT_COLUMNS}`,
      [roomId, dates.from, dates.to, s.reason, s.by, s.at],
    );
  }

  /** Cancels the prisoner's live bookings that have not ended by `at` (a transfer, a release). */
  cancelForPrisoner(
    prisonerId: string,
    s: { reason: string; by: string; at: Date },
  ): Promise<LongVisit[]> {
    return this.q<LongVisit>(
      `UPDATE long_visits v SET status = 'cancelled', status_reason = $2, status_changed_by = $3,
              status_changed_at = $4
        WHERE v.prisoner_id = $1 AND v.status IN ('requested','approved') AND v.ends_at > $4
        RETURNING ${LONG_VISIT_COLUMNS}`,
      [prisonerId, s.reason, s.by, s.at],
    );
  }

  /** The relative's bookings, by start then id (keyset). */
  listByRelative(
    relativeId: string,
    after: KeysetCursor | undefined,
    limit: number,
  ): Promise<LongVisit[]> {
    return this.q<LongVisit>(
      `SELECT ${LONG_VISIT_COLUMNS} FROM long_visits v
        WHERE v.relative_id = $1 AND ($2::timestamptz IS NULL OR (v.starts_at, v.id) > ($2, $3::uuid))
        ORDER BY v.starts_at, v.id LIMIT $4`,
      [relativeId, after?.k ?? null, after?.id ?? null, limit + 1],
    );
  }

  /** The facility's bookings with a day from `from` to `to`, every status. */
  listByFacility(facilityId: string, from: string, to: string): Promise<LongVisit[]> {
    return this.q<LongVisit>(
      `SELECT ${LONG_VISIT_COLUMNS} FROM long_visits v
        WHERE v.facility_id = $1 AND v.start_date <= $3::date AND v.end_date >= $2::date
        ORDER BY v.starts_at, v.id`,
      [facilityId, from, to],
    );
  }
}
