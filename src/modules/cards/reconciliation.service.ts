import { Injectable } from '@nestjs/common';
import { UnitOfWork } from '../../common/database/unit-of-work';
import { ReconciliationDto } from './dto/cards.dto';
import { ReconciliationRepository } from './reconciliation.repository';

/**
 * Recomputes every invariant of the money from the rows themselves: entries balance, cached wallet
 * balances equal their postings, no wallet below zero, every settled deposit credited exactly once
 * (and nothing credited that did not settle, and no payment of another amount left unsettled),
 * charges and refunds matched by entries.
 */
@Injectable()
export class ReconciliationService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly repo: ReconciliationRepository,
  ) {}

  run(): Promise<ReconciliationDto> {
    // one snapshot for every check
    return this.uow.snapshot(async () => {
      const mismatches = await this.repo.mismatches();
      const counts = await this.repo.counts();
      return {
        ok: mismatches.length === 0,
        entriesChecked: counts.entries,
        accountsChecked: counts.accounts,
        mismatches,
      };
    });
  }
}
