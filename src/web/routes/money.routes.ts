import type { WebContext } from '../context';
import { problemToErrors } from '../errors';
import { noErrors, str } from '../pages/forms';
import type { LinkedPrisoner } from '../pages/home.page';
import {
  Account,
  amountPage,
  CreatedDeposit,
  Deposit,
  depositPage,
  depositView,
  parseTenge,
  payPage,
} from '../pages/payment.page';
import type { WebRouter } from '../web.plugin';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const NO_ID = '00000000-0000-0000-0000-000000000000';

/** The local mock's test cards (Stripe's own test numbers) and the payment methods they stand for. */
const TEST_CARDS: Record<string, string> = {
  '4242424242424242': 'pm_card_visa',
  '5555555555554444': 'pm_card_mastercard',
  '4000000000000002': 'pm_card_chargeDeclined',
};

/** Whether the browser comes back from a confirmed payment (our mock form, or Stripe's redirect). */
function paidFor(query: unknown): boolean {
  const q = query as { paid?: string; redirect_status?: string };
  return q.paid === '1' || q.redirect_status === 'succeeded';
}

async function prisonerAndAccount(ctx: WebContext, prisonerId: string) {
  const id = UUID.test(prisonerId) ? prisonerId : NO_ID;
  const [prisoner, account] = await Promise.all([
    ctx.api.need<LinkedPrisoner>(`/relatives/me/prisoners/${id}`),
    ctx.api.need<Account>(`/prisoners/${id}/account`),
  ]);
  return { prisoner, account };
}

export function moneyRoutes(r: WebRouter): void {
  r.get('/top-up', { auth: true }, async (ctx, req) => {
    const v = await prisonerAndAccount(ctx, str(req.query as Record<string, unknown>, 'prisoner'));
    return amountPage(ctx, 200, v, noErrors());
  });

  r.post('/top-up', { auth: true }, async (ctx, req) => {
    const body = req.body as Record<string, unknown>;
    const v = await prisonerAndAccount(ctx, str(body, 'prisoner'));
    const amount = str(body, 'amount');
    const minor = parseTenge(amount);
    if (minor === null || ctx.settings.payments.kind === 'off') {
      const e = noErrors();
      e.fields.amount = ctx.t('field.amountMinor');
      return amountPage(ctx, 400, { ...v, amount }, e);
    }
    const res = await ctx.api.post<CreatedDeposit>(
      '/deposits',
      { prisonerId: v.prisoner.prisonerId, amountMinor: minor, currency: v.account.currency },
      str(body, '_key') || undefined,
    );
    if (!res.ok) {
      const e = problemToErrors(ctx, res.problem, { amountMinor: 'amount' });
      return amountPage(ctx, res.status, { ...v, amount }, e);
    }
    return payPage(ctx, 200, res.body, noErrors());
  });

  // the local mock only: the test card confirms the PaymentIntent as Stripe.js would in the browser
  r.post('/top-up/:id/card', { auth: true }, async (ctx, req) => {
    const { id } = req.params as { id: string };
    const p = ctx.settings.payments;
    if (p.kind !== 'mock' || !UUID.test(id)) return r.notFound(ctx);
    const body = req.body as Record<string, unknown>;
    const d = await ctx.api.need<Deposit>(`/deposits/${id}`);
    const again: CreatedDeposit = { ...d, clientSecret: str(body, 'clientSecret') };
    const method = TEST_CARDS[str(body, 'cardNumber').replace(/[\s-]/g, '')];
    if (!method) {
      const e = noErrors();
      e.fields.cardNumber = ctx.t('field.card');
      return payPage(ctx, 400, again, e);
    }
    const confirmed = await fetch(
      `${p.apiBase}/v1/payment_intents/${encodeURIComponent(d.paymentIntentId ?? '')}/confirm`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ client_secret: again.clientSecret, payment_method: method }),
      },
    );
    const pi = (await confirmed.json()) as { last_payment_error?: unknown };
    if (!confirmed.ok || pi.last_payment_error) {
      const e = noErrors();
      e.form.push(ctx.t(confirmed.ok ? 'pay.declined' : 'error.PAYMENT_PROVIDER_UNAVAILABLE'));
      return payPage(ctx, confirmed.ok ? 402 : 503, again, e);
    }
    return ctx.redirect(`/top-up/${id}?paid=1`);
  });

  r.get('/top-up/:id', { auth: true }, async (ctx, req) => {
    const { id } = req.params as { id: string };
    if (!UUID.test(id)) return r.notFound(ctx);
    const d = await ctx.api.need<Deposit>(`/deposits/${id}`);
    const account = await ctx.api.need<Account>(`/prisoners/${d.prisonerId}/account`);
    return depositPage(ctx, d, account, paidFor(req.query));
  });

  r.get('/top-up/:id/status', { auth: true }, async (ctx, req) => {
    const { id } = req.params as { id: string };
    if (!UUID.test(id)) return r.notFound(ctx);
    const d = await ctx.api.need<Deposit>(`/deposits/${id}`);
    const account = await ctx.api.need<Account>(`/prisoners/${d.prisonerId}/account`);
    return ctx.reply
      .header('cache-control', 'no-store')
      .type('application/json; charset=utf-8')
      .send(depositView(ctx, d, account, paidFor(req.query)));
  });
}
