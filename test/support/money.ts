import { randomUUID } from 'node:crypto';
import { API, TestApp } from './test-app';

/** A wallet's figures as `GET /prisoners/{id}/account` gives them. */
export interface AccountFigures {
  balanceMinor: number;
  heldMinor: number;
  availableMinor: number;
  spentThisMonthMinor: number;
  monthlyLimitMinor: number;
}

/**
 * The money calls the card tests make again and again, as the national administrator and a shop
 * till. Both are read when a call is sent (they are made in a beforeAll).
 */
export function moneyCalls(app: () => TestApp, shopKey: () => string) {
  const admin = () => ({ authorization: `Bearer ${app().adminToken}` });
  return {
    /** Issues a card; its number is registered as a secret the logs must not show. */
    async issueCard(
      prisonerId: string,
    ): Promise<{ id: string; cardNumber: string; last4: string }> {
      const res = await app()
        .http.post(`${API}/prisoners/${prisonerId}/cards`)
        .set(admin())
        .expect(201);
      app().secrets.add(res.body.cardNumber);
      return res.body;
    },
    cash: (prisonerId: string, amountMinor: number, receipt = `R-${randomUUID().slice(0, 8)}`) =>
      app()
        .http.post(`${API}/prisoners/${prisonerId}/cash-deposits`)
        .set(admin())
        .set('idempotency-key', randomUUID())
        .send({ amountMinor, currency: 'KZT', receiptNumber: receipt }),
    /** One item of tea at the whole amount. */
    charge: (cardNumber: string, amountMinor: number, key = randomUUID(), apiKey = shopKey()) =>
      app()
        .http.post(`${API}/charges`)
        .set('x-api-key', apiKey)
        .set('idempotency-key', key)
        .send({
          cardNumber,
          amountMinor,
          currency: 'KZT',
          items: [{ description: 'tea', quantity: 1, unitPriceMinor: amountMinor }],
        }),
    account: async (prisonerId: string): Promise<AccountFigures> =>
      (await app().http.get(`${API}/prisoners/${prisonerId}/account`).set(admin()).expect(200))
        .body,
  };
}
