import { randomUUID } from 'node:crypto';
import type { WebContext } from '../context';
import { html, Html } from '../html';
import type { MessageKey } from '../i18n';
import { errorSummary, field, FormErrors } from './forms';
import type { LinkedPrisoner } from './home.page';

export interface Account {
  balanceMinor: number;
  availableMinor: number;
  currency: string;
}

export interface Deposit {
  id: string;
  prisonerId: string;
  amountMinor: number;
  currency: string;
  status: 'creating' | 'pending' | 'succeeded' | 'failed' | 'canceled' | 'amount-mismatch';
  paymentIntentId: string | null;
}

export interface CreatedDeposit extends Deposit {
  clientSecret: string;
}

export const FINAL: readonly Deposit['status'][] = [
  'succeeded',
  'failed',
  'canceled',
  'amount-mismatch',
];

/** Whole tenge or tenge and tiyn ("5000", "5 000", "5000,50") → tiyn; null when not an amount. */
export function parseTenge(input: string): number | null {
  const m = /^(\d{1,9})(?:[.,](\d{1,2}))?$/.exec(input.replace(/[\s\u00a0]/g, ''));
  if (!m) return null;
  const minor = Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
  return minor > 0 ? minor : null;
}

export function amountPage(
  ctx: WebContext,
  status: number,
  v: { prisoner: LinkedPrisoner; account: Account; amount?: string },
  e: FormErrors,
) {
  const off = ctx.settings.payments.kind === 'off';
  return ctx.render(status, {
    title: ctx.t('topUp.title'),
    body: html`<p>${ctx.t('topUp.for', { name: v.prisoner.fullName })}</p>
      <p>
        ${ctx.t('topUp.balance', { amount: ctx.formatMoney(v.account.balanceMinor, v.account.currency) })}
      </p>
      ${
        off
          ? html`<p class="notice">${ctx.t('topUp.off')}</p>`
          : html`${errorSummary(ctx, e)}
              <form method="post" action="/top-up" novalidate>
                ${ctx.formGuard()}<input type="hidden" name="_key" value="${randomUUID()}" /><input
                  type="hidden"
                  name="prisoner"
                  value="${v.prisoner.prisonerId}"
                />
                ${field(e, { id: 'amount', label: ctx.t('topUp.amount'), hint: ctx.t('topUp.amountHint'), value: v.amount, inputmode: 'numeric', autocomplete: 'off' })}
                <button type="submit">${ctx.t('topUp.continue')}</button>
              </form>`
      }`,
  });
}

function mockCardForm(ctx: WebContext, d: CreatedDeposit, e: FormErrors): Html {
  return html`<p class="notice">${ctx.t('pay.testMode')}</p>
    ${errorSummary(ctx, e)}
    <form method="post" action="/top-up/${d.id}/card" novalidate>
      ${ctx.formGuard(`/top-up/${d.id}`)}
      <input type="hidden" name="paymentIntent" value="${d.paymentIntentId ?? ''}" /><input
        type="hidden"
        name="clientSecret"
        value="${d.clientSecret}"
      />
      <input type="hidden" name="amountMinor" value="${d.amountMinor}" />
      ${field(e, { id: 'cardNumber', label: ctx.t('pay.cardNumber'), inputmode: 'numeric', autocomplete: 'cc-number' })}
      ${field(e, { id: 'expiry', label: ctx.t('pay.expiry'), autocomplete: 'cc-exp', inputmode: 'numeric' })}
      ${field(e, { id: 'cvc', label: ctx.t('pay.cvc'), autocomplete: 'cc-csc', inputmode: 'numeric' })}
      <button type="submit">
        ${ctx.t('pay.submit', { amount: ctx.formatMoney(d.amountMinor, d.currency) })}
      </button>
    </form>`;
}

/**
 * Production: Stripe's Payment Element (card data never reaches this server), mounted by
 * stripe-payment.js; Stripe returns the browser to the deposit's status page.
 */
function stripeElement(ctx: WebContext, d: CreatedDeposit, publishableKey: string): Html {
  return html`<form
    id="stripe-payment"
    data-publishable-key="${publishableKey}"
    data-client-secret="${d.clientSecret}"
    data-return-url="/top-up/${d.id}?paid=1"
    data-locale="${ctx.lang}"
  >
    <div id="payment-element"><p>${ctx.t('pay.stripeLoading')}</p></div>
    <p id="payment-error" class="error" role="alert"></p>
    <button type="submit">
      ${ctx.t('pay.submit', { amount: ctx.formatMoney(d.amountMinor, d.currency) })}
    </button>
  </form>`;
}

export function payPage(ctx: WebContext, status: number, d: CreatedDeposit, e: FormErrors) {
  const p = ctx.settings.payments;
  return ctx.render(status, {
    title: ctx.t('pay.title'),
    body: html`<p>${ctx.t('pay.amount', { amount: ctx.formatMoney(d.amountMinor, d.currency) })}</p>
      ${p.kind === 'mock' ? mockCardForm(ctx, d, e) : p.kind === 'stripe' ? stripeElement(ctx, d, p.publishableKey) : html`<p>${ctx.t('topUp.off')}</p>`}`,
    scripts: p.kind === 'stripe' ? ['stripe-payment.js'] : [],
    externalScripts: p.kind === 'stripe' ? ['https://js.stripe.com/v3/'] : [],
  });
}

export function depositView(ctx: WebContext, d: Deposit, account: Account, paid: boolean) {
  return {
    status: d.status,
    statusText: ctx.t(`depositStatus.${d.status}` as MessageKey),
    balanceText: ctx.formatMoney(account.balanceMinor, account.currency),
    // after a confirmed payment a failure recorded for an earlier declined card is not the end:
    // the success is on its way (and is credited even after a recorded failure)
    final: FINAL.includes(d.status) && !(paid && d.status === 'failed'),
  };
}

/** Follows the deposit until the webhook credited it (deposit-status.js asks every two seconds). */
export function depositPage(ctx: WebContext, d: Deposit, account: Account, paid: boolean) {
  const v = depositView(ctx, d, account, paid);
  return ctx.render(200, {
    title: ctx.t('deposit.title'),
    body: html`<div
        data-deposit-status="/top-up/${d.id}/status${paid ? '?paid=1' : ''}"
        data-final="${v.final ? 'true' : 'false'}"
      >
        <dl>
          <dt>${ctx.t('deposit.amount')}</dt>
          <dd>${ctx.formatMoney(d.amountMinor, d.currency)}</dd>
          <dt>${ctx.t('deposit.status')}</dt>
          <dd>
            <span data-field="status" class="status ${d.status}" role="status"
              >${v.statusText}</span
            >
          </dd>
          <dt>${ctx.t('deposit.balance')}</dt>
          <dd><span data-field="balance" aria-live="polite">${v.balanceText}</span></dd>
        </dl>
      </div>
      <ul class="actions">
        ${v.final ? '' : html`<li><a class="button secondary" href="/top-up/${d.id}">${ctx.t('deposit.check')}</a></li>`}
        <li><a class="button secondary" href="/">${ctx.t('deposit.home')}</a></li>
      </ul>`,
    scripts: v.final ? [] : ['deposit-status.js'],
  });
}
