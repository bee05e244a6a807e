import { Module } from '@nestjs/common';
import { FacilitiesModule } from '../facilities/facilities.module';
import { PoliciesModule } from '../policies/policies.module';
import { VisitsModule } from '../visits/visits.module';
import { AccountService } from './account.service';
import { StatementService } from './statement.service';
import { CardsRepository } from './cards.repository';
import { CardsService } from './cards.service';
import { ChargeDeps } from './charge-deps';
import { ChargesService } from './charges.service';
import { DepositQueriesService } from './deposit-queries.service';
import { DepositReconcilerService } from './deposit-reconciler.service';
import { CashDepositsService } from './cash-deposits.service';
import { DepositRules } from './deposit-rules.service';
import { StripeDepositsService } from './stripe-deposits.service';
import { DepositsRepository } from './deposits.repository';
import { LedgerBook } from './ledger-book';
import { LedgerHoldsService } from './ledger-holds.service';
import { LedgerRepository } from './ledger.repository';
import { LedgerService } from './ledger.service';
import { MoneyController } from './money.controller';
import { ReconciliationRepository } from './reconciliation.repository';
import { ReconciliationService } from './reconciliation.service';
import { SpendingLimitService } from './spending-limit.service';
import { StripeWebhookController } from './stripe/stripe-webhook.controller';
import { StripeClient } from './stripe/stripe.client';

/** Cards, the double-entry ledger (the only writer of money), charges, deposits, reconciliation. */
@Module({
  imports: [FacilitiesModule, PoliciesModule, VisitsModule],
  controllers: [MoneyController, StripeWebhookController],
  providers: [
    LedgerRepository,
    LedgerBook,
    LedgerHoldsService,
    LedgerService,
    CardsRepository,
    DepositsRepository,
    SpendingLimitService,
    CardsService,
    ChargeDeps,
    ChargesService,
    DepositRules,
    CashDepositsService,
    StripeClient,
    StripeDepositsService,
    DepositReconcilerService,
    DepositQueriesService,
    AccountService,
    StatementService,
    ReconciliationRepository,
    ReconciliationService,
  ],
  exports: [LedgerService],
})
export class CardsModule {}
