import { createHmac, randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A small Stripe-compatible server for development and tests: exactly the PaymentIntents calls the
 * app makes (create, retrieve, confirm, cancel), form-encoded like Stripe's API, `Idempotency-Key`
 * honoured, and signed webhook events delivered to the app the way Stripe signs them. The official
 * stripe-mock (a Go binary) is in docker/compose.yaml for deployments; the app code is the same.
 */

type PiStatus = 'requires_payment_method' | 'processing' | 'succeeded' | 'canceled';

export interface MockPaymentIntent {
  id: string;
  object: 'payment_intent';
  amount: number;
  currency: string;
  status: PiStatus;
  client_secret: string;
  metadata: Record<string, string>;
  created: number;
  livemode: false;
  last_payment_error: { code: string; message: string } | null;
  cancellation_reason: string | null;
}

export interface MockEvent {
  id: string;
  object: 'event';
  type: string;
  created: number;
  api_version: string;
  livemode: false;
  data: { object: MockPaymentIntent };
}

/** Parses Stripe's form encoding: `a=1&metadata[depositId]=x` → `{ a: '1', metadata: { depositId: 'x' } }`. */
export function parseStripeForm(body: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of new URLSearchParams(body)) {
    const m = /^([^[\]]+)\[([^[\]]+)\]$/.exec(k);
    if (m) {
      const obj = (out[m[1]] ??= {}) as Record<string, string>;
      obj[m[2]] = v;
    } else {
      out[k] = v;
    }
  }
  return out;
}

/** The `Stripe-Signature` header Stripe sends: `t=<unix>,v1=<hmac-sha256 of "t.payload">`. */
export function stripeSignature(
  payload: string,
  secret: string,
  timestamp = Math.floor(Date.now() / 1000),
): string {
  const v1 = createHmac('sha256', secret).update(`${timestamp}.${payload}`, 'utf8').digest('hex');
  return `t=${timestamp},v1=${v1}`;
}

function error(status: number, type: string, message: string, code?: string) {
  return { status, body: { error: { type, message, ...(code ? { code } : {}) } } };
}

export class StripeMock {
  readonly secretKey = `sk_test_mock_${randomBytes(8).toString('hex')}`;
  readonly webhookSecret = `whsec_mock_${randomBytes(16).toString('hex')}`;
  /** Where signed events go (the app's `/api/v1/webhooks/stripe`); null: nowhere. */
  webhookUrl: string | null = null;
  /** False simulates lost webhooks (the app must reconcile by asking). */
  deliverWebhooks = true;
  readonly intents = new Map<string, MockPaymentIntent>();
  readonly events: MockEvent[] = [];
  readonly deliveries: Array<{ eventId: string; status: number | string }> = [];
  private readonly idempotency = new Map<
    string,
    { params: string; status: number; body: unknown }
  >();
  private server?: http.Server;
  port = 0;

  async start(port = 0): Promise<number> {
    this.server = http.createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this.port;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) =>
      this.server ? this.server.close(() => resolve()) : resolve(),
    );
  }

  /** As the customer paying in the browser: the intent succeeds (or is declined), and Stripe tells the app. */
  async pay(id: string, outcome: 'succeeded' | 'declined' = 'succeeded'): Promise<MockEvent> {
    const pi = this.intents.get(id);
    if (!pi) throw new Error(`no payment intent ${id}`);
    if (outcome === 'succeeded') {
      pi.status = 'succeeded';
      pi.last_payment_error = null;
      return this.emit('payment_intent.succeeded', pi);
    }
    pi.status = 'requires_payment_method';
    pi.last_payment_error = { code: 'card_declined', message: 'Your card was declined.' };
    return this.emit('payment_intent.payment_failed', pi);
  }

  /** An event as Stripe would send it, signed; delivered unless deliveries are off. */
  async emit(type: string, pi: MockPaymentIntent): Promise<MockEvent> {
    const event: MockEvent = {
      id: `evt_${randomBytes(12).toString('hex')}`,
      object: 'event',
      type,
      created: Math.floor(Date.now() / 1000),
      api_version: '2026-10-28.endive',
      livemode: false,
      data: { object: { ...pi, metadata: { ...pi.metadata } } },
    };
    this.events.push(event);
    if (this.deliverWebhooks) await this.deliver(event);
    return event;
  }

  /** Sends an event (again: Stripe retries, and delivers out of order). */
  async deliver(event: MockEvent, signature?: string): Promise<number> {
    if (!this.webhookUrl) return 0;
    const payload = JSON.stringify(event);
    try {
      const res = await fetch(this.webhookUrl, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'stripe-signature': signature ?? stripeSignature(payload, this.webhookSecret),
        },
        body: payload,
      });
      this.deliveries.push({ eventId: event.id, status: res.status });
      return res.status;
    } catch (err) {
      this.deliveries.push({ eventId: event.id, status: (err as Error).message });
      return 0;
    }
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const { status, body } = this.route(req, raw);
    res.writeHead(status, {
      'content-type': 'application/json',
      'request-id': `req_${randomBytes(6).toString('hex')}`,
    });
    res.end(JSON.stringify(body));
  }

  private route(req: http.IncomingMessage, raw: string): { status: number; body: unknown } {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const params = parseStripeForm(raw);
    const auth = req.headers.authorization ?? '';
    const m = /^\/v1\/payment_intents(?:\/([^/]+))?(?:\/(confirm|cancel))?$/.exec(url.pathname);
    if (!m)
      return error(
        404,
        'invalid_request_error',
        `Unrecognized request URL (${req.method}: ${url.pathname})`,
      );
    const [, id, action] = m;
    const pi = id ? this.intents.get(id) : undefined;
    // confirming with the client secret is what Stripe.js does in the browser
    const byClientSecret = action === 'confirm' && pi && params.client_secret === pi.client_secret;
    if (auth !== `Bearer ${this.secretKey}` && !byClientSecret) {
      return error(401, 'invalid_request_error', 'Invalid API Key provided');
    }
    if (id && !pi)
      return error(
        404,
        'invalid_request_error',
        `No such payment_intent: '${id}'`,
        'resource_missing',
      );

    const key = req.headers['idempotency-key'];
    if (req.method === 'POST' && typeof key === 'string') {
      const seen = this.idempotency.get(key);
      if (seen) {
        if (seen.params !== `${url.pathname}?${raw}`) {
          return error(
            400,
            'idempotency_error',
            'Keys for idempotent requests can only be used with the same parameters they were first used with.',
          );
        }
        return { status: seen.status, body: seen.body };
      }
      const result = this.act(req.method, pi, action, params);
      this.idempotency.set(key, {
        params: `${url.pathname}?${raw}`,
        status: result.status,
        body: result.body,
      });
      return result;
    }
    return this.act(req.method ?? 'GET', pi, action, params);
  }

  private act(
    method: string,
    pi: MockPaymentIntent | undefined,
    action: string | undefined,
    params: Record<string, unknown>,
  ): { status: number; body: unknown } {
    if (method === 'GET' && pi && !action) return { status: 200, body: pi };
    if (method === 'POST' && !pi && !action) {
      const amount = Number(params.amount);
      if (!Number.isSafeInteger(amount) || amount < 1)
        return error(
          400,
          'invalid_request_error',
          'Invalid integer: amount',
          'parameter_invalid_integer',
        );
      if (typeof params.currency !== 'string' || !/^[a-z]{3}$/.test(params.currency)) {
        return error(400, 'invalid_request_error', 'Invalid currency', 'parameter_invalid');
      }
      const id = `pi_${randomBytes(12).toString('hex')}`;
      const created: MockPaymentIntent = {
        id,
        object: 'payment_intent',
        amount,
        currency: params.currency,
        status: 'requires_payment_method',
        client_secret: `${id}_secret_${randomBytes(12).toString('hex')}`,
        metadata: (params.metadata as Record<string, string>) ?? {},
        created: Math.floor(Date.now() / 1000),
        livemode: false,
        last_payment_error: null,
        cancellation_reason: null,
      };
      this.intents.set(id, created);
      return { status: 200, body: created };
    }
    if (method === 'POST' && pi && (action === 'confirm' || action === 'cancel')) {
      if (pi.status === 'succeeded' || pi.status === 'canceled') {
        return error(
          400,
          'invalid_request_error',
          `This PaymentIntent's status is ${pi.status}`,
          'payment_intent_unexpected_state',
        );
      }
    }
    if (method === 'POST' && pi && action === 'confirm') {
      const declined = params.payment_method === 'pm_card_chargeDeclined';
      void this.pay(pi.id, declined ? 'declined' : 'succeeded');
      return { status: 200, body: pi };
    }
    if (method === 'POST' && pi && action === 'cancel') {
      pi.status = 'canceled';
      pi.cancellation_reason = (params.cancellation_reason as string) ?? 'requested_by_customer';
      void this.emit('payment_intent.canceled', pi);
      return { status: 200, body: pi };
    }
    return error(400, 'invalid_request_error', 'Unsupported request');
  }
}
