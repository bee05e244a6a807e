import { Injectable } from '@nestjs/common';
import { SqlRepository } from '../../common/database/sql-repository';
import { KeysetCursor } from '../../common/http/pagination';

export type PositionEndKind = 'dismissed' | 'transferred' | 'released';

export interface PositionRow {
  id: string;
  facilityId: string;
  prisonerId: string;
  from: string;
  until: string | null;
  appointedBy: string;
  appointedAt: Date;
  policyVersionIds: string[];
  endKind: PositionEndKind | null;
  endReason: string | null;
  endedBy: string | null;
  endedAt: Date | null;
}

export interface PeriodEnd {
  until: string;
  kind: string;
  reason: string | null;
  endedBy: string | null;
  endedAt: Date;
}

const COLUMNS = `id, facility_id AS "facilityId", prisoner_id AS "prisonerId",
  to_char(from_date, 'YYYY-MM-DD') AS "from", to_char(until_date, 'YYYY-MM-DD') AS "until",
  appointed_by AS "appointedBy", appointed_at AS "appointedAt",
  policy_version_ids::text[] AS "policyVersionIds", end_kind AS "endKind",
  end_reason AS "endReason", ended_by AS "endedBy", ended_at AS "endedAt"`;

/** Orderly positions: appointed, ended once, never deleted. */
@Injectable()
export class OrderlyPositionsRepository extends SqlRepository {
  /** Serializes appointments in one facility to COMMIT: two cannot both take the last position. */
  async lockFacility(facilityId: string): Promise<void> {
    await this.uow.lock(`care-positions:${facilityId}`);
  }

  async countOpen(facilityId: string): Promise<number> {
    const [r] = await this.q<{ n: number }>(
      `SELECT count(*)::int AS n FROM orderly_positions WHERE facility_id = $1 AND until_date IS NULL`,
      [facilityId],
    );
    return r.n;
  }

  /** The prisoner's open position, locked to COMMIT (assignments to them wait on it). */
  async openOfForUpdate(prisonerId: string): Promise<PositionRow | null> {
    const [row] = await this.q<PositionRow>(
      `SELECT ${COLUMNS} FROM orderly_positions WHERE prisoner_id = $1 AND until_date IS NULL FOR UPDATE`,
      [prisonerId],
    );
    return row ?? null;
  }

  /** The day the prisoner's last position ended (a new one may not start before it). */
  async lastEnded(prisonerId: string): Promise<string | null> {
    const [r] = await this.q<{ until: string | null }>(
      `SELECT to_char(max(until_date), 'YYYY-MM-DD') AS until FROM orderly_positions WHERE prisoner_id = $1`,
      [prisonerId],
    );
    return r.until;
  }

  async insert(
    p: Omit<PositionRow, 'until' | 'endKind' | 'endReason' | 'endedBy' | 'endedAt'>,
  ): Promise<PositionRow> {
    const [row] = await this.q<PositionRow>(
      `INSERT INTO orderly_positions
         (id, facility_id, prisoner_id, from_date, appointed_by, appointed_at, policy_version_ids)
       VALUES ($1, $2, $3, $4, $5, $6, $7::uuid[]) RETURNING ${COLUMNS}`,
      [p.id, p.facilityId, p.prisonerId, p.from, p.appointedBy, p.appointedAt, p.policyVersionIds],
    );
    return row;
  }

  async findForUpdate(id: string): Promise<PositionRow | null> {
    const [row] = await this.q<PositionRow>(
      `SELECT ${COLUMNS} FROM orderly_positions WHERE id = $1 FOR UPDATE`,
      [id],
    );
    return row ?? null;
  }

  /** Ends open positions (`id`, or the prisoner's); an end never falls before the start. */
  async end(where: { id?: string; prisonerId?: string }, e: PeriodEnd): Promise<PositionRow[]> {
    return this.q<PositionRow>(
      `UPDATE orderly_positions
          SET until_date = greatest(from_date, $3::date), end_kind = $4, end_reason = $5,
              ended_by = $6, ended_at = $7
        WHERE until_date IS NULL AND (id = $1 OR prisoner_id = $2) RETURNING ${COLUMNS}`,
      [where.id ?? null, where.prisonerId ?? null, e.until, e.kind, e.reason, e.endedBy, e.endedAt],
    );
  }

  /** The facility's open positions, longest held first (keyset on from date, id). */
  listOpen(
    facilityId: string,
    after: KeysetCursor | undefined,
    limit: number,
  ): Promise<PositionRow[]> {
    return this.q<PositionRow>(
      `SELECT ${COLUMNS} FROM orderly_positions
        WHERE facility_id = $1 AND until_date IS NULL
          AND ($2::date IS NULL OR (from_date, id) > ($2::date, $3::uuid))
        ORDER BY from_date, id LIMIT $4`,
      [facilityId, after?.k ?? null, after?.id ?? null, limit + 1],
    );
  }

  /** Every position of the facility that held on some day of [first, next). */
  heldBetween(facilityId: string, first: string, next: string): Promise<PositionRow[]> {
    return this.q<PositionRow>(
      `SELECT ${COLUMNS} FROM orderly_positions
        WHERE facility_id = $1 AND from_date < $3 AND (until_date IS NULL OR until_date > $2)
        ORDER BY prisoner_id, from_date`,
      [facilityId, first, next],
    );
  }
}
