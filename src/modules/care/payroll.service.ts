import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { StaffPrincipal } from '../../common/auth/principal';
import { UnitOfWork } from '../../common/database/unit-of-work';
import { CURRENCIES, Money } from '../../common/money';
import { Clock } from '../../common/time/clock';
import { AuditService } from '../audit/audit.service';
import { LedgerService } from '../cards/ledger.service';
import { FacilitiesService } from '../facilities/facilities.service';
import { CarePolicy, CareValue } from './care-policy.service';
import {
  ARREARS_MONTHS,
  assertMonthEnded,
  monthBounds,
  monthsBefore,
  WageOwed,
  wageOwed,
} from './domain/wages.rules';
import { PayrollDto, WageDto } from './dto/payroll.dto';
import { OrderlyPositionsRepository, PositionRow } from './orderly-positions.repository';
import { OrderlyWagesRepository, WageRow } from './orderly-wages.repository';

const CURRENCY = CURRENCIES[0];

/**
 * Orderlies' wages for a month that has ended: care.orderlyMonthlyWageMinor (in force at the
 * month's end) pro rata for the days each held the position in the facility, on a 30-day month,
 * credited to their wallets through the ledger. Every day held is paid once: a second call pays
 * only days not yet paid — days recorded late (an appointment back-dated into a month already
 * paid) are paid by running that month again, or as arrears by the payroll of a later month
 * (the three months before it, those whose payroll has run). The database refuses a day paid twice.
 */
@Injectable()
export class PayrollService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly wages: OrderlyWagesRepository,
    private readonly positions: OrderlyPositionsRepository,
    private readonly facilities: FacilitiesService,
    private readonly care: CarePolicy,
    private readonly ledger: LedgerService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  run(facilityId: string, month: string, actor: StaffPrincipal): Promise<PayrollDto> {
    return this.uow.run(async () => {
      await this.facilities.require(facilityId, actor);
      const now = this.clock.now();
      assertMonthEnded(month, await this.care.localDate(facilityId, now));
      // this month and the few before it whose days may have been recorded late, locked oldest
      // first (a payroll of another month locks the same way: no deadlock)
      const months = [...monthsBefore(month, ARREARS_MONTHS), month];
      for (const m of months) await this.wages.lockMonth(facilityId, m);
      const before = await this.wages.forMonths(facilityId, months);
      // arrears only for months whose payroll has run: a month not yet run is paid by its own
      const ran = new Set(before.map((w) => w.month));
      const due: Array<{ prisonerId: string; month: string; wage: CareValue; owed: WageOwed }> = [];
      let wageOfMonth: CareValue | null = null;
      for (const m of months.filter((x) => x === month || ran.has(x))) {
        const wage = await this.wageOf(facilityId, m);
        if (m === month) wageOfMonth = wage;
        const { first, next } = monthBounds(m);
        const byOrderly = new Map<string, PositionRow[]>();
        for (const p of await this.positions.heldBetween(facilityId, first, next))
          byOrderly.set(p.prisonerId, [...(byOrderly.get(p.prisonerId) ?? []), p]);
        for (const [prisonerId, periods] of byOrderly) {
          const paid = before.filter((w) => w.month === m && w.prisonerId === prisonerId);
          const owed = wageOwed(periods, m, wage.value, paid);
          if (owed) due.push({ prisonerId, month: m, wage, owed });
        }
      }
      const wage = wageOfMonth!;
      // the ledger locks the wallets together, in its own order
      if (due.length)
        await this.ledger.lock(
          due.map((d) => d.prisonerId),
          CURRENCY,
        );
      const paidNow: WageRow[] = [];
      for (const d of due) {
        const id = randomUUID();
        const late = d.owed.paidDaysAfter > d.owed.days;
        const moved = await this.ledger.credit({
          kind: 'orderly-wage',
          referenceId: id,
          facilityId,
          description: `Orderly's wage for ${d.month} (${d.owed.days} of 30 days${late ? ', recorded late' : ''})`,
          wallet: d.prisonerId,
          amount: Money.of(d.owed.amountMinor, CURRENCY),
          from: { house: 'wage-expense', facilityId },
        });
        paidNow.push(
          await this.wages.insert({
            id,
            facilityId,
            prisonerId: d.prisonerId,
            month: d.month,
            days: d.owed.days,
            paidDaysAfter: d.owed.paidDaysAfter,
            monthlyWageMinor: d.wage.value,
            amountMinor: d.owed.amountMinor,
            currency: CURRENCY,
            entryId: moved.entryId,
            policyVersionIds: [d.wage.versionId],
            paidBy: actor.id,
            paidAt: now,
          }),
        );
      }
      const total = paidNow.reduce((s, w) => s + w.amountMinor, 0);
      const thisMonth = paidNow.filter((w) => w.month === month);
      const arrears = paidNow.filter((w) => w.month !== month);
      const versionIds = [...new Set([wage.versionId, ...due.map((d) => d.wage.versionId)])];
      this.audit.record({
        action: 'care.payroll',
        targetType: 'facility',
        targetId: facilityId,
        facilityId,
        summary: {
          month,
          monthlyWageMinor: wage.value,
          paidNow: paidNow.map((w) => ({
            wageId: w.id,
            prisonerId: w.prisonerId,
            month: w.month,
            days: w.days,
            amountMinor: w.amountMinor,
          })),
          paidBefore: before.filter((w) => w.month === month).length,
        },
        policyVersionIds: versionIds,
        actor,
      });
      return {
        facilityId,
        month,
        monthlyWageMinor: wage.value,
        currency: CURRENCY,
        paidNow: thisMonth.map(WageDto.from),
        paidBefore: before.filter((w) => w.month === month).map(WageDto.from),
        arrearsPaidNow: arrears.map(WageDto.from),
        totalPaidNowMinor: total,
        policyVersionIds: [wage.versionId],
      };
    });
  }

  /** care.orderlyMonthlyWageMinor in force at the month's last moment in the facility. */
  private async wageOf(facilityId: string, month: string): Promise<CareValue> {
    const lastMoment = new Date(
      (await this.care.startOf(facilityId, monthBounds(month).next)).getTime() - 1,
    );
    return this.care.value(facilityId, 'care.orderlyMonthlyWageMinor', lastMoment);
  }
}
