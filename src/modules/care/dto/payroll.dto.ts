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
  /** The month this pays (`YYYY-MM`). */
  @ApiLocalMonth()
  month: string;
  /** Days of the month this payment pays, on a 30-day month (days recorded late are paid later). */
  days: number;
  /** Days of the month paid to the orderly with this payment (this one's and those before). */
  paidDaysAfter: number;
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
      month: w.month,
      days: w.days,
      paidDaysAfter: w.paidDaysAfter,
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
  /** Wages of this month paid by this call (days held and not yet paid, those recorded late too). */
  paidNow: WageDto[];
  /** Wages of this month paid by an earlier call (never paid twice). */
  paidBefore: WageDto[];
  /**
   * Arrears paid by this call: days of the months before (up to three, those whose payroll has
   * run) recorded since their payroll ran, e.g. an appointment back-dated into them.
   */
  arrearsPaidNow: WageDto[];
  /** Everything this call paid: this month's and the arrears. */
  totalPaidNowMinor: number;
  /** The policy version that set the wage. */
  policyVersionIds: string[];
}
