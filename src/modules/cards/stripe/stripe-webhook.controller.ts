import { Controller, Headers, HttpCode, Post, Req } from '@nestjs/common';
import { ApiBody, ApiHeader, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ApiProblems } from '../../../common/http/api-problems.decorator';
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

/** What the API reads of a Stripe event; Stripe sends much more, and all of it is signed. */
const STRIPE_EVENT = {
  type: 'object',
  required: ['id', 'type', 'data'],
  additionalProperties: true,
  properties: {
    id: { type: 'string', example: 'evt_1Nq' },
    type: { type: 'string', example: 'payment_intent.succeeded' },
    data: {
      type: 'object',
      required: ['object'],
      additionalProperties: true,
      properties: {
        object: {
          type: 'object',
          description: 'The PaymentIntent (its metadata names the deposit)',
          additionalProperties: true,
        },
      },
    },
  },
};

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

  /**
   * Stripe's events about deposits' PaymentIntents. The signature is checked on the raw body first
   * (400 when it does not verify); `payment_intent.succeeded` credits the deposit once, and an event
   * seen before is acknowledged again without effect. Other event types are acknowledged and ignored.
   */
  @Post('stripe')
  @NotAUseCase(
    "Stripe's event ids make it idempotent; each payment intent is applied in its own transaction",
  )
  @HttpCode(200)
  @Public()
  @ApiHeader({
    name: 'Stripe-Signature',
    required: true,
    description: "Stripe's signature of the raw body",
  })
  @ApiBody({ schema: STRIPE_EVENT })
  @ApiOkResponse({ type: WebhookAckDto, description: 'Acknowledged' })
  @ApiProblems(400)
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
