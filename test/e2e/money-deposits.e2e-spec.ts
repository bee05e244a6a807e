import { randomUUID } from 'node:crypto';
import { moneyCalls } from '../support/money';
import { API, Relative, TestApp } from '../support/test-app';

describe('deposits: receipts ignore case; a Stripe payment of another amount is recorded, not retried', () => {
  let t: TestApp;
  let facility: { id: string };
  const admin = () => ({ authorization: `Bearer ${t.adminToken}` });
  const { cash, account } = moneyCalls(
    () => t,
    () => '',
  );
  const balance = async (prisonerId: string) => (await account(prisonerId)).balanceMinor;
  /** A relative's deposit request for a prisoner, under `key`. */
  const depositAs =
    (relative: Relative, prisoner: { id: string }) => (amountMinor: number, key: string) =>
      t.http
        .post(`${API}/deposits`)
        .auth(relative.token, { type: 'bearer' })
        .set('idempotency-key', key)
        .send({ prisonerId: prisoner.id, amountMinor, currency: 'KZT' });

  beforeAll(async () => {
    t = await TestApp.start();
    facility = await t.createFacility();
  });
  // the mismatched payment stays in the reconciliation until a person settles it
  afterAll(() => t.close({ ledgerIntact: false }));

  it('takes RC-x and rc-x for the same cash receipt in a facility (409), not in another', async () => {
    const p = await t.createPrisoner(facility.id);
    const receipt = `RC-${randomUUID().slice(0, 8)}`.toUpperCase();
    await cash(p.id, 1_000, receipt).expect(201);
    const again = await cash(p.id, 1_000, receipt.toLowerCase()).expect(409);
    expect(again.body.code).toBe('RECEIPT_TAKEN');
    const mixed = await cash(p.id, 1_000, `rC-${receipt.slice(3)}`).expect(409);
    expect(mixed.body.code).toBe('RECEIPT_TAKEN');
    expect(await balance(p.id)).toBe(1_000);
    const elsewhere = await t.createFacility();
    const q = await t.createPrisoner(elsewhere.id);
    await cash(q.id, 500, receipt.toLowerCase()).expect(201);
  });

  it('reconciliation names a wallet whose held sum was changed behind the ledger', async () => {
    const p = await t.createPrisoner(facility.id);
    await cash(p.id, 3_000).expect(201);
    const [w] = await t.sql<{ id: string }>(
      `UPDATE ledger_accounts SET held_minor = 700 WHERE prisoner_id = $1 RETURNING id`,
      [p.id],
    );
    const report = await t.http.get(`${API}/ledger/reconciliation`).set(admin()).expect(200);
    expect(report.body.mismatches).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          check: 'wallet-held',
          id: w.id,
          detail: expect.stringContaining('700'),
        }),
      ]),
    );
    await t.sql(`UPDATE ledger_accounts SET held_minor = 0 WHERE id = $1`, [w.id]);
  });

  it('answers a retry while the first request still creates its payment intent 409 IDEMPOTENCY_IN_FLIGHT with Retry-After', async () => {
    const prisoner = await t.createPrisoner(facility.id);
    const relative = await t.createRelative();
    await t.linkRelative(relative, prisoner);
    const send = (key: string) => depositAs(relative, prisoner)(5_000, key);
    const done = await send(randomUUID()).expect(201);
    // a first request with another key, still between recording its deposit and Stripe's answer:
    // the same request (its hash), recorded now, no payment intent yet
    const key = randomUUID();
    await t.sql(
      `INSERT INTO deposits (prisoner_id, facility_id, method, relative_id, amount_minor, currency,
         status, idempotency_key, request_hash, created_by, created_at, updated_at)
       SELECT prisoner_id, facility_id, method, relative_id, amount_minor, currency,
         'creating', $2, request_hash, created_by, created_at, updated_at
         FROM deposits WHERE id = $1`,
      [done.body.id, key],
    );
    const retry = await send(key).expect(409);
    expect(retry.body.code).toBe('IDEMPOTENCY_IN_FLIGHT');
    // whole seconds until the first request counts as crashed and the key resumes it (30 s)
    expect(retry.headers['retry-after']).toMatch(/^[0-9]+$/);
    expect(Number(retry.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(Number(retry.headers['retry-after'])).toBeLessThanOrEqual(30);
    // settled, so that the reconciliation below finds only its own deposit open
    await t.sql(`UPDATE deposits SET status = 'canceled' WHERE idempotency_key = $1`, [key]);
  });

  it('answers a retry whose deposit was closed meanwhile with the deposit as it is, once and for all', async () => {
    const prisoner = await t.createPrisoner(facility.id);
    const relative = await t.createRelative();
    await t.linkRelative(relative, prisoner);
    const before = await balance(prisoner.id);
    const send = (key: string) => depositAs(relative, prisoner)(4_000, key);
    const done = await send(randomUUID()).expect(201);
    // a first request that died after recording its deposit, before Stripe answered, and whose
    // deposit the reconciliation then closed as abandoned: nothing is stored under its key
    const key = randomUUID();
    const [closed] = await t.sql<{ id: string }>(
      `INSERT INTO deposits (prisoner_id, facility_id, method, relative_id, amount_minor, currency,
         status, idempotency_key, request_hash, created_by, created_at, updated_at)
       SELECT prisoner_id, facility_id, method, relative_id, amount_minor, currency,
         'canceled', $2, request_hash, created_by, created_at - interval '1 hour', updated_at
         FROM deposits WHERE id = $1 RETURNING id`,
      [done.body.id, key],
    );
    const retry = await send(key).expect(201);
    expect(retry.body).toMatchObject({
      id: closed.id,
      status: 'canceled',
      paymentIntentId: null,
      clientSecret: '',
    });
    // the answer is kept under the key: the same again, replayed, and no payment intent made
    const intents = t.stripe.intents.size;
    const again = await send(key).expect(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toEqual(retry.body);
    expect(t.stripe.intents.size).toBe(intents);
    expect(await balance(prisoner.id)).toBe(before);
  });

  it('asks Stripe about open deposits in turn: 200 never paid do not hide a lost webhook for ever', async () => {
    const prisoner = await t.createPrisoner(facility.id);
    const relative = await t.createRelative();
    await t.linkRelative(relative, prisoner);
    const send = (amountMinor: number) =>
      depositAs(relative, prisoner)(amountMinor, randomUUID()).expect(201);
    // a checkout the relative never paid: it stays open
    const unpaid = await send(1_500);
    // and 200 more, older ones (stand-ins without a payment intent: nothing to ask, but a turn)
    await t.sql(
      `INSERT INTO deposits (prisoner_id, facility_id, method, relative_id, amount_minor, currency,
         status, idempotency_key, request_hash, created_by, created_at, updated_at)
       SELECT prisoner_id, facility_id, method, relative_id, amount_minor, currency, 'pending',
         'stand-in-' || g, request_hash, created_by,
         created_at - interval '1 hour' + g * interval '1 ms', updated_at
         FROM deposits, generate_series(1, 200) g WHERE id = $1`,
      [unpaid.body.id],
    );
    // then one paid whose webhook was lost
    const lost = await send(2_500);
    t.stripe.deliverWebhooks = false;
    try {
      await t.stripe.pay(lost.body.paymentIntentId);
    } finally {
      t.stripe.deliverWebhooks = true;
    }
    const before = await balance(prisoner.id);
    // a run looks at 200: the first cannot reach it, the next one must
    await t.http.post(`${API}/deposits/reconcile`).set(admin()).expect(200);
    await t.http.post(`${API}/deposits/reconcile`).set(admin()).expect(200);
    expect(await balance(prisoner.id)).toBe(before + 2_500);
    // looking at the unpaid one again and again changed nothing, and left no event each time
    const looks = await t.sql(`SELECT 1 FROM audit_events WHERE target_id = $1 AND action = $2`, [
      unpaid.body.id,
      'deposit.stripe-unchanged',
    ]);
    expect(looks).toEqual([]);
    const [row] = await t.sql<{ checked: boolean }>(
      `SELECT checked_at IS NOT NULL AS checked FROM deposits WHERE id = $1`,
      [unpaid.body.id],
    );
    expect(row.checked).toBe(true);
    // settled, so that the reconciliation below finds only its own deposit open
    await t.sql(`UPDATE deposits SET status = 'canceled' WHERE idempotency_key LIKE 'stand-in-%'`);
  });

  describe('a Stripe payment that does not match its deposit', () => {
    let relative: Relative;
    let prisoner: { id: string; facilityId: string };
    beforeAll(async () => {
      prisoner = await t.createPrisoner(facility.id);
      relative = await t.createRelative();
      await t.linkRelative(relative, prisoner);
    });

    it('is acknowledged (2xx), credits nothing, is audited, and the reconciliation reports it', async () => {
      const res = await depositAs(relative, prisoner)(20_000, randomUUID()).expect(201);
      const before = await balance(prisoner.id);
      // the intent was changed at Stripe (e.g. by hand in the dashboard) before it was paid
      t.stripe.intents.get(res.body.paymentIntentId)!.amount = 2_000;
      const event = await t.stripe.pay(res.body.paymentIntentId);
      expect(t.stripe.deliveries.find((d) => d.eventId === event.id)?.status).toBe(200);
      // Stripe retries; the answer stays a 2xx, and nothing changes
      expect(await t.stripe.deliver(event)).toBe(200);
      const [d] = await t.sql<{ status: string; entry_id: string | null; failure_reason: string }>(
        'SELECT status, entry_id, failure_reason FROM deposits WHERE id = $1',
        [res.body.id],
      );
      expect(d).toMatchObject({ status: 'amount-mismatch', entry_id: null });
      expect(d.failure_reason).toContain('2000');
      expect(await balance(prisoner.id)).toBe(before);
      const events = await t.sql<{ action: string; summary: Record<string, unknown> }>(
        `SELECT action, summary FROM audit_events WHERE target_id = $1 ORDER BY seq`,
        [res.body.id],
      );
      expect(events.map((e) => e.action)).toContain('deposit.stripe-amount-mismatch');
      expect(
        events.find((e) => e.action === 'deposit.stripe-amount-mismatch')!.summary,
      ).toMatchObject({ stripeAmountMinor: 2_000, amountMinor: 20_000 });
      // the deposit reconciler no longer asks Stripe about it, and a forced pass changes nothing
      const rec = await t.http.post(`${API}/deposits/reconcile`).set(admin()).expect(200);
      expect(rec.body.changed).toBe(0);
      const report = await t.http.get(`${API}/ledger/reconciliation`).set(admin()).expect(200);
      expect(report.body.ok).toBe(false);
      expect(report.body.mismatches).toEqual([
        expect.objectContaining({ check: 'deposit-amount-mismatch', id: res.body.id }),
      ]);
      const seen = await t.http
        .get(`${API}/prisoners/${prisoner.id}/account`)
        .auth(relative.token, { type: 'bearer' })
        .expect(200);
      expect(seen.body.balanceMinor).toBe(before);
    });
  });
});
