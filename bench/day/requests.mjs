// What each event of the day sends: method, path, headers, body, the answers it expects, and what
// it keeps of the answer for the events that follow it (a charge's id for its refund, a call's for
// its end, a deposit's PaymentIntent for the webhook, a terminal's ETag for its next read).
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import path from 'node:path';
import { serverRoot } from '../server.mjs';

const require = createRequire(path.join(serverRoot, 'package.json'));
const jwt = require('jsonwebtoken');
const { stripeSignature } = require('./dist/src/dev/stripe-mock.js');
const API = '/api/v1';

/** YYYY-MM-DD of `day` (a YYYY-MM-DD) plus `n` days. */
export function addDays(day, n) {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
}

/**
 * `ctx`: { jwtSecret, stripe (the mock), clockOffsetMs, day (the local date replayed),
 * staffIds (by facility), facilities }. Returns `build(event)` → the request, or null when the
 * event has nothing to do (its charge was declined, its call denied, its deposit not made).
 */
export function requestBuilder(ctx) {
  const tokens = new Map();
  const etags = new Map();
  const now = () => Date.now() + ctx.clockOffsetMs; // the server's clock: the replayed day
  const bearer = (typ, sub) => {
    let t = tokens.get(sub);
    if (!t) {
      const iat = Math.floor(now() / 1000);
      t = `Bearer ${jwt.sign({ sub, typ, iat, exp: iat + 4 * 3600 }, ctx.jwtSecret, { issuer: 'prisoner-services', audience: typ })}`;
      tokens.set(sub, t);
    }
    return { authorization: t };
  };
  const terminal = (t) => ({ 'x-api-key': t.apiKey });
  const post = (label, url, headers, body, expect = [201]) => ({
    label,
    method: 'POST',
    path: `${API}${url}`,
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
    expect,
  });
  const get = (label, url, headers, expect = [200]) => ({ label, method: 'GET', path: `${API}${url}`, headers, expect });
  const answered = (e, ok) => e.result && e.result.status < 300 && ok(e.result.body ?? {});

  const builders = {
    charge: (e) =>
      post('charge', '/charges', { ...terminal(e.terminal), 'idempotency-key': randomUUID() }, {
        cardNumber: e.cardNumber,
        amountMinor: e.items.reduce((s, l) => s + l.quantity * l.unitPriceMinor, 0),
        currency: 'KZT',
        items: e.items,
      }),
    refund: (e) =>
      answered(e.after, (b) => b.outcome === 'approved')
        ? post('refund', `/charges/${e.after.result.body.id}/refunds`, { ...terminal(e.after.terminal), 'idempotency-key': randomUUID() }, { amountMinor: e.amountMinor, reason: 'returned goods' })
        : null,
    call: (e) => post('call authorise', '/calls', terminal(e.terminal), { prisonerId: e.prisonerId, dialedNumber: e.dialedNumber }),
    'call-end': (e) =>
      answered(e.after, (b) => b.outcome === 'authorized')
        ? post('call end', `/calls/${e.after.result.body.id}/end`, terminal(e.after.terminal), { durationSeconds: e.durationSeconds }, [200])
        : null,
    parcel: (e) => post('parcel intake', `/facilities/${e.terminal.facilityId}/parcels`, terminal(e.terminal), e.body),
    visit: (e) => {
      const { startInDays, ...body } = e.body;
      // 409: no room free those dates; 422: over the prisoner's entitlement (both are answers)
      return post('long-visit booking', '/long-visits', bearer('relative', e.relativeId), { ...body, startDate: addDays(ctx.day, startInDays) }, [201, 409, 422]);
    },
    deposit: (e) =>
      post('deposit (PaymentIntent)', '/deposits', { ...bearer('relative', e.relativeId), 'idempotency-key': randomUUID() }, { prisonerId: e.prisonerId, amountMinor: e.amountMinor, currency: 'KZT' }),
    webhook: async (e) => {
      if (e.redelivery) {
        if (!e.after.stripeEvent) return null;
        e.stripeEvent = e.after.stripeEvent;
      } else {
        if (!answered(e.after, (b) => b.paymentIntentId)) return null;
        e.stripeEvent = await ctx.stripe.pay(e.after.result.body.paymentIntentId, e.after.declined ? 'declined' : 'succeeded');
      }
      const payload = JSON.stringify(e.stripeEvent);
      return {
        label: e.redelivery ? 'webhook, delivered again' : 'webhook (signed)',
        method: 'POST',
        path: `${API}/webhooks/stripe`,
        headers: { 'content-type': 'application/json', 'stripe-signature': stripeSignature(payload, ctx.stripe.webhookSecret, Math.floor(now() / 1000)) },
        body: payload,
        expect: [200],
      };
    },
    policy: (e) => {
      const etag = etags.get(e.terminal.id);
      const req = get(etag ? 'policy revalidation' : 'policy, first read', `/facilities/${e.terminal.facilityId}/policy`, { ...terminal(e.terminal), ...(etag ? { 'if-none-match': etag } : {}) }, [200, 304]);
      req.onHeaders = (headers) => headers.etag && etags.set(e.terminal.id, headers.etag);
      return req;
    },
    staff: (e) => {
      const auth = bearer('staff', ctx.staffIds[e.facility]);
      const fid = ctx.facilities[e.facility].id;
      const url = {
        prisoner: `/prisoners/${e.prisonerId}`,
        account: `/prisoners/${e.prisonerId}/account`,
        allowance: `/prisoners/${e.prisonerId}/parcel-allowance`,
        visits: `/facilities/${fid}/long-visits?from=${ctx.day}&to=${addDays(ctx.day, 30)}`,
      }[e.what];
      return get('staff read', url, auth);
    },
  };
  return (e) => builders[e.kind](e);
}
