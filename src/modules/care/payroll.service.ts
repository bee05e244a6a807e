import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { StaffPrincipal } from '../../common/auth/principal';
import { UnitOfWork } from '../../common/database/unit-of-work';
import { CURRENCIES, Money } from '../../common/money';
import { Clock } from '../../common/time/clock';
import { AuditService } from '../audit/audit.service';
import { LedgerService } from '../cards/ledger.service';
import { FacilitiesService } from '../facilities/facilities.service';
import { CarePolicy } from './care-policy.service';
import { assertMonthEnded, monthBounds, wageDays, wageFor } from './domain/wages.rules';
import { PayrollDto, WageDto } from './dto/payroll.dto';
import { OrderlyPositionsRepository, PositionRow } from './orderly-positions.repository';
import { OrderlyWagesRepository, WageRow } from './orderly-wages.repository';

const CURRENCY = CURRENCIES[0];

/**
 * Orderlies' wages for a month that has ended: care.orderlyMonthlyWageMinor (in force at the
 * month's end) pro rata for the days each held the position in the facility, on a 30-day month,
 * credited to their wallets through the ledger. Once per orderly, facility and month: the
 * database's unique key says so whatever calls it; a second call pays only who was not paid.
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
      await this.wages.lockMonth(facilityId, month);
      const { first, next } = monthBounds(month);
      const lastMoment = new Date((await this.care.startOf(facilityId, next)).getTime() - 1);
      const wage = await this.care.value(facilityId, 'care.orderlyMonthlyWageMinor', lastMoment);
      const before = await this.wages.forMonth(facilityId, month);
      const paid = new Set(before.map((w) => w.prisonerId));
      const byOrderly = new Map<string, PositionRow[]>();
      for (const p of await this.positions.heldBetween(facilityId, first, next)) {
        if (!paid.has(p.prisonerId))
          byOrderly.set(p.prisonerId, [...(byOrderly.get(p.prisonerId) ?? []), p]);
      }
      const due = [...byOrderly].map(([prisonerId, periods]) => {
        const days = wageDays(periods, month);
        return { prisonerId, days, amountMinor: wageFor(wage.value, days) };
      });
      const toPay = due.filter((d) => d.amountMinor > 0);
      // the ledger locks the wallets together, in its own order
      if (toPay.length)
        await this.ledger.lock(
          toPay.map((d) => d.prisonerId),
          CURRENCY,
        );
      const paidNow: WageRow[] = [];
      for (const d of toPay) {
        const id = randomUUID();
        const moved = await this.ledger.credit({
          kind: 'orderly-wage',
          referenceId: id,
          facilityId,
          description: `Orderly's wage for ${month} (${d.days} of 30 days)`,
          wallet: d.prisonerId,
          amount: Money.of(d.amountMinor, CURRENCY),
          from: { house: 'wage-expense', facilityId },
        });
        paidNow.push(
          await this.wages.insert({
            id,
            facilityId,
            prisonerId: d.prisonerId,
            month,
            days: d.days,
            monthlyWageMinor: wage.value,
            amountMinor: d.amountMinor,
            currency: CURRENCY,
            entryId: moved.entryId,
            policyVersionIds: [wage.versionId],
            paidBy: actor.id,
            paidAt: now,
          }),
        );
      }
      const total = paidNow.reduce((s, w) => s + w.amountMinor, 0);
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
            days: w.days,
            amountMinor: w.amountMinor,
          })),
          paidBefore: before.length,
        },
        policyVersionIds: [wage.versionId],
        actor,
      });
      return {
        facilityId,
        month,
        monthlyWageMinor: wage.value,
        currency: CURRENCY,
        paidNow: paidNow.map(WageDto.from),
        paidBefore: before.map(WageDto.from),
        totalPaidNowMinor: total,
        policyVersionIds: [wage.versionId],
      };
    });
  }
}
