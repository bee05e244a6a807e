import { Injectable } from '@nestjs/common';
import { SqlRepository } from '../../common/database/sql-repository';
import { KeysetCursor } from '../../common/http/pagination';
import type { DisabilityKind } from './domain/disability.rules';
import type { PeriodEnd } from './orderly-positions.repository';

export type AssignmentEndKind =
  | 'ended'
  | 'dismissed'
  | 'transferred'
  | 'released'
  // the assisted prisoner's last disability record in force ended
  | 'need-ended';

export interface AssignmentRow {
  id: string;
  facilityId: string;
  positionId: string;
  orderlyPrisonerId: string;
  assistedPrisonerId: string;
  from: string;
  until: string | null;
  assignedBy: string;
  assignedAt: Date;
  policyVersionIds: string[];
  endKind: AssignmentEndKind | null;
  endReason: string | null;
  endedBy: string | null;
  endedAt: Date | null;
}

export interface UnassignedRow {
  prisonerId: string;
  kinds: DisabilityKind[];
  waitingSince: string;
}

const COLUMNS = `id, facility_id AS "facilityId", position_id AS "positionId",
  orderly_prisoner_id AS "orderlyPrisonerId", assisted_prisoner_id AS "assistedPrisonerId",
  to_char(from_date, 'YYYY-MM-DD') AS "from", to_char(until_date, 'YYYY-MM-DD') AS "until",
  assigned_by AS "assignedBy", assigned_at AS "assignedAt",
  policy_version_ids::text[] AS "policyVersionIds", end_kind AS "endKind",
  end_reason AS "endReason", ended_by AS "endedBy", ended_at AS "endedAt"`;

/** Orderly assignments, and the list of prisoners left without help. */
@Injectable()
export class OrderlyAssignmentsRepository extends SqlRepository {
  async insert(
    a: Omit<AssignmentRow, 'until' | 'endKind' | 'endReason' | 'endedBy' | 'endedAt'>,
  ): Promise<AssignmentRow> {
    const [row] = await this.q<AssignmentRow>(
      `INSERT INTO orderly_assignments (id, facility_id, position_id, orderly_prisoner_id,
         assisted_prisoner_id, from_date, assigned_by, assigned_at, policy_version_ids)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::uuid[]) RETURNING ${COLUMNS}`,
      [
        a.id,
        a.facilityId,
        a.positionId,
        a.orderlyPrisonerId,
        a.assistedPrisonerId,
        a.from,
        a.assignedBy,
        a.assignedAt,
        a.policyVersionIds,
      ],
    );
    return row;
  }

  async findForUpdate(id: string): Promise<AssignmentRow | null> {
    const [row] = await this.q<AssignmentRow>(
      `SELECT ${COLUMNS} FROM orderly_assignments WHERE id = $1 FOR UPDATE`,
      [id],
    );
    return row ?? null;
  }

  /** Whom the orderly assists now. */
  openOf(orderlyPrisonerIds: readonly string[]): Promise<AssignmentRow[]> {
    return this.q<AssignmentRow>(
      `SELECT ${COLUMNS} FROM orderly_assignments
        WHERE orderly_prisoner_id = ANY($1::uuid[]) AND until_date IS NULL ORDER BY from_date, id`,
      [orderlyPrisonerIds],
    );
  }

  /**
   * Ends open assignments: one (`id`), an orderly's (`orderlyPrisonerId`), those assisting a
   * prisoner (`assistedPrisonerId`), or every one a prisoner is in, on either side
   * (`prisonerId`). An end never falls before the start.
   */
  endFor(
    where: {
      id?: string;
      orderlyPrisonerId?: string;
      assistedPrisonerId?: string;
      prisonerId?: string;
    },
    e: PeriodEnd,
  ): Promise<AssignmentRow[]> {
    return this.q<AssignmentRow>(
      `UPDATE orderly_assignments
          SET until_date = greatest(from_date, $4::date), end_kind = $5, end_reason = $6,
              ended_by = $7, ended_at = $8
        WHERE until_date IS NULL
          AND (id = $1 OR orderly_prisoner_id = $2 OR assisted_prisoner_id = $9
               OR orderly_prisoner_id = $3 OR assisted_prisoner_id = $3)
        RETURNING ${COLUMNS}`,
      [
        where.id ?? null,
        where.orderlyPrisonerId ?? null,
        where.prisonerId ?? null,
        e.until,
        e.kind,
        e.reason,
        e.endedBy,
        e.endedAt,
        where.assistedPrisonerId ?? null,
      ],
    );
  }

  /**
   * Prisoners of the facility with a disability in force on `day` and no open assignment, longest
   * waiting first: waiting since the later of the start of what they need now and the end of
   * their last assignment (keyset on that date, then the prisoner's id).
   */
  unassigned(
    facilityId: string,
    day: string,
    after: KeysetCursor | undefined,
    limit: number,
  ): Promise<UnassignedRow[]> {
    return this.q<UnassignedRow>(
      `SELECT prisoner_id AS "prisonerId", kinds, to_char(waiting_since, 'YYYY-MM-DD') AS "waitingSince"
         FROM (SELECT d.prisoner_id,
                      array_agg(DISTINCT d.kind)::text[] AS kinds,
                      greatest(min(d.valid_from),
                               (SELECT max(a.until_date) FROM orderly_assignments a
                                 WHERE a.assisted_prisoner_id = d.prisoner_id)) AS waiting_since
                 FROM disability_records d
                WHERE d.facility_id = $1 AND d.valid_from <= $2
                  AND (d.valid_until IS NULL OR d.valid_until > $2)
                  AND NOT EXISTS (SELECT 1 FROM orderly_assignments a
                                   WHERE a.assisted_prisoner_id = d.prisoner_id AND a.until_date IS NULL)
                GROUP BY d.prisoner_id) u
        WHERE $3::date IS NULL OR (waiting_since, prisoner_id) > ($3::date, $4::uuid)
        ORDER BY waiting_since, prisoner_id LIMIT $5`,
      [facilityId, day, after?.k ?? null, after?.id ?? null, limit + 1],
    );
  }
}
