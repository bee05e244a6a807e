// What the bench's setup scripts share: a JSON call to a running server's API, a small worker pool,
// and the facilities-with-a-terminal and funded-prisoner steps every scenario starts from.
import { randomUUID } from 'node:crypto';

/** `path` under `base`; a body is sent as JSON; a non-2xx answer throws with its text. */
export async function api(base, path, { method = 'GET', headers = {}, body } = {}) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return res.status === 204 ? null : res.json();
}

/** `fn` over `items`, `n` at a time; the answers in the items' order. */
export async function pool(n, items, fn) {
  const out = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: n }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i], i);
      }
    }),
  );
  return out;
}

/** `count` facilities (`facility(i)` is each one's body), each with one terminal of `kind`. */
export function facilitiesWithTerminal(base, auth, count, facility, terminal) {
  return pool(10, Array.from({ length: count }, (_, i) => i), async (i) => {
    const f = await api(base, '/api/v1/facilities', { method: 'POST', headers: auth, body: facility(i) });
    const t = await api(base, `/api/v1/facilities/${f.id}/terminals`, { method: 'POST', headers: auth, body: terminal });
    return { facilityId: f.id, apiKey: t.apiKey };
  });
}

/** A prisoner registered in `facilityId` with `amountMinor` paid in at the cash desk. */
export async function fundedPrisoner(base, auth, facilityId, prisoner, amountMinor) {
  const p = await api(base, `/api/v1/facilities/${facilityId}/prisoners`, { method: 'POST', headers: auth, body: prisoner });
  await api(base, `/api/v1/prisoners/${p.id}/cash-deposits`, {
    method: 'POST',
    headers: { ...auth, 'idempotency-key': randomUUID() },
    body: { amountMinor, currency: 'KZT', receiptNumber: prisoner.personalNumber },
  });
  return p;
}
