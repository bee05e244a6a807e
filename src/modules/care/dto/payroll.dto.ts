import { Matches } from 'class-validator';
import { ApiLocalMonth } from '../../../common/openapi/formats';
import type { WageRow } from '../orderly-wages.repository';

export class RunPayrollDto {
  /** The month to pay (`YYYY-MM`), one that has ended in the facility. @example "2026-11" */
  @ApiLocalMonth()
  @Matches(/^\d{4}-(0[1-9]|1[0-2])$/, { message: 'month must be a month YYYY-MM' })
  month: string;
}

export class WageDto {
  id: string;
  orderlyPrisonerId: string;
  /** Days of the month the position was held, on a 30-day month. */
  days: number;
  amountMinor: number;
  currency: string;
  /** The ledger entry that credited the orderly's wallet. */
  entryId: string;
  paidAt: string;
  paidBy: string;

  static from(w: WageRow): WageDto {
    return {
      id: w.id,
      orderlyPrisonerId: w.prisonerId,
      days: w.days,
      amountMinor: w.amountMinor,
      currency: w.currency,
      entryId: w.entryId,
      paidAt: w.paidAt.toISOString(),
      paidBy: w.paidBy,
    };
  }
}

export class PayrollDto {
  facilityId: string;
  @ApiLocalMonth()
  month: string;
  /** care.orderlyMonthlyWageMinor in force at the end of the month: a whole month's wage. */
  monthlyWageMinor: number;
  currency: string;
  /** Wages paid by this call. */
  paidNow: WageDto[];
  /** Wages of this month paid by an earlier call (never paid twice). */
  paidBefore: WageDto[];
  totalPaidNowMinor: number;
  /** The policy version that set the wage. */
  policyVersionIds: string[];
}
