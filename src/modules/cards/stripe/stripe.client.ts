import { Injectable } from '@nestjs/common';
import Stripe from 'stripe';
import { Env } from '../../../config/env.schema';

export interface PaymentIntentView {
  id: string;
  status: string;
  amount: number;
  currency: string;
  clientSecret: string | null;
  depositId: string | undefined;
  failure: string | null;
}

function view(pi: Stripe.PaymentIntent): PaymentIntentView {
  return {
    id: pi.id,
    status: pi.status,
    amount: pi.amount,
    currency: pi.currency,
    clientSecret: pi.client_secret,
    depositId: pi.metadata?.depositId,
    failure: pi.last_payment_error?.message ?? pi.cancellation_reason ?? null,
  };
}

/**
 * The official Stripe SDK, pointed at Stripe or (in development and tests) at a local mock through
 * STRIPE_API_HOST/PORT/PROTOCOL. The app code is the same either way.
 */
@Injectable()
export class StripeClient {
  private readonly stripe: Stripe;

  constructor(private readonly env: Env) {
    this.stripe = new Stripe(env.STRIPE_SECRET_KEY ?? 'sk_test_unconfigured', {
      ...(env.STRIPE_API_HOST ? { host: env.STRIPE_API_HOST } : {}),
      ...(env.STRIPE_API_PORT ? { port: env.STRIPE_API_PORT } : {}),
      ...(env.STRIPE_API_PROTOCOL ? { protocol: env.STRIPE_API_PROTOCOL } : {}),
      maxNetworkRetries: 2,
      timeout: 10_000,
      appInfo: { name: 'prisoner-services' },
    });
  }

  async createPaymentIntent(
    depositId: string,
    amountMinor: number,
    currency: string,
  ): Promise<PaymentIntentView> {
    const pi = await this.stripe.paymentIntents.create(
      { amount: amountMinor, currency: currency.toLowerCase(), metadata: { depositId } },
      // a retry after a crash gets the same intent back, never a second one
      { idempotencyKey: `deposit-${depositId}` },
    );
    return view(pi);
  }

  async retrieve(id: string): Promise<PaymentIntentView> {
    return view(await this.stripe.paymentIntents.retrieve(id));
  }

  /** Verifies the signature on the raw body; throws when it does not hold. */
  constructEvent(rawBody: Buffer, signature: string): Stripe.Event {
    return this.stripe.webhooks.constructEvent(
      rawBody,
      signature,
      this.env.STRIPE_WEBHOOK_SECRET ?? '',
    );
  }
}
