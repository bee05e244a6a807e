import { randomUUID } from 'node:crypto';
import { API, TestApp } from '../support/test-app';

// Far from the real time, so an instant taken from the database's clock or the process's shows.
const T = new Date('2041-03-09T04:05:06.789Z');
const at = (seconds: number) => new Date(T.getTime() + seconds * 1000);

describe('one source of "now": the rows a use case writes carry its clock’s instant', () => {
  let t: TestApp;
  let facility: { id: string };
  const admin = () => ({ authorization: `Bearer ${t.adminToken}` });

  /** Polls a query until it answers something (writes off the request's path land a little later). */
  async function eventually<R>(read: () => Promise<R | undefined>): Promise<R> {
    for (let i = 0; i < 500; i++) {
      const r = await read();
      if (r !== undefined) return r;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    throw new Error('never happened');
  }

  const lastUsed = (id: string, not?: Date) =>
    eventually(async () => {
      const [row] = await t.sql<{ last_used_at: Date | null }>(
        `SELECT last_used_at FROM terminals WHERE id = $1`,
        [id],
      );
      const v = row.last_used_at;
      return v && v.getTime() !== not?.getTime() ? v.toISOString() : undefined;
    });

  // every write after start-up happens at an instant the test sets (SETUP between tests)
  const SETUP = at(-3600);
  let started: Date;

  beforeAll(async () => {
    t = await TestApp.start();
    started = new Date();
    t.setNow(SETUP);
    facility = await t.createFacility();
  });
  afterAll(() => t.close());
  afterEach(() => t.setNow(SETUP));

  it('stamps a sign-in failure with the clock', async () => {
    t.setNow(T);
    const staff = await t.createStaff(['intake-officer'], [facility.id]);
    await t.http
      .post(`${API}/auth/staff/login`)
      .send({ username: staff.username, password: 'not-the-password-1' })
      .expect(401);
    const rows = await t.sql<{ failed_at: Date }>(
      `SELECT failed_at FROM sign_in_failures WHERE account_key = $1`,
      [staff.username],
    );
    expect(rows.map((r) => r.failed_at.toISOString())).toEqual([T.toISOString()]);
  });

  it('records a terminal’s use, and judges it due for a refresh, by the clock', async () => {
    t.setNow(T);
    const term = await t.createTerminal(facility.id, 'parcel-intake');
    await t.http.get(`${API}/terminals/me`).set('x-api-key', term.apiKey).expect(200);
    expect(await lastUsed(term.id)).toBe(T.toISOString());

    // past the key cache and the minute: stale by the clock, so recorded again
    t.setNow(at(61));
    await t.http.get(`${API}/terminals/me`).set('x-api-key', term.apiKey).expect(200);
    expect(await lastUsed(term.id, T)).toBe(at(61).toISOString());
  });

  it('stamps a deposit when created and when Stripe settles it, and the Stripe event', async () => {
    const prisoner = await t.createPrisoner(facility.id);
    const relative = await t.createRelative();
    await t.linkRelative(relative, prisoner);

    t.setNow(T);
    const cash = await t.http
      .post(`${API}/prisoners/${prisoner.id}/cash-deposits`)
      .set(admin())
      .set('idempotency-key', randomUUID())
      .send({ amountMinor: 1_000, currency: 'KZT', receiptNumber: `R-${randomUUID().slice(0, 8)}` })
      .expect(201);
    const online = await t.http
      .post(`${API}/deposits`)
      .auth(relative.token, { type: 'bearer' })
      .set('idempotency-key', randomUUID())
      .send({ prisonerId: prisoner.id, amountMinor: 5_000, currency: 'KZT' })
      .expect(201);
    const deposit = (id: string) =>
      t
        .sql<{ status: string; created_at: Date; updated_at: Date }>(
          `SELECT status, created_at, updated_at FROM deposits WHERE id = $1`,
          [id],
        )
        .then(([d]) => ({
          status: d.status,
          createdAt: d.created_at.toISOString(),
          updatedAt: d.updated_at.toISOString(),
        }));
    const stamped = { createdAt: T.toISOString(), updatedAt: T.toISOString() };
    expect(await deposit(cash.body.id)).toEqual({ status: 'succeeded', ...stamped });
    expect(await deposit(online.body.id)).toEqual({ status: 'pending', ...stamped });

    t.setNow(at(300));
    const event = await t.stripe.pay(online.body.paymentIntentId);
    expect(t.stripe.deliveries.find((d) => d.eventId === event.id)?.status).toBe(200);
    expect(await deposit(online.body.id)).toEqual({
      status: 'succeeded',
      createdAt: T.toISOString(),
      updatedAt: at(300).toISOString(),
    });
    const [received] = await t.sql<{ received_at: Date }>(
      `SELECT received_at FROM stripe_events WHERE id = $1`,
      [event.id],
    );
    expect(received.received_at.toISOString()).toBe(at(300).toISOString());
  });

  it('judges a Stripe deposit still open by the clock when sweeping', async () => {
    const prisoner = await t.createPrisoner(facility.id);
    const relative = await t.createRelative();
    await t.linkRelative(relative, prisoner);
    t.setNow(at(600));
    await t.http
      .post(`${API}/deposits`)
      .auth(relative.token, { type: 'bearer' })
      .set('idempotency-key', randomUUID())
      .send({ prisonerId: prisoner.id, amountMinor: 5_000, currency: 'KZT' })
      .expect(201);
    const sweep = async () =>
      (
        await t.http
          .post(`${API}/deposits/reconcile`)
          .set(admin())
          .set('idempotency-key', randomUUID())
          .expect(200)
      ).body as { checked: number };
    t.setNow(at(599)); // before the deposit was made: not yet open for any while
    const before = await sweep();
    t.setNow(at(601));
    const after = await sweep();
    expect(after.checked - before.checked).toBe(1);
  });

  it('leaves no instant of the database’s or the process’s own clock in any table', async () => {
    t.setNow(at(900));
    const a = await t.createFacility();
    const b = await t.createFacility();
    const p = await t.createPrisoner(a.id);
    await t.http
      .post(`${API}/prisoners/${p.id}/conditions`)
      .set(admin())
      .send({ conditions: 'facilitated', reason: 'good conduct' })
      .expect(200);
    const relative = await t.createRelative();
    await t.linkRelative(relative, p);
    await t.createStaff(['intake-officer'], [a.id]);

    const intake = await t.createTerminal(a.id, 'parcel-intake');
    const parcel = await t.http
      .post(`${API}/facilities/${a.id}/parcels`)
      .set('x-api-key', intake.apiKey)
      .set('idempotency-key', randomUUID())
      .send({
        prisonerId: p.id,
        senderName: 'Mother',
        weightGrams: 1000,
        items: [{ category: 'food', description: 'tea', quantity: 1 }],
      })
      .expect(201);
    await t.http
      .post(`${API}/parcels/${parcel.body.id}/status`)
      .set(admin())
      .send({ status: 'inspected' })
      .expect(200);
    await t.http.delete(`${API}/terminals/${intake.id}`).set(admin()).expect(204);

    const shop = await t.createTerminal(a.id, 'commissary');
    const card = await t.http.post(`${API}/prisoners/${p.id}/cards`).set(admin()).expect(201);
    t.secrets.add(card.body.cardNumber);
    await t.http
      .post(`${API}/prisoners/${p.id}/cash-deposits`)
      .set(admin())
      .set('idempotency-key', randomUUID())
      .send({ amountMinor: 5_000, currency: 'KZT', receiptNumber: `R-${randomUUID().slice(0, 8)}` })
      .expect(201);
    const charge = await t.http
      .post(`${API}/charges`)
      .set('x-api-key', shop.apiKey)
      .set('idempotency-key', randomUUID())
      .send({
        cardNumber: card.body.cardNumber,
        amountMinor: 1_000,
        currency: 'KZT',
        items: [{ description: 'tea', quantity: 1, unitPriceMinor: 1_000 }],
      })
      .expect(201);
    await t.http
      .post(`${API}/charges/${charge.body.id}/refunds`)
      .set('x-api-key', shop.apiKey)
      .set('idempotency-key', randomUUID())
      .send({ amountMinor: 400, reason: 'returned' })
      .expect(201);
    await t.http.post(`${API}/cards/${card.body.id}/block`).set(admin()).send({}).expect(200);

    const draft = await t.http
      .post(`${API}/policy-versions`)
      .set(admin())
      .send({
        facilityId: a.id,
        effectiveFrom: at(90_000).toISOString(),
        reason: 'Order No. 1',
        values: { 'payphones.maxCallMinutes': 9 },
      })
      .expect(201);
    t.setNow(at(1_000));
    await t.http
      .patch(`${API}/policy-versions/${draft.body.id}`)
      .set(admin())
      .send({ reason: 'Order No. 2' })
      .expect(200);
    await t.http.post(`${API}/policy-versions/${draft.body.id}/publish`).set(admin()).expect(200);
    await t.http
      .post(`${API}/prisoners/${p.id}/transfer`)
      .set(admin())
      .send({ toFacilityId: b.id })
      .expect(200);

    // every instant written since start-up is one the test set (all after 2040)
    const columns = await t.sql<{ table_name: string; column_name: string }>(
      `SELECT table_name, column_name FROM information_schema.columns
        WHERE table_schema = 'public' AND data_type = 'timestamp with time zone'
        ORDER BY table_name, column_name`,
    );
    expect(columns.length).toBeGreaterThan(20);
    const leaks: string[] = [];
    for (const { table_name: table, column_name: column } of columns) {
      const [{ n }] = await t.sql<{ n: number }>(
        `SELECT count(*)::int AS n FROM "${table}" WHERE "${column}" >= $1 AND "${column}" < '2040-01-01'`,
        [started],
      );
      if (n > 0) leaks.push(`${table}.${column}`);
    }
    // a wallet's account row is made by the ledger's own insert, which is being reworked apart
    expect(leaks.filter((c) => c !== 'ledger_accounts.created_at')).toEqual([]);
  });

  it('gives no column the database’s clock as a default, so a writer that forgets the time fails', async () => {
    const defaults = await t.sql<{ c: string }>(
      `SELECT table_name || '.' || column_name AS c FROM information_schema.columns
        WHERE table_schema = 'public'
          AND column_default ~* '(now|clock_timestamp|statement_timestamp|transaction_timestamp)\\(|current_timestamp|localtimestamp'
        ORDER BY 1`,
    );
    // the ledger's own inserts rely on the first; the second is a safety net for keys written by hand
    expect(defaults.map((d) => d.c)).toEqual([
      'idempotency_keys.created_at',
      'ledger_accounts.created_at',
    ]);
  });
});
