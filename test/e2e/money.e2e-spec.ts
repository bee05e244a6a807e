import { randomUUID } from 'node:crypto';
import Stripe from 'stripe';
import { isValidCardNumber } from '../../src/modules/cards/domain/card-number';
import { moneyCalls } from '../support/money';
import { API, Relative, TestApp } from '../support/test-app';

interface Decision {
  id: string;
  outcome: 'approved' | 'declined';
  reasons: Array<{ code: string }>;
  balanceAfterMinor: number | null;
}

describe('cards and the ledger: charges, refunds, deposits, idempotency, reconciliation', () => {
  let t: TestApp;
  let facility: { id: string };
  let shopKey: string;
  const admin = () => ({ authorization: `Bearer ${t.adminToken}` });
  const item = (priceMinor: number) => [
    { description: 'tea', quantity: 1, unitPriceMinor: priceMinor },
  ];

  beforeAll(async () => {
    t = await TestApp.start();
    facility = await t.createFacility({ timeZone: 'Asia/Almaty' });
    shopKey = (await t.createTerminal(facility.id, 'commissary', 'Shop till')).apiKey;
  });
  afterAll(() => t.close());
  const { issueCard, cash, charge, account } = moneyCalls(
    () => t,
    () => shopKey,
  );

  it('issues a card once: 16 digits with a Luhn check, stored as an HMAC and last four; a new card blocks the old', async () => {
    const p = await t.createPrisoner(facility.id);
    const first = await issueCard(p.id);
    expect(isValidCardNumber(first.cardNumber)).toBe(true);
    expect(first.last4).toBe(first.cardNumber.slice(-4));
    const stored = await t.sql<Record<string, string>>('SELECT * FROM cards WHERE id = $1', [
      first.id,
    ]);
    expect(JSON.stringify(stored)).not.toContain(first.cardNumber);
    const second = await issueCard(p.id);
    const list = await t.http.get(`${API}/prisoners/${p.id}/cards`).set(admin()).expect(200);
    expect(list.body.map((c: { id: string; status: string }) => [c.id, c.status])).toEqual([
      [first.id, 'blocked'],
      [second.id, 'active'],
    ]);
    expect(JSON.stringify(list.body)).not.toContain(second.cardNumber);
    await cash(p.id, 10_000).expect(201);
    const old = (await charge(first.cardNumber, 100).expect(201)).body as Decision;
    expect(old.reasons.map((r) => r.code)).toEqual(['CARD_BLOCKED']);
    // unblocking the old one while the new is active is refused
    await t.http.post(`${API}/cards/${first.id}/unblock`).set(admin()).expect(409);
  });

  it('approves exactly 4 of 30 concurrent charges of 10.00 on a 40.00 wallet; the balance ends at 0', async () => {
    const p = await t.createPrisoner(facility.id, {
      securityLevel: 'medium',
      conditions: 'ordinary',
    });
    const card = await issueCard(p.id);
    await cash(p.id, 4000).expect(201);
    const results = await Promise.all(
      Array.from({ length: 30 }, () => charge(card.cardNumber, 1000)),
    );
    expect(results.map((r) => r.status)).toEqual(Array(30).fill(201));
    const decisions = results.map((r) => r.body as Decision);
    expect(decisions.filter((d) => d.outcome === 'approved')).toHaveLength(4);
    expect(
      decisions
        .filter((d) => d.outcome === 'declined')
        .every((d) => d.reasons.some((r) => r.code === 'INSUFFICIENT_FUNDS')),
    ).toBe(true);
    expect((await account(p.id)).balanceMinor).toBe(0);
    const approvedAfter = decisions
      .filter((d) => d.outcome === 'approved')
      .map((d) => d.balanceAfterMinor)
      .sort();
    expect(approvedAfter).toEqual([0, 1000, 2000, 3000]);
  });

  it('charges 40 wallets of one facility at once: every charge approved, its audit event in a lane, the lanes unbroken', async () => {
    const f = await t.createFacility({ timeZone: 'Asia/Aqtobe' });
    const till = (await t.createTerminal(f.id, 'commissary', 'Busy till')).apiKey;
    const wallets = await Promise.all(
      Array.from({ length: 40 }, async () => {
        const p = await t.createPrisoner(f.id);
        const card = await issueCard(p.id);
        await cash(p.id, 5_000).expect(201);
        return { prisonerId: p.id, cardNumber: card.cardNumber };
      }),
    );
    const results = await Promise.all(
      wallets.map((w) => charge(w.cardNumber, 1_250, randomUUID(), till)),
    );
    expect(results.map((r) => r.status)).toEqual(Array(40).fill(201));
    expect(results.every((r) => (r.body as Decision).outcome === 'approved')).toBe(true);
    for (const w of wallets.slice(0, 3))
      expect((await account(w.prisonerId)).balanceMinor).toBe(3_750);
    // every decision has its event; with 40 at once, the facility's trail used several lanes
    const events = await t.sql<{ chain_key: string; n: number }>(
      `SELECT chain_key, count(*)::int AS n FROM audit_events
        WHERE facility_id = $1 AND action = 'charge.approve' GROUP BY chain_key`,
      [f.id],
    );
    expect(events.reduce((n, e) => n + e.n, 0)).toBe(40);
    expect(events.length).toBeGreaterThan(1);
    const v = await t.http.get(`${API}/audit/verify`).set(admin()).expect(200);
    expect(v.body.ok).toBe(true);
  });

  it('moves money once for 20 concurrent requests with one Idempotency-Key; the rest replay or get 409', async () => {
    const p = await t.createPrisoner(facility.id);
    const card = await issueCard(p.id);
    await cash(p.id, 50_000).expect(201);
    const key = randomUUID();
    const results = await Promise.all(
      Array.from({ length: 20 }, () => charge(card.cardNumber, 700, key)),
    );
    for (const r of results) expect([201, 409]).toContain(r.status);
    const firsts = results.filter((r) => r.status === 201 && !r.headers['idempotent-replayed']);
    expect(firsts).toHaveLength(1);
    const replays = results.filter((r) => r.headers['idempotent-replayed'] === 'true');
    for (const r of replays) expect(r.body).toEqual(firsts[0].body);
    expect((await account(p.id)).balanceMinor).toBe(50_000 - 700);
    // later: replay with the stored answer; another body → 422; no key → 400
    const again = await charge(card.cardNumber, 700, key).expect(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body.id).toBe(firsts[0].body.id);
    const other = await charge(card.cardNumber, 800, key).expect(422);
    expect(other.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
    const none = await t.http
      .post(`${API}/charges`)
      .set('x-api-key', shopKey)
      .send({ cardNumber: card.cardNumber, amountMinor: 100, currency: 'KZT', items: item(100) })
      .expect(400);
    expect(none.body.code).toBe('IDEMPOTENCY_KEY_REQUIRED');
    expect((await account(p.id)).balanceMinor).toBe(50_000 - 700);
  });

  it('declines over the monthly limit with MONTHLY_LIMIT (level and conditions × the MCI)', async () => {
    // extreme security, strict conditions: 1.5 MCI a month (illustrative default); 2026 MCI = 4 325 tenge
    const p = await t.createPrisoner(facility.id, {
      securityLevel: 'extreme',
      conditions: 'strict',
    });
    const card = await issueCard(p.id);
    await cash(p.id, 1_000_000).expect(201);
    const acc = await account(p.id);
    expect(acc.monthlyLimitMinor).toBe(Math.floor(1.5 * 432_500));
    const first = (await charge(card.cardNumber, 600_000).expect(201)).body as Decision;
    expect(first.outcome).toBe('approved');
    const over = (await charge(card.cardNumber, 48_751).expect(201)).body as Decision;
    expect(over.reasons.map((r) => r.code)).toEqual(['MONTHLY_LIMIT']);
    const fits = (await charge(card.cardNumber, 48_750).expect(201)).body as Decision;
    expect(fits.outcome).toBe('approved');
    expect((await account(p.id)).spentThisMonthMinor).toBe(648_750);
  });

  it('refunds what is left of a charge and no more; the money and the limit come back', async () => {
    const p = await t.createPrisoner(facility.id);
    const card = await issueCard(p.id);
    await cash(p.id, 10_000).expect(201);
    const c = (await charge(card.cardNumber, 3000).expect(201)).body as Decision;
    const refund = (amountMinor: number, key = randomUUID()) =>
      t.http
        .post(`${API}/charges/${c.id}/refunds`)
        .set('x-api-key', shopKey)
        .set('idempotency-key', key)
        .send({ amountMinor, reason: 'spoiled' });
    const r1 = await refund(1000).expect(201);
    expect(r1.body).toMatchObject({
      refundedTotalMinor: 1000,
      remainingMinor: 2000,
      balanceAfterMinor: 8000,
    });
    const tooMuch = await refund(2001).expect(422);
    expect(tooMuch.body.code).toBe('REFUND_EXCEEDS_CHARGE');
    // concurrent refunds racing for the last 2000: at most 2000 goes back
    const race = await Promise.all([1, 2, 3, 4].map(() => refund(1000)));
    expect(race.map((r) => r.status).sort()).toEqual([201, 201, 422, 422]);
    expect((await account(p.id)).balanceMinor).toBe(10_000);
    expect((await account(p.id)).spentThisMonthMinor).toBe(0);
    const declined = (await charge('9398000000000000', 100).expect(201)).body as Decision;
    await t.http
      .post(`${API}/charges/${declined.id}/refunds`)
      .set('x-api-key', shopKey)
      .set('idempotency-key', randomUUID())
      .send({ amountMinor: 1, reason: 'x' })
      .expect(422);
    // an operator of another facility cannot see the charge at all
    const other = await t.createFacility();
    const operator = await t.createStaff(['commissary-operator'], [other.id]);
    await t.http
      .post(`${API}/charges/${c.id}/refunds`)
      .auth(operator.token, { type: 'bearer' })
      .set('idempotency-key', randomUUID())
      .send({ amountMinor: 1, reason: 'x' })
      .expect(404);
  });

  it('refuses a card from another facility’s shop terminal, and unknown or blocked cards', async () => {
    const p = await t.createPrisoner(facility.id);
    const card = await issueCard(p.id);
    await cash(p.id, 10_000).expect(201);
    const other = await t.createFacility();
    const otherShop = (await t.createTerminal(other.id, 'commissary')).apiKey;
    const foreign = (await charge(card.cardNumber, 100, randomUUID(), otherShop).expect(201))
      .body as Decision;
    expect(foreign).toMatchObject({ outcome: 'declined', balanceAfterMinor: null });
    expect(foreign.reasons.map((r) => r.code)).toEqual(['UNKNOWN_CARD']);
    const unknown = (await charge('4111111111111111', 100).expect(201)).body as Decision;
    expect(unknown.reasons.map((r) => r.code)).toEqual(['UNKNOWN_CARD']);
    await t.http
      .post(`${API}/cards/${card.id}/block`)
      .set(admin())
      .send({ reason: 'lost' })
      .expect(200);
    const blocked = (await charge(card.cardNumber, 100).expect(201)).body as Decision;
    expect(blocked.reasons.map((r) => r.code)).toEqual(['CARD_BLOCKED']);
    await t.http.post(`${API}/cards/${card.id}/block`).set(admin()).send({}).expect(422);
    await t.http.post(`${API}/cards/${card.id}/unblock`).set(admin()).expect(200);
    expect(((await charge(card.cardNumber, 100).expect(201)).body as Decision).outcome).toBe(
      'approved',
    );
    // a payphone key cannot charge
    const payphone = (await t.createTerminal(facility.id, 'payphone')).apiKey;
    await charge(card.cardNumber, 100, randomUUID(), payphone).expect(403);
    expect((await account(p.id)).balanceMinor).toBe(9_900);
  });

  it('answers bad money input with 400 and moves nothing', async () => {
    const p = await t.createPrisoner(facility.id);
    const card = await issueCard(p.id);
    await cash(p.id, 10_000).expect(201);
    const good = {
      cardNumber: card.cardNumber,
      amountMinor: 100,
      currency: 'KZT',
      items: item(100),
    };
    const cases: Array<[string, Record<string, unknown>]> = [
      [
        'float amount',
        {
          ...good,
          amountMinor: 1.5,
          items: [{ description: 'x', quantity: 1, unitPriceMinor: 1.5 }],
        },
      ],
      ['negative amount', { ...good, amountMinor: -100 }],
      ['zero', { ...good, amountMinor: 0 }],
      ['amount as text', { ...good, amountMinor: '100' }],
      ['huge amount', { ...good, amountMinor: 2 ** 60 }],
      ['other currency', { ...good, currency: 'USD' }],
      ['short card number', { ...good, cardNumber: '1234' }],
      ['items do not add up', { ...good, items: item(99) }],
      ['no items', { ...good, items: [] }],
    ];
    for (const [name, body] of cases) {
      const res = await t.http
        .post(`${API}/charges`)
        .set('x-api-key', shopKey)
        .set('idempotency-key', randomUUID())
        .send(body);
      expect({ name, status: res.status }).toEqual({ name, status: 400 });
    }
    const dupReceipt = `R-${randomUUID().slice(0, 8)}`;
    await cash(p.id, 100, dupReceipt).expect(201);
    const dup = await cash(p.id, 100, dupReceipt).expect(409);
    expect(dup.body.code).toBe('RECEIPT_TAKEN');
    expect((await account(p.id)).balanceMinor).toBe(10_100);
  });

  describe('deposits by card through Stripe', () => {
    let relative: Relative;
    let prisoner: { id: string; facilityId: string };

    beforeAll(async () => {
      prisoner = await t.createPrisoner(facility.id);
      relative = await t.createRelative();
      await t.linkRelative(relative, prisoner);
    });

    const deposit = (
      amountMinor: number,
      key = randomUUID(),
      who = relative,
      prisonerId = prisoner.id,
    ) =>
      t.http
        .post(`${API}/deposits`)
        .auth(who.token, { type: 'bearer' })
        .set('idempotency-key', key)
        .send({ prisonerId, amountMinor, currency: 'KZT' });

    it('creates a PaymentIntent and credits the wallet once when Stripe says it succeeded', async () => {
      const before = (await account(prisoner.id)).balanceMinor;
      const res = await deposit(250_000).expect(201);
      expect(res.body).toMatchObject({ status: 'pending', amountMinor: 250_000, currency: 'KZT' });
      expect(res.body.clientSecret).toMatch(/^pi_.+_secret_/);
      t.secrets.add(res.body.clientSecret);
      const pi = t.stripe.intents.get(res.body.paymentIntentId)!;
      expect(pi).toMatchObject({
        amount: 250_000,
        currency: 'kzt',
        metadata: { depositId: res.body.id },
      });

      const event = await t.stripe.pay(pi.id); // delivered once by the mock
      // Stripe delivers again, twice more, and someone tries a forged copy
      expect(await t.stripe.deliver(event)).toBe(200);
      expect(await t.stripe.deliver(event)).toBe(200);
      expect(await t.stripe.deliver(event, 't=1,v1=deadbeef')).toBe(400);
      const forged = {
        ...event,
        id: 'evt_forged',
        data: { object: { ...event.data.object, amount: 99_999_999 } },
      };
      expect(await t.stripe.deliver(forged as typeof event, 't=1,v1=' + 'ab'.repeat(32))).toBe(400);
      expect((await account(prisoner.id)).balanceMinor).toBe(before + 250_000);
      const credits = await t.sql(`SELECT 1 FROM ledger_entries WHERE reference_id = $1`, [
        res.body.id,
      ]);
      expect(credits).toHaveLength(1);
    });

    it('signs with the SDK’s own test header: a valid signature credits, a stale or wrong one does not', async () => {
      const sdk = new Stripe('sk_test_x');
      const res = await deposit(10_000).expect(201);
      const pi = {
        ...t.stripe.intents.get(res.body.paymentIntentId)!,
        status: 'succeeded' as const,
      };
      const payload = JSON.stringify({
        id: 'evt_sdk_1',
        object: 'event',
        type: 'payment_intent.succeeded',
        data: { object: pi },
      });
      const send = (signature: string) =>
        t.http
          .post(`${API}/webhooks/stripe`)
          .set('content-type', 'application/json')
          .set('stripe-signature', signature)
          .send(payload);
      const wrong = sdk.webhooks.generateTestHeaderString({ payload, secret: 'whsec_wrong' });
      await send(wrong).expect(400);
      const stale = sdk.webhooks.generateTestHeaderString({
        payload,
        secret: t.stripe.webhookSecret,
        timestamp: Math.floor(Date.now() / 1000) - 3600,
      });
      await send(stale).expect(400);
      const good = sdk.webhooks.generateTestHeaderString({
        payload,
        secret: t.stripe.webhookSecret,
      });
      const ok = await send(good).expect(200);
      expect(ok.body.result).toBe('credited');
      expect((await send(good).expect(200)).body.result).toBe('duplicate');
    });

    it('handles events out of order: a late failure does not undo a success; a success after a failure credits', async () => {
      const a = await deposit(5_000).expect(201);
      const piA = a.body.paymentIntentId as string;
      const succeeded = await t.stripe.pay(piA);
      const failedLate = await t.stripe.emit('payment_intent.payment_failed', {
        ...t.stripe.intents.get(piA)!,
        status: 'requires_payment_method',
        last_payment_error: { code: 'card_declined', message: 'late' },
      });
      expect(succeeded.type).toBe('payment_intent.succeeded');
      expect(failedLate.type).toBe('payment_intent.payment_failed');
      const depA = await t.sql<{ status: string }>('SELECT status FROM deposits WHERE id = $1', [
        a.body.id,
      ]);
      expect(depA[0].status).toBe('succeeded');

      const b = await deposit(7_000).expect(201);
      await t.stripe.pay(b.body.paymentIntentId, 'declined');
      expect(
        (
          await t.sql<{ status: string }>('SELECT status FROM deposits WHERE id = $1', [b.body.id])
        )[0].status,
      ).toBe('failed');
      const before = (await account(prisoner.id)).balanceMinor;
      await t.stripe.pay(b.body.paymentIntentId); // the customer tried another card on the same intent
      expect(
        (
          await t.sql<{ status: string }>('SELECT status FROM deposits WHERE id = $1', [b.body.id])
        )[0].status,
      ).toBe('succeeded');
      expect((await account(prisoner.id)).balanceMinor).toBe(before + 7_000);
    });

    it('does not lose money when the webhook is lost: reconciliation asks Stripe', async () => {
      const res = await deposit(12_345).expect(201);
      t.stripe.deliverWebhooks = false;
      try {
        await t.stripe.pay(res.body.paymentIntentId);
      } finally {
        t.stripe.deliverWebhooks = true;
      }
      expect(
        (
          await t.sql<{ status: string }>('SELECT status FROM deposits WHERE id = $1', [
            res.body.id,
          ])
        )[0].status,
      ).toBe('pending');
      const before = (await account(prisoner.id)).balanceMinor;
      const rec = await t.http.post(`${API}/deposits/reconcile`).set(admin()).expect(200);
      expect(rec.body.changed).toBeGreaterThanOrEqual(1);
      expect((await account(prisoner.id)).balanceMinor).toBe(before + 12_345);
      // and again: nothing more
      await t.http.post(`${API}/deposits/reconcile`).set(admin()).expect(200);
      expect((await account(prisoner.id)).balanceMinor).toBe(before + 12_345);
    });

    it('replays a deposit request with the same key, refuses another body, and needs a key', async () => {
      const key = randomUUID();
      const first = await deposit(3_000, key).expect(201);
      const again = await deposit(3_000, key).expect(201);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(again.body).toEqual(first.body);
      expect(t.stripe.intents.size).toBeGreaterThan(0);
      await deposit(3_001, key).expect(422);
      await t.http
        .post(`${API}/deposits`)
        .auth(relative.token, { type: 'bearer' })
        .send({ prisonerId: prisoner.id, amountMinor: 1, currency: 'KZT' })
        .expect(400);
    });

    it('refuses deposits over the limit, and to prisoners the relative is not linked to (404)', async () => {
      const big = await deposit(10_000_001).expect(422);
      expect(big.body.code).toBe('DEPOSIT_TOO_LARGE');
      const other = await t.createPrisoner(facility.id);
      await deposit(100, randomUUID(), relative, other.id).expect(404);
      const stranger = await t.createRelative();
      await deposit(100, randomUUID(), stranger).expect(404);
      await t.http
        .get(`${API}/prisoners/${prisoner.id}/account`)
        .auth(stranger.token, { type: 'bearer' })
        .expect(404);
      const mine = await t.http
        .get(`${API}/prisoners/${prisoner.id}/account`)
        .auth(relative.token, { type: 'bearer' })
        .expect(200);
      expect(mine.body.currency).toBe('KZT');
    });
  });

  it('gives a statement with running balances', async () => {
    const p = await t.createPrisoner(facility.id);
    const card = await issueCard(p.id);
    await cash(p.id, 5_000).expect(201);
    await charge(card.cardNumber, 1_200).expect(201);
    await charge(card.cardNumber, 300).expect(201);
    const s = await t.http
      .get(`${API}/prisoners/${p.id}/account/statement`)
      .set(admin())
      .expect(200);
    expect(
      s.body.items.map((i: { kind: string; amountMinor: number; balanceAfterMinor: number }) => [
        i.kind,
        i.amountMinor,
        i.balanceAfterMinor,
      ]),
    ).toEqual([
      ['cash-deposit', 5000, 5000],
      ['charge', -1200, 3800],
      ['charge', -300, 3500],
    ]);
    await t.http
      .get(`${API}/prisoners/${p.id}/account/statement`)
      .query({ from: 'yesterday' })
      .set(admin())
      .expect(400);
  });

  it('keeps the ledger append-only and balanced in the database itself', async () => {
    const [posting] = await t.sql<{ id: string; entry_id: string }>(
      'SELECT id, entry_id FROM ledger_postings LIMIT 1',
    );
    await expect(
      t.sql('UPDATE ledger_postings SET amount_minor = 1 WHERE id = $1', [posting.id]),
    ).rejects.toThrow(/append-only/);
    await expect(
      t.sql('DELETE FROM ledger_entries WHERE id = $1', [posting.entry_id]),
    ).rejects.toThrow(/append-only/);
    const [wallet] = await t.sql<{ id: string }>(
      `SELECT id FROM ledger_accounts WHERE kind = 'prisoner-wallet' LIMIT 1`,
    );
    await expect(
      t.sql(`UPDATE ledger_accounts SET balance_minor = -1 WHERE id = $1`, [wallet.id]),
    ).rejects.toThrow(/check/i);
    const entry = randomUUID();
    await expect(
      t.sql(`
        BEGIN;
        INSERT INTO ledger_entries (id, kind, reference_id, created_at) VALUES ('${entry}', 'correction', gen_random_uuid(), now());
        INSERT INTO ledger_postings (entry_id, account_id, amount_minor, currency, created_at)
          VALUES ('${entry}', '${wallet.id}', 100, 'KZT', now());
        COMMIT;`),
    ).rejects.toThrow(/does not balance/);
  });
});

describe('reconciliation reports damage done behind the app’s back', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await TestApp.start();
  });
  afterAll(() => t.close({ ledgerIntact: false }));

  it('is clean, then names the wallet whose balance was changed by hand', async () => {
    const f = await t.createFacility();
    const p = await t.createPrisoner(f.id);
    await t.http
      .post(`${API}/prisoners/${p.id}/cash-deposits`)
      .auth(t.adminToken, { type: 'bearer' })
      .set('idempotency-key', randomUUID())
      .send({ amountMinor: 5_000, currency: 'KZT', receiptNumber: 'R-1' })
      .expect(201);
    const clean = await t.http
      .get(`${API}/ledger/reconciliation`)
      .auth(t.adminToken, { type: 'bearer' })
      .expect(200);
    expect(clean.body).toMatchObject({ ok: true, mismatches: [] });
    expect(clean.body.entriesChecked).toBeGreaterThan(0);
    const [wallet] = await t.sql<{ id: string }>(
      `SELECT id FROM ledger_accounts WHERE prisoner_id = $1`,
      [p.id],
    );
    await t.sql(`UPDATE ledger_accounts SET balance_minor = 999999 WHERE id = $1`, [wallet.id]);
    const dirty = await t.http
      .get(`${API}/ledger/reconciliation`)
      .auth(t.adminToken, { type: 'bearer' })
      .expect(200);
    expect(dirty.body.ok).toBe(false);
    expect(dirty.body.mismatches).toEqual(
      expect.arrayContaining([expect.objectContaining({ check: 'wallet-balance', id: wallet.id })]),
    );
  });
});
