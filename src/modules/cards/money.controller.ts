import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Access, CurrentPrincipal } from '../../common/auth/access.decorator';
import { Principal, RelativePrincipal, TerminalPrincipal } from '../../common/auth/principal';
import { MONEY_READERS } from '../../common/auth/roles';
import { ApiProblems } from '../../common/http/api-problems.decorator';
import { UuidParam } from '../../common/http/uuid-param.decorator';
import { UseCase } from '../../common/use-case/use-case.decorator';
import { NoBody } from '../../common/http/no-body.decorator';
import { AccountService } from './account.service';
import { StatementService } from './statement.service';
import { CardsService } from './cards.service';
import { ChargesService } from './charges.service';
import { CashDepositsService } from './cash-deposits.service';
import { DepositQueriesService } from './deposit-queries.service';
import { StripeDepositsService } from './stripe-deposits.service';
import {
  AccountDto,
  BlockCardDto,
  CardDto,
  CashDepositDto,
  ChargeDecisionDto,
  CreateChargeDto,
  CreatedDepositDto,
  CreateDepositDto,
  CreateRefundDto,
  DepositDto,
  DepositReconcileResultDto,
  IssuedCardDto,
  ReconciliationDto,
  RefundDto,
  StatementDto,
  StatementQueryDto,
} from './dto/cards.dto';
import { ReconciliationService } from './reconciliation.service';

@ApiTags('cards and money')
@Controller()
export class MoneyController {
  constructor(
    private readonly cards: CardsService,
    private readonly charges: ChargesService,
    private readonly cash: CashDepositsService,
    private readonly online: StripeDepositsService,
    private readonly accounts: AccountService,
    private readonly statements: StatementService,
    private readonly reconciliation: ReconciliationService,
    private readonly depositViews: DepositQueriesService,
  ) {}

  /** Issue a card: the number is shown once; a new card blocks the previous one. */
  @Post('prisoners/:id/cards')
  @NoBody()
  @UseCase({ secretAnswer: true })
  @Access({ staff: ['finance-officer'] })
  @ApiProblems(400, 401, 403, 404)
  issueCard(
    @UuidParam('id') id: string,
    @CurrentPrincipal() actor: Principal,
  ): Promise<IssuedCardDto> {
    return this.cards.issue(id, actor);
  }

  /** The prisoner's cards, active and blocked (never their numbers). */
  @Get('prisoners/:id/cards')
  @Access({ staff: MONEY_READERS })
  @ApiProblems(400, 401, 403, 404)
  listCards(@UuidParam('id') id: string, @CurrentPrincipal() actor: Principal): Promise<CardDto[]> {
    return this.cards.list(id, actor);
  }

  /** Block a card, with an optional reason: charges on it are declined from then on. */
  @Post('cards/:id/block')
  @HttpCode(200)
  @UseCase()
  @Access({ staff: ['finance-officer'] })
  @ApiProblems(400, 401, 403, 404, 422)
  block(
    @UuidParam('id') id: string,
    @Body() dto: BlockCardDto,
    @CurrentPrincipal() actor: Principal,
  ): Promise<CardDto> {
    return this.cards.block(id, dto?.reason, actor);
  }

  /**
   * Unblock a blocked card; 409 when the prisoner holds another active card, 422
   * `CARD_NOT_BLOCKED` when it is not blocked (nothing to change).
   */
  @Post('cards/:id/unblock')
  @NoBody()
  @HttpCode(200)
  @UseCase()
  @Access({ staff: ['finance-officer'] })
  @ApiProblems(400, 401, 403, 404, 409, 422)
  unblock(@UuidParam('id') id: string, @CurrentPrincipal() actor: Principal): Promise<CardDto> {
    return this.cards.unblock(id, actor);
  }

  /**
   * Charge a card at a shop terminal. The answer is a stored decision: `approved`, or `declined`
   * with `INSUFFICIENT_FUNDS`, `MONTHLY_LIMIT`, `CARD_BLOCKED` or `UNKNOWN_CARD` (also for a card of
   * a prisoner held elsewhere).
   */
  @Post('charges')
  @Access({ terminals: ['commissary'] })
  @UseCase({ idempotency: 'required' })
  @ApiProblems(400, 401, 403, 409, 422)
  charge(
    @Body() dto: CreateChargeDto,
    @CurrentPrincipal() terminal: TerminalPrincipal,
  ): Promise<ChargeDecisionDto> {
    return this.charges.charge(dto, terminal);
  }

  /** Refund part or all of an approved charge; never more than what is left of it (422). */
  @Post('charges/:id/refunds')
  @Access({ terminals: ['commissary'], staff: ['commissary-operator'] })
  @UseCase({ idempotency: 'required' })
  @ApiProblems(400, 401, 403, 404, 409, 422)
  refund(
    @UuidParam('id') id: string,
    @Body() dto: CreateRefundDto,
    @CurrentPrincipal() actor: Principal,
  ): Promise<RefundDto> {
    return this.charges.refund(id, dto, actor);
  }

  /** Cash paid in at the counter, with the receipt number (unique in the facility). */
  @Post('prisoners/:id/cash-deposits')
  @Access({ staff: ['finance-officer'] })
  @UseCase({ idempotency: 'required' })
  @ApiProblems(400, 401, 403, 404, 409, 422)
  cashDeposit(
    @UuidParam('id') id: string,
    @Body() dto: CashDepositDto,
    @CurrentPrincipal() actor: Principal,
  ): Promise<DepositDto> {
    return this.cash.deposit(id, dto, actor);
  }

  /**
   * A linked relative tops up the prisoner's card: a Stripe PaymentIntent is created and its client
   * secret returned; the wallet is credited when Stripe confirms the payment.
   */
  @Post('deposits')
  @Access({ relative: true })
  @UseCase({ idempotency: 'required', transaction: 'phases' })
  @ApiProblems(400, 401, 403, 404, 409, 422, 503)
  deposit(
    @Body() dto: CreateDepositDto,
    @CurrentPrincipal() relative: RelativePrincipal,
  ): Promise<CreatedDepositDto> {
    return this.online.create(dto, relative);
  }

  /**
   * One deposit and its status, for the relative who paid it (following a card payment until
   * Stripe's webhook has credited it) or staff of the prisoner's facility; anyone else 404.
   */
  @Get('deposits/:id')
  @Access({ staff: MONEY_READERS, relative: true })
  @ApiProblems(400, 401, 403, 404)
  depositStatus(
    @UuidParam('id') id: string,
    @CurrentPrincipal() actor: Principal,
  ): Promise<DepositDto> {
    return this.depositViews.get(id, actor);
  }

  /** Balance, spending this month and this month's limit. */
  @Get('prisoners/:id/account')
  @Access({ staff: MONEY_READERS, relative: true })
  @ApiProblems(400, 401, 403, 404)
  account(@UuidParam('id') id: string, @CurrentPrincipal() actor: Principal): Promise<AccountDto> {
    return this.accounts.account(id, actor);
  }

  /**
   * The wallet's postings with running balances. Staff of the facility see each line whole; a
   * linked relative sees amounts, dates, kinds and balances, and the references of their own
   * deposits (`depositId`, `paymentIntentId`) — not staff's descriptions, nor others' payments.
   */
  @Get('prisoners/:id/account/statement')
  @Access({ staff: MONEY_READERS, relative: true })
  @ApiProblems(400, 401, 403, 404)
  statement(
    @UuidParam('id') id: string,
    @Query() q: StatementQueryDto,
    @CurrentPrincipal() actor: Principal,
  ): Promise<StatementDto> {
    return this.statements.statement(id, q, actor);
  }

  /**
   * Recomputes every invariant of the money; lists what does not hold. National staff only: the
   * answer covers every facility's wallets.
   */
  @Get('ledger/reconciliation')
  @Access({ staff: ['finance-officer', 'auditor'], national: true })
  @ApiProblems(401, 403)
  reconcile(): Promise<ReconciliationDto> {
    return this.reconciliation.run();
  }

  /** Asks Stripe now about deposits still open (the periodic job does the same). */
  @Post('deposits/reconcile')
  @NoBody()
  @HttpCode(200)
  @UseCase({ transaction: 'phases' })
  @Access({ staff: ['finance-officer'], national: true })
  @ApiProblems(401, 403)
  reconcileDeposits(@CurrentPrincipal() actor: Principal): Promise<DepositReconcileResultDto> {
    return this.online.reconcileNow(actor);
  }
}
