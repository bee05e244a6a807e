import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { isUniqueViolation } from '../../common/database/pg-errors';
import { UnitOfWork } from '../../common/database/unit-of-work';
import { DomainError } from '../../common/errors/domain-error';
import { Principal } from '../../common/auth/principal';
import { Clock } from '../../common/time/clock';
import { AuditService } from '../audit/audit.service';
import { PrisonerRegistryService } from '../facilities/prisoner-registry.service';
import { DepositsRepository } from './deposits.repository';
import { DepositRules, depositDto } from './deposit-rules.service';
import { CashDepositDto, DepositDto } from './dto/cards.dto';

/** Cash paid in at the counter by a finance officer, with its paper receipt. */
@Injectable()
export class CashDepositsService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly deposits: DepositsRepository,
    private readonly prisoners: PrisonerRegistryService,
    private readonly rules: DepositRules,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  /** Runs as a use case (`@UseCase`): the key, the transaction and its retry are the runner's. */
  async deposit(prisonerId: string, dto: CashDepositDto, actor: Principal): Promise<DepositDto> {
    const p = await this.prisoners.require(prisonerId, actor);
    const now = this.clock.now();
    await this.rules.assertAmount(p.facilityId, dto.amountMinor, now);
    try {
      return await this.uow.run(async () => {
        const d = (await this.deposits.insert({
          id: randomUUID(),
          prisonerId: p.id,
          facilityId: p.facilityId,
          method: 'cash',
          relativeId: null,
          amountMinor: dto.amountMinor,
          currency: dto.currency,
          status: 'creating',
          receiptNumber: dto.receiptNumber,
          createdBy: actor.id,
          createdAt: now,
        }))!;
        const posted = await this.rules.credit(d, 'cash-deposit');
        await this.deposits.settle(d.id, 'succeeded', posted.entryId, null, now);
        this.audit.record({
          action: 'deposit.cash',
          targetType: 'deposit',
          targetId: d.id,
          facilityId: p.facilityId,
          summary: {
            prisonerId: p.id,
            amountMinor: dto.amountMinor,
            currency: dto.currency,
            receiptNumber: dto.receiptNumber,
          },
          actor,
        });
        return depositDto({ ...d, status: 'succeeded', entryId: posted.entryId });
      });
    } catch (err) {
      if (isUniqueViolation(err, 'deposits_receipt_key')) {
        throw new DomainError(
          'RECEIPT_TAKEN',
          `Receipt ${dto.receiptNumber} is already recorded in this facility`,
          [{ field: 'receiptNumber', message: 'already recorded' }],
        );
      }
      throw err;
    }
  }
}
