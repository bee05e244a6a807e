import { Injectable } from '@nestjs/common';
import { DomainError } from '../../common/errors/domain-error';
import { Money } from '../../common/money';
import { PolicyService } from '../policies/policy.service';
import { DepositRow } from './deposits.repository';
import { DepositDto } from './dto/cards.dto';
import { LedgerService } from './ledger.service';
import { SpendingLimitService } from './spending-limit.service';

export function depositDto(d: DepositRow): DepositDto {
  return {
    id: d.id,
    prisonerId: d.prisonerId,
    method: d.method,
    amountMinor: d.amountMinor,
    currency: d.currency,
    status: d.status,
    paymentIntentId: d.paymentIntentId,
    receiptNumber: d.receiptNumber,
    createdAt: d.createdAt.toISOString(),
  };
}

/** Shared by cash and online deposits: who may deposit how much, and the credit itself. */
@Injectable()
export class DepositRules {
  constructor(
    private readonly policies: PolicyService,
    private readonly limits: SpendingLimitService,
    private readonly ledger: LedgerService,
  ) {}

  async assertAmount(facilityId: string, amountMinor: number, at: Date): Promise<void> {
    const { maxMinor } = this.limits.maxDeposit(await this.policies.resolve(facilityId, at));
    if (maxMinor !== undefined && amountMinor > maxMinor) {
      throw new DomainError('DEPOSIT_TOO_LARGE', `One deposit may be at most ${maxMinor}`, [
        { field: 'amountMinor', message: `at most ${maxMinor} (cards.maxDepositMinor)` },
      ]);
    }
  }

  /** Credits the wallet (in the caller's transaction). */
  credit(d: DepositRow, kind: 'stripe-deposit' | 'cash-deposit') {
    return this.ledger.credit({
      wallet: d.prisonerId,
      amount: Money.of(d.amountMinor, d.currency),
      from:
        kind === 'cash-deposit'
          ? { house: 'cash-clearing', facilityId: d.facilityId }
          : { house: 'stripe-clearing', facilityId: null },
      kind,
      facilityId: d.facilityId,
      referenceId: d.id,
      description:
        kind === 'cash-deposit'
          ? `cash, receipt ${d.receiptNumber}`
          : `card payment ${d.paymentIntentId ?? ''}`.trim(),
    });
  }
}
