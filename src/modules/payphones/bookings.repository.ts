import { Injectable } from '@nestjs/common';
import { Row, SqlRepository } from '../../common/database/sql-repository';

export interface BookingRow {
  id: string;
  facilityId: string;
  terminalId: string;
  prisonerId: string;
  startsAt: Date;
  endsAt: Date;
  status: 'booked' | 'cancelled';
  localDate: string;
  policyVersionIds: string[];
  createdAt: Date;
  cancelledAt: Date | null;
}

// (the text of local_date under another name: an ORDER BY local_date must mean the date)
const COLUMNS = `id, facility_id, terminal_id, prisoner_id, starts_at, ends_at, status,
  to_char(local_date, 'YYYY-MM-DD') AS local_day, policy_version_ids, created_at, cancelled_at`;

const booking = (r: Row): BookingRow => ({
  id: r.id as string,
  facilityId: r.facility_id as string,
  terminalId: r.terminal_id as string,
  prisonerId: r.prisoner_id as string,
  startsAt: r.starts_at as Date,
  endsAt: r.ends_at as Date,
  status: r.status as 'booked' | 'cancelled',
  localDate: r.local_day as string,
  policyVersionIds: r.policy_version_ids as string[],
  createdAt: r.created_at as Date,
  cancelledAt: r.cancelled_at as Date | null,
});

/** The phones' bookings. */
@Injectable()
export class BookingsRepository extends SqlRepository {
  /** Inserts a booking; the database refuses an overlap (23P01, named by the constraint). */
  async insert(b: Omit<BookingRow, 'id' | 'status' | 'cancelledAt'> & { createdBy: string }) {
    const rows = await this.q(
      `INSERT INTO payphone_bookings (facility_id, terminal_id, prisoner_id, starts_at, ends_at, status,
         local_date, policy_version_ids, created_by, created_at)
       VALUES ($1, $2, $3, $4, $5, 'booked', $6, $7, $8, $9) RETURNING ${COLUMNS}`,
      [
        b.facilityId,
        b.terminalId,
        b.prisonerId,
        b.startsAt,
        b.endsAt,
        b.localDate,
        b.policyVersionIds,
        b.createdBy,
        b.createdAt,
      ],
    );
    return booking(rows[0]);
  }

  async find(id: string, lock = false): Promise<BookingRow | null> {
    const rows = await this.q(
      `SELECT ${COLUMNS} FROM payphone_bookings WHERE id = $1 ${lock ? 'FOR UPDATE' : ''}`,
      [id],
    );
    return rows[0] ? booking(rows[0]) : null;
  }

  async cancel(id: string, by: string, at: Date, reason: string | null): Promise<void> {
    await this.q(
      `UPDATE payphone_bookings SET status = 'cancelled', cancelled_at = $3, cancelled_by = $2,
         cancel_reason = $4 WHERE id = $1 AND status = 'booked'`,
      [id, by, at, reason],
    );
  }

  /** The phone's live bookings overlapping [from, to). */
  async overlapping(terminalId: string, from: Date, to: Date): Promise<BookingRow[]> {
    const rows = await this.q(
      `SELECT ${COLUMNS} FROM payphone_bookings
        WHERE terminal_id = $1 AND status = 'booked' AND starts_at < $3 AND ends_at > $2
        ORDER BY starts_at`,
      [terminalId, from, to],
    );
    return rows.map(booking);
  }

  /**
   * For a call on this phone now: whether someone else's booking covers `now`, and when the next
   * one of someone else starts before `until`.
   */
  async forCall(
    terminalId: string,
    prisonerId: string,
    now: Date,
    until: Date,
  ): Promise<{ bookedNow: boolean; nextStart: Date | null }> {
    const rows = await this.q<{ booked_now: boolean; next_start: Date | null }>(
      `SELECT EXISTS (SELECT 1 FROM payphone_bookings WHERE terminal_id = $1 AND prisoner_id <> $2
                        AND status = 'booked' AND starts_at <= $3 AND ends_at > $3) AS booked_now,
              (SELECT min(starts_at) FROM payphone_bookings WHERE terminal_id = $1 AND prisoner_id <> $2
                        AND status = 'booked' AND starts_at > $3 AND starts_at < $4) AS next_start`,
      [terminalId, prisonerId, now, until],
      { prepare: true },
    );
    return { bookedNow: rows[0].booked_now, nextStart: rows[0].next_start };
  }

  /** Cancels the prisoner's bookings not yet over; the ones cancelled. */
  async cancelFuture(prisonerId: string, now: Date, reason: string): Promise<BookingRow[]> {
    const rows = await this.q(
      `UPDATE payphone_bookings SET status = 'cancelled', cancelled_at = $2, cancel_reason = $3
        WHERE prisoner_id = $1 AND status = 'booked' AND ends_at > $2 RETURNING ${COLUMNS}`,
      [prisonerId, now, reason],
    );
    return rows.map(booking);
  }
}
