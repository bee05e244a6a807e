import { Controller, Headers, HttpCode, Post, Req } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import type Stripe from 'stripe';
import { Public } from '../../../common/auth/access.decorator';
import { DomainError } from '../../../common/errors/domain-error';
import { StripeDepositsService } from '../stripe-deposits.service';
import { StripeClient } from './stripe.client';
import { NotAUseCase } from '../../../common/use-case/use-case.decorator';

const HANDLED = new Set([
  'payment_intent.succeeded',
  'payment_intent.payment_failed',
  'payment_intent.canceled',
]);

export class WebhookAckDto {
  received: boolean;
  /** credited, failed, canceled, amount-mismatch, unchanged, duplicate, unmatched, ignored */
  result: string;
}

/** Stripe's signed events. The signature is checked on the raw body before anything is read. */
@ApiTags('cards and money')
@Controller('webhooks')
export class StripeWebhookController {
  constructor(
    private readonly stripe: StripeClient,
    private readonly deposits: StripeDepositsService,
  ) {}

  @Post('stripe')
  @NotAUseCase(
    "Stripe's event ids make it idempotent; each payment intent is applied in its own transaction",
  )
  @HttpCode(200)
  @Public()
  async receive(
    @Req() req: FastifyRequest & { rawBody?: Buffer },
    @Headers('stripe-signature') signature: string | undefined,
  ): Promise<WebhookAckDto> {
    let event: Stripe.Event;
    try {
      if (!req.rawBody || !signature) throw new Error('unsigned');
      event = this.stripe.constructEvent(req.rawBody, signature);
    } catch {
      throw new DomainError('VALIDATION_FAILED', 'The Stripe-Signature does not verify', [
        { field: 'Stripe-Signature', message: 'does not verify' },
      ]);
    }
    if (!HANDLED.has(event.type)) return { received: true, result: 'ignored' };
    const pi = event.data.object as Stripe.PaymentIntent;
    const result = await this.deposits.apply(
      {
        id: pi.id,
        status: pi.status,
        amount: pi.amount,
        currency: pi.currency,
        clientSecret: null,
        depositId: pi.metadata?.depositId,
        failure: pi.last_payment_error?.message ?? pi.cancellation_reason ?? null,
      },
      { eventId: event.id, eventType: event.type },
      null,
    );
    return { received: true, result };
  }
}
