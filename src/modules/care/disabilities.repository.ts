import { Injectable } from '@nestjs/common';
import { SqlRepository } from '../../common/database/sql-repository';
import type { DisabilityKind } from './domain/disability.rules';

export interface DisabilityRow {
  id: string;
  prisonerId: string;
  /** The facility holding the prisoner (the record follows them); null once released. */
  facilityId: string | null;
  kind: DisabilityKind;
  note: string;
  from: string;
  until: string | null;
  recordedBy: string;
  recordedAt: Date;
  endedBy: string | null;
  endedAt: Date | null;
  endReason: string | null;
}

const COLUMNS = `id, prisoner_id AS "prisonerId", facility_id AS "facilityId", kind, note,
  to_char(valid_from, 'YYYY-MM-DD') AS "from", to_char(valid_until, 'YYYY-MM-DD') AS "until",
  recorded_by AS "recordedBy", recorded_at AS "recordedAt", ended_by AS "endedBy",
  ended_at AS "endedAt", end_reason AS "endReason"`;

/** Disability records: written once, ended once, never deleted (the database's guard says so too). */
@Injectable()
export class DisabilitiesRepository extends SqlRepository {
  async insert(
    r: Omit<DisabilityRow, 'endedBy' | 'endedAt' | 'endReason'>,
  ): Promise<DisabilityRow> {
    const [row] = await this.q<DisabilityRow>(
      `INSERT INTO disability_records
         (id, prisoner_id, facility_id, kind, note, valid_from, valid_until, recorded_by, recorded_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING ${COLUMNS}`,
      [
        r.id,
        r.prisonerId,
        r.facilityId,
        r.kind,
        r.note,
        r.from,
        r.until,
        r.recordedBy,
        r.recordedAt,
      ],
    );
    return row;
  }

  async find(id: string): Promise<DisabilityRow | null> {
    const [row] = await this.q<DisabilityRow>(
      `SELECT ${COLUMNS} FROM disability_records WHERE id = $1`,
      [id],
    );
    return row ?? null;
  }

  /**
   * Every record of the prisoner, locked for the rest of the transaction in the order of their
   * ids: ends of a prisoner's records are decided one after the other, and an assignment reading
   * them (share-locked, `inForceOn`) waits for an end under way, or the end for it.
   */
  lockOfPrisoner(prisonerId: string): Promise<DisabilityRow[]> {
    return this.q<DisabilityRow>(
      `SELECT ${COLUMNS} FROM disability_records WHERE prisoner_id = $1 ORDER BY id FOR UPDATE`,
      [prisonerId],
    );
  }

  async end(
    id: string,
    e: { until: string; endedBy: string; endedAt: Date; reason: string },
  ): Promise<DisabilityRow> {
    const [row] = await this.q<DisabilityRow>(
      `UPDATE disability_records SET valid_until = $2, ended_by = $3, ended_at = $4, end_reason = $5
        WHERE id = $1 RETURNING ${COLUMNS}`,
      [id, e.until, e.endedBy, e.endedAt, e.reason],
    );
    return row;
  }

  /** A prisoner's records, the whole history, oldest first. */
  forPrisoner(prisonerId: string): Promise<DisabilityRow[]> {
    return this.q<DisabilityRow>(
      `SELECT ${COLUMNS} FROM disability_records WHERE prisoner_id = $1
        ORDER BY valid_from, recorded_at, id`,
      [prisonerId],
    );
  }

  /**
   * The records of these prisoners that hold on `day` (for the rules of an assignment),
   * share-locked in the order of their ids: a record being ended is waited for, and read ended.
   */
  inForceOn(prisonerIds: readonly string[], day: string): Promise<DisabilityRow[]> {
    return this.q<DisabilityRow>(
      `SELECT ${COLUMNS} FROM disability_records
        WHERE prisoner_id = ANY($1::uuid[]) AND valid_from <= $2
          AND (valid_until IS NULL OR valid_until > $2)
        ORDER BY id FOR SHARE`,
      [prisonerIds, day],
    );
  }

  /** Records follow their prisoner (to a facility, or to none when released). */
  async follow(prisonerId: string, facilityId: string | null): Promise<number> {
    const rows = await this.q<{ id: string }>(
      `UPDATE disability_records SET facility_id = $2
        WHERE prisoner_id = $1 AND facility_id IS DISTINCT FROM $2 RETURNING id`,
      [prisonerId, facilityId],
    );
    return rows.length;
  }
}
