// Data for the charge scenarios, made through the API of a running server: facilities, commissary
// terminals, prisoners with a card and a cash deposit each.
import { randomUUID } from 'node:crypto';

async function json(base, path, { method = 'GET', headers = {}, body } = {}) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return res.status === 204 ? null : res.json();
}

async function pool(n, items, fn) {
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

/** Returns `{ cards: [{ cardNumber, apiKey, facilityId }] }` for `wallets` prisoners spread over `facilities`. */
export async function setupWallets(base, auth, { facilities, wallets, tag, balanceMinor = 100_000_000 }) {
  const fs = await pool(10, Array.from({ length: facilities }, (_, i) => i), async (i) => {
    const f = await json(base, '/api/v1/facilities', {
      method: 'POST',
      headers: auth,
      body: { code: `B-${tag}-${i}`, name: `Bench ${tag} ${i}`, timeZone: i % 2 ? 'Asia/Aqtobe' : 'Asia/Almaty' },
    });
    const t = await json(base, `/api/v1/facilities/${f.id}/terminals`, {
      method: 'POST',
      headers: auth,
      body: { kind: 'commissary', name: 'bench till' },
    });
    return { facilityId: f.id, apiKey: t.apiKey };
  });
  const cards = await pool(20, Array.from({ length: wallets }, (_, i) => i), async (i) => {
    const f = fs[i % facilities];
    const p = await json(base, `/api/v1/facilities/${f.facilityId}/prisoners`, {
      method: 'POST',
      headers: auth,
      body: { personalNumber: `B${tag}-${i}`, fullName: `Bench ${i}`, securityLevel: 'medium' },
    });
    const card = await json(base, `/api/v1/prisoners/${p.id}/cards`, { method: 'POST', headers: auth });
    await json(base, `/api/v1/prisoners/${p.id}/cash-deposits`, {
      method: 'POST',
      headers: { ...auth, 'idempotency-key': randomUUID() },
      body: { amountMinor: balanceMinor, currency: 'KZT', receiptNumber: `B${tag}-${i}` },
    });
    return { cardNumber: card.cardNumber, apiKey: f.apiKey, facilityId: f.facilityId, prisonerId: p.id };
  });
  return { cards };
}
