import { Injectable } from '@nestjs/common';
import { SqlRepository } from '../../common/database/sql-repository';

export interface WageRow {
  id: string;
  facilityId: string;
  prisonerId: string;
  month: string;
  /** Days of the month this payment pays (on a 30-day month). */
  days: number;
  /** Days of the month paid to the orderly with this payment: it pays (after − days, after]. */
  paidDaysAfter: number;
  monthlyWageMinor: number;
  amountMinor: number;
  currency: string;
  entryId: string;
  policyVersionIds: string[];
  paidBy: string;
  paidAt: Date;
}

const COLUMNS = `id, facility_id AS "facilityId", prisoner_id AS "prisonerId", month, days,
  paid_days_after AS "paidDaysAfter",
  monthly_wage_minor::float8 AS "monthlyWageMinor", amount_minor::float8 AS "amountMinor", currency,
  entry_id AS "entryId", policy_version_ids::text[] AS "policyVersionIds", paid_by AS "paidBy",
  paid_at AS "paidAt"`;

/**
 * Wages paid to orderlies: one row per payment (an orderly's month may be paid in parts: days
 * recorded late are paid later), each with its ledger entry; the database refuses a day paid twice.
 */
@Injectable()
export class OrderlyWagesRepository extends SqlRepository {
  /** Serializes the payroll of one facility and month to COMMIT. */
  async lockMonth(facilityId: string, month: string): Promise<void> {
    await this.uow.lock(`care-payroll:${facilityId}:${month}`);
  }

  /** The payments of these months in the facility, oldest first. */
  forMonths(facilityId: string, months: readonly string[]): Promise<WageRow[]> {
    return this.q<WageRow>(
      `SELECT ${COLUMNS} FROM orderly_wages WHERE facility_id = $1 AND month = ANY($2::text[])
        ORDER BY paid_at, prisoner_id, paid_days_after`,
      [facilityId, months],
    );
  }

  async insert(w: WageRow): Promise<WageRow> {
    const [row] = await this.q<WageRow>(
      `INSERT INTO orderly_wages (id, facility_id, prisoner_id, month, days, monthly_wage_minor,
         amount_minor, currency, entry_id, policy_version_ids, paid_by, paid_at, paid_days_after)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::uuid[], $11, $12, $13) RETURNING ${COLUMNS}`,
      [
        w.id,
        w.facilityId,
        w.prisonerId,
        w.month,
        w.days,
        w.monthlyWageMinor,
        w.amountMinor,
        w.currency,
        w.entryId,
        w.policyVersionIds,
        w.paidBy,
        w.paidAt,
        w.paidDaysAfter,
      ],
    );
    return row;
  }
}
