// Data for the charge scenarios, made through the API of a running server: facilities, commissary
// terminals, prisoners with a card and a cash deposit each.
import { randomUUID } from 'node:crypto';
import { api, facilitiesWithTerminal, fundedPrisoner, pool } from './api.mjs';

/** Returns `{ cards: [{ cardNumber, apiKey, facilityId }] }` for `wallets` prisoners spread over `facilities`. */
export async function setupWallets(base, auth, { facilities, wallets, tag, balanceMinor = 100_000_000 }) {
  const fs = await facilitiesWithTerminal(
    base,
    auth,
    facilities,
    (i) => ({ code: `B-${tag}-${i}`, name: `Bench ${tag} ${i}`, timeZone: i % 2 ? 'Asia/Aqtobe' : 'Asia/Almaty' }),
    { kind: 'commissary', name: 'bench till' },
  );
  const cards = await pool(20, Array.from({ length: wallets }, (_, i) => i), async (i) => {
    const f = fs[i % facilities];
    const p = await fundedPrisoner(
      base,
      auth,
      f.facilityId,
      { personalNumber: `B${tag}-${i}`, fullName: `Bench ${i}`, securityLevel: 'medium' },
      balanceMinor,
    );
    const card = await api(base, `/api/v1/prisoners/${p.id}/cards`, { method: 'POST', headers: auth });
    return { cardNumber: card.cardNumber, apiKey: f.apiKey, facilityId: f.facilityId, prisonerId: p.id };
  });
  return { cards };
}

/** autocannon's options for charging 1.00 to the card `next()` gives, each with a fresh Idempotency-Key. */
export function chargeRequests(base, next) {
  return {
    url: `${base}/api/v1/charges`,
    method: 'POST',
    requests: [
      {
        setupRequest: (req) => {
          const c = next();
          return {
            ...req,
            headers: { 'content-type': 'application/json', 'x-api-key': c.apiKey, 'idempotency-key': randomUUID() },
            body: JSON.stringify({
              cardNumber: c.cardNumber,
              amountMinor: 100,
              currency: 'KZT',
              items: [{ description: 'tea', quantity: 1, unitPriceMinor: 100 }],
            }),
          };
        },
      },
    ],
  };
}
