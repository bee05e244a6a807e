import { Injectable } from '@nestjs/common';
import { Row, SqlRepository } from '../../common/database/sql-repository';
import { toMinor } from '../../common/money';
import type { CallReason } from './domain/call.rules';

export type CallStatus = 'in-progress' | 'ended' | 'unreported' | 'cancelled';

export interface CallRow {
  id: string;
  facilityId: string;
  terminalId: string;
  requestedPrisonerId: string;
  prisonerId: string | null;
  dialedNumber: string;
  contactId: string | null;
  legal: boolean;
  outcome: 'authorized' | 'denied';
  reasons: CallReason[];
  maxDurationSeconds: number;
  tariffMinorPerMinute: number;
  currency: string;
  holdId: string | null;
  heldMinor: number;
  policyVersionIds: string[];
  localMonth: string;
  authorizedAt: Date;
  endsBy: Date;
  status: CallStatus | null;
  countsAgainstAllowance: boolean;
  endedAt: Date | null;
  durationSeconds: number | null;
  chargedMinor: number | null;
}

const call = (r: Row): CallRow => ({
  id: r.id as string,
  facilityId: r.facility_id as string,
  terminalId: r.terminal_id as string,
  requestedPrisonerId: r.requested_prisoner_id as string,
  prisonerId: r.prisoner_id as string | null,
  dialedNumber: r.dialed_number as string,
  contactId: r.contact_id as string | null,
  legal: r.legal as boolean,
  outcome: r.outcome as 'authorized' | 'denied',
  reasons: r.reasons as CallReason[],
  maxDurationSeconds: r.max_duration_seconds as number,
  tariffMinorPerMinute: toMinor(r.tariff_minor_per_minute as string),
  currency: r.currency as string,
  holdId: r.hold_id as string | null,
  heldMinor: toMinor(r.held_minor as string),
  policyVersionIds: r.policy_version_ids as string[],
  localMonth: r.local_month as string,
  authorizedAt: r.authorized_at as Date,
  endsBy: r.ends_by as Date,
  status: r.status as CallStatus | null,
  countsAgainstAllowance: r.counts_against_allowance as boolean,
  endedAt: r.ended_at as Date | null,
  durationSeconds: r.duration_seconds as number | null,
  chargedMinor: r.charged_minor === null ? null : toMinor(r.charged_minor as string),
});

const COLUMNS = `id, facility_id, terminal_id, requested_prisoner_id, prisoner_id, dialed_number, contact_id,
  legal, outcome, reasons, max_duration_seconds, tariff_minor_per_minute, currency, hold_id, held_minor,
  policy_version_ids, local_month, authorized_at, ends_by, status, counts_against_allowance, ended_at,
  duration_seconds, charged_minor`;

/** Call decisions and their ends. */
@Injectable()
export class CallsRepository extends SqlRepository {
  /**
   * Serializes call decisions and ends for one prisoner until the transaction ends: two phones
   * authorising them at once are decided one after the other (one call in progress, the month's
   * calls counted once).
   */
  async lockPrisoner(prisonerId: string): Promise<void> {
    await this.q(
      'SELECT pg_advisory_xact_lock(hashtextextended($1, 0))',
      [`payphone-calls:${prisonerId}`],
      {
        prepare: true,
      },
    );
  }

  /** The prisoner's call in progress (if any) and the calls of the month that count. */
  async facts(
    prisonerId: string,
    month: string,
  ): Promise<{ inProgress: CallRow | null; callsThisMonth: number }> {
    const rows = await this.q<{ used: number; open: Row | null }>(
      `SELECT (SELECT count(*)::int FROM payphone_calls
                WHERE prisoner_id = $1 AND local_month = $2 AND counts_against_allowance) AS used,
              (SELECT row_to_json(c) FROM (SELECT ${COLUMNS} FROM payphone_calls
                WHERE prisoner_id = $1 AND status = 'in-progress') c) AS open`,
      [prisonerId, month],
      { prepare: true },
    );
    const open = rows[0].open;
    return {
      callsThisMonth: rows[0].used,
      inProgress: open
        ? call({
            ...open,
            authorized_at: new Date(open.authorized_at as string),
            ends_by: new Date(open.ends_by as string),
          })
        : null,
    };
  }

  /** Stores a decision with the transaction's last statement. */
  deferInsert(c: CallRow): void {
    this.uow.defer({
      build: ({ param, name }) => ({
        ctes: [
          `${name('call')} AS (
             INSERT INTO payphone_calls (id, facility_id, terminal_id, requested_prisoner_id, prisoner_id,
               dialed_number, contact_id, legal, outcome, reasons, max_duration_seconds, tariff_minor_per_minute,
               currency, hold_id, held_minor, policy_version_ids, local_month, authorized_at, ends_by, status,
               counts_against_allowance)
             VALUES (${param(c.id)}::uuid, ${param(c.facilityId)}::uuid, ${param(c.terminalId)}::uuid,
               ${param(c.requestedPrisonerId)}::uuid, ${param(c.prisonerId)}::uuid, ${param(c.dialedNumber)}::text,
               ${param(c.contactId)}::uuid, ${param(c.legal)}::boolean, ${param(c.outcome)}::text,
               ${param(JSON.stringify(c.reasons))}::jsonb, ${param(c.maxDurationSeconds)}::int,
               ${param(c.tariffMinorPerMinute)}::bigint, ${param(c.currency)}::text, ${param(c.holdId)}::uuid,
               ${param(c.heldMinor)}::bigint, ${param(c.policyVersionIds)}::uuid[], ${param(c.localMonth)}::text,
               ${param(c.authorizedAt)}::timestamptz, ${param(c.endsBy)}::timestamptz, ${param(c.status)}::text,
               ${param(c.countsAgainstAllowance)}::boolean)
             RETURNING 1)`,
        ],
        result: `SELECT count(*)::int FROM ${name('call')}`,
      }),
      check: (n) => {
        if (n !== 1) throw new Error(`call ${c.id} was not stored`);
      },
      prepare: true,
    });
  }

  async find(id: string): Promise<CallRow | null> {
    const rows = await this.q(`SELECT ${COLUMNS} FROM payphone_calls WHERE id = $1`, [id], {
      prepare: true,
    });
    return rows[0] ? call(rows[0]) : null;
  }

  /** The call, locked for the rest of the transaction. */
  async findForUpdate(id: string): Promise<CallRow | null> {
    const rows = await this.q(
      `SELECT ${COLUMNS} FROM payphone_calls WHERE id = $1 FOR UPDATE`,
      [id],
      {
        prepare: true,
      },
    );
    return rows[0] ? call(rows[0]) : null;
  }

  /** Records the end of a call in progress with the transaction's last statement. */
  deferClose(c: {
    id: string;
    status: Exclude<CallStatus, 'in-progress'>;
    endedAt: Date;
    durationSeconds: number | null;
    chargedMinor: number;
    countsAgainstAllowance: boolean;
  }): void {
    this.uow.defer({
      build: ({ param, name }) => ({
        ctes: [
          `${name('call')} AS (
             UPDATE payphone_calls SET status = ${param(c.status)}::text, ended_at = ${param(c.endedAt)}::timestamptz,
               duration_seconds = ${param(c.durationSeconds)}::int, charged_minor = ${param(c.chargedMinor)}::bigint,
               counts_against_allowance = ${param(c.countsAgainstAllowance)}::boolean
              WHERE id = ${param(c.id)}::uuid AND status = 'in-progress'
             RETURNING 1)`,
        ],
        result: `SELECT count(*)::int FROM ${name('call')}`,
      }),
      check: (n) => {
        if (n !== 1) throw new Error(`call ${c.id} was not in progress`);
      },
      prepare: true,
    });
  }

  /** Calls in progress past `before` (their end by, plus the grace), oldest first. */
  async overdue(before: Date, limit: number): Promise<Array<{ id: string; prisonerId: string }>> {
    const rows = await this.q<{ id: string; prisoner_id: string }>(
      `SELECT id, prisoner_id FROM payphone_calls WHERE status = 'in-progress' AND ends_by < $1
        ORDER BY ends_by LIMIT $2`,
      [before, limit],
    );
    return rows.map((r) => ({ id: r.id, prisonerId: r.prisoner_id }));
  }
}
