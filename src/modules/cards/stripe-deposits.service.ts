import { Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Principal, RelativePrincipal } from '../../common/auth/principal';
import { UnitOfWork } from '../../common/database/unit-of-work';
import { DomainError } from '../../common/errors/domain-error';
import { keyInFlight, keyReused } from '../../common/idempotency/idempotency-key';
import { UseCaseRunner } from '../../common/use-case/use-case.runner';
import { Clock } from '../../common/time/clock';
import { AuditService } from '../audit/audit.service';
import { PrisonerRegistryService } from '../facilities/prisoner-registry.service';
import { DepositRow, DepositsRepository } from './deposits.repository';
import { CreateDepositDto, CreatedDepositDto } from './dto/cards.dto';
import { DepositRules, depositDto } from './deposit-rules.service';
import { PaymentIntentView, StripeClient } from './stripe/stripe.client';

// A request still creating its payment intent this recently is in flight; older, it crashed and is resumed.
const IN_FLIGHT_MS = 30_000;

/**
 * Deposits by card through Stripe, in atomic phases (Brandur): the deposit is recorded first; the
 * PaymentIntent is created outside any transaction, with the deposit's id as Stripe's idempotency
 * key; then the deposit is marked pending and the answer stored under the relative's key (the
 * use-case runner's phases). A crash anywhere is resumed by a retry with the same key, or by the
 * reconciliation. The wallet is
 * credited when Stripe says the payment succeeded: once per event, once per deposit.
 */
@Injectable()
export class StripeDepositsService {
  private readonly logger = new Logger(StripeDepositsService.name);

  constructor(
    private readonly uow: UnitOfWork,
    private readonly useCase: UseCaseRunner,
    private readonly deposits: DepositsRepository,
    private readonly prisoners: PrisonerRegistryService,
    private readonly rules: DepositRules,
    private readonly stripe: StripeClient,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  /**
   * Runs as a use case in phases (`@UseCase({ transaction: 'phases' })`): the runner has answered a
   * key already done; the deposit records the key as the point to resume from.
   */
  async create(dto: CreateDepositDto, relative: RelativePrincipal): Promise<CreatedDepositDto> {
    const { key, requestHash: hash } = this.useCase.current();
    if (!key || !hash) throw new Error('a deposit needs its Idempotency-Key');

    const p = await this.prisoners.require(dto.prisonerId, relative);
    const now = this.clock.now();
    await this.rules.assertAmount(p.facilityId, dto.amountMinor, now);

    // phase 1: the deposit, the recovery point
    let d = await this.useCase.phase(() =>
      this.deposits.insert({
        id: randomUUID(),
        prisonerId: p.id,
        facilityId: p.facilityId,
        method: 'stripe',
        relativeId: relative.id,
        amountMinor: dto.amountMinor,
        currency: dto.currency,
        status: 'creating',
        receiptNumber: null,
        createdBy: relative.id,
        createdAt: now,
        idempotencyKey: key,
        requestHash: hash,
      }),
    );
    if (!d) {
      const existing = (await this.deposits.findByKey(relative.id, key))!;
      if (existing.requestHash !== hash) throw keyReused();
      const running = now.getTime() - existing.createdAt.getTime();
      if (existing.status === 'creating' && running < IN_FLIGHT_MS) {
        // until then the first request may still be waiting on Stripe; after, it is resumed
        throw keyInFlight(undefined, (IN_FLIGHT_MS - running) / 1000);
      }
      if (existing.status !== 'creating' && existing.status !== 'pending') {
        // The first request died before it answered, and the deposit was closed since (abandoned
        // by the reconciliation, or settled by Stripe). Nothing is left to resume: the answer is
        // the deposit as it is, final, and kept under the key like any answer. No client secret:
        // nothing can be paid on it now.
        const closed = existing.id;
        return this.useCase.finish(async () => {
          const current = (await this.deposits.find(closed, true))!;
          return this.answered(current, '', relative, { answeredClosed: current.status });
        });
      }
      d = existing; // crashed half-way: resume
    }

    // phase 2: the payment intent, outside any transaction
    let pi: PaymentIntentView;
    try {
      pi = await this.stripe.createPaymentIntent(d.id, d.amountMinor, d.currency);
    } catch (err) {
      this.logger.warn(
        { depositId: d.id, err: (err as Error).message },
        'Stripe did not create the payment intent',
      );
      throw new DomainError(
        'PAYMENT_PROVIDER_UNAVAILABLE',
        'The payment provider did not answer; retry with the same Idempotency-Key',
      );
    }

    // phase 3: pending, and the answer kept under the key (or the answer of a retry that was first)
    const deposit = d;
    return this.useCase.finish(async () => {
      const current = (await this.deposits.find(deposit.id, true))!;
      if (current.status === 'creating')
        await this.deposits.setPending(deposit.id, pi.id, this.clock.now());
      return this.answered(
        {
          ...current,
          status: current.status === 'creating' ? 'pending' : current.status,
          paymentIntentId: pi.id,
        },
        pi.clientSecret ?? '',
        relative,
      );
    });
  }

  /** The answer to a deposit's request, recorded as its `deposit.create` event. */
  private answered(
    d: DepositRow,
    clientSecret: string,
    relative: RelativePrincipal,
    extra: Record<string, unknown> = {},
  ): CreatedDepositDto {
    this.audit.record({
      action: 'deposit.create',
      targetType: 'deposit',
      targetId: d.id,
      facilityId: d.facilityId,
      summary: {
        prisonerId: d.prisonerId,
        amountMinor: d.amountMinor,
        currency: d.currency,
        paymentIntentId: d.paymentIntentId,
        ...extra,
      },
      actor: relative,
    });
    return { ...depositDto(d), clientSecret };
  }

  /**
   * Applies what Stripe says about a payment intent, from a webhook event or from asking it. A
   * success credits the wallet once (even after a failure was recorded: the money did arrive);
   * a failure or cancellation closes a deposit still open.
   */
  async apply(
    pi: PaymentIntentView,
    source: { eventId?: string; eventType?: string },
    actor: Principal | null,
  ): Promise<string> {
    return this.uow.run(async () => {
      const now = this.clock.now();
      if (
        source.eventId &&
        !(await this.deposits.firstSight(source.eventId, source.eventType ?? '', pi.id, now))
      ) {
        this.audit.record({
          action: 'deposit.stripe-event-repeat',
          targetType: 'stripe-event',
          targetId: source.eventId,
          facilityId: null,
          summary: { type: source.eventType, paymentIntentId: pi.id },
          actor,
        });
        return 'duplicate';
      }
      const d =
        (await this.deposits.findByPaymentIntent(pi.id, true)) ??
        (pi.depositId && /^[0-9a-f-]{36}$/.test(pi.depositId)
          ? await this.deposits.find(pi.depositId, true)
          : null);
      if (!d || d.method !== 'stripe') {
        this.audit.record({
          action: 'deposit.stripe-event-unmatched',
          targetType: 'stripe-event',
          targetId: source.eventId ?? pi.id,
          facilityId: null,
          summary: { type: source.eventType ?? null, paymentIntentId: pi.id },
          actor,
        });
        return 'unmatched';
      }
      if (d.status === 'creating') await this.deposits.setPending(d.id, pi.id, now);
      let result = 'unchanged';
      const matches = pi.amount === d.amountMinor && pi.currency.toUpperCase() === d.currency;
      if (pi.status === 'succeeded' && d.status !== 'succeeded' && !matches) {
        // money arrived, but not what was asked: credit nothing, say so, and stop the retries (a
        // person settles it with the relative; the reconciliation lists it until then)
        if (d.status !== 'amount-mismatch') {
          await this.deposits.settle(
            d.id,
            'amount-mismatch',
            null,
            `Stripe took ${pi.amount} ${pi.currency.toUpperCase()}, the deposit is ${d.amountMinor} ${d.currency}`,
            now,
          );
          result = 'amount-mismatch';
        }
      } else if (pi.status === 'succeeded' && d.status !== 'succeeded') {
        const posted = await this.rules.credit({ ...d, paymentIntentId: pi.id }, 'stripe-deposit');
        await this.deposits.settle(d.id, 'succeeded', posted.entryId, null, now);
        result = 'credited';
      } else if (
        (d.status === 'creating' || d.status === 'pending') &&
        (pi.status === 'canceled' || (pi.status === 'requires_payment_method' && pi.failure))
      ) {
        const status = pi.status === 'canceled' ? 'canceled' : 'failed';
        await this.deposits.settle(d.id, status, null, pi.failure, now);
        result = status;
      }
      // a look by the reconciliation that found nothing new changed nothing: no event (else one
      // per open deposit per run, for as long as it stays unpaid)
      if (result === 'unchanged' && !source.eventId && d.status !== 'creating') return result;
      this.audit.record({
        action: `deposit.stripe-${result}`,
        targetType: 'deposit',
        targetId: d.id,
        facilityId: d.facilityId,
        summary: {
          paymentIntentId: pi.id,
          stripeStatus: pi.status,
          eventId: source.eventId ?? null,
          eventType: source.eventType ?? null,
          ...(result === 'amount-mismatch'
            ? {
                stripeAmountMinor: pi.amount,
                stripeCurrency: pi.currency.toUpperCase(),
                amountMinor: d.amountMinor,
                currency: d.currency,
              }
            : {}),
        },
        actor,
      });
      return result;
    });
  }

  /** A reconciliation asked for by staff, recorded as such. */
  async reconcileNow(actor: Principal): Promise<{ checked: number; changed: number }> {
    const result = await this.reconcile(0);
    return this.useCase.finish(async () => {
      this.audit.record({
        action: 'deposit.reconcile',
        targetType: 'deposits',
        facilityId: null,
        summary: result,
        actor,
      });
      return result;
    });
  }

  /** Asks Stripe about deposits still open after a while: a lost webhook must not lose money. */
  async reconcile(olderThanSeconds: number): Promise<{ checked: number; changed: number }> {
    let changed = 0;
    const now = this.clock.now();
    const stale = await this.deposits.stale(olderThanSeconds, 200, now);
    // asked about (or tried) in this run, whatever the answer: the next run starts with others
    await this.deposits.checked(
      stale.map((d) => d.id),
      now,
    );
    for (const d of stale) {
      try {
        if (!d.paymentIntentId) {
          // the request died before the relative got a client secret: nothing can be paid on it
          await this.uow.run(async () => {
            const cur = (await this.deposits.find(d.id, true))!;
            if (cur.status !== 'creating') return;
            await this.deposits.settle(d.id, 'canceled', null, 'not completed', this.clock.now());
            this.audit.record({
              action: 'deposit.stripe-abandoned',
              targetType: 'deposit',
              targetId: d.id,
              facilityId: d.facilityId,
              summary: {},
              actor: null,
            });
            changed++;
          });
          continue;
        }
        const result = await this.apply(await this.stripe.retrieve(d.paymentIntentId), {}, null);
        if (result !== 'unchanged') changed++;
      } catch (err) {
        this.logger.warn(
          { depositId: d.id, err: (err as Error).message },
          'deposit not reconciled',
        );
      }
    }
    return { checked: stale.length, changed };
  }
}
