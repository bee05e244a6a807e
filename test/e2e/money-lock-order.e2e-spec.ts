import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { ChargesService } from '../../src/modules/cards/charges.service';
import { PrisonerMovesService } from '../../src/modules/facilities/prisoner-moves.service';
import { CallAuthorisationService } from '../../src/modules/payphones/call-authorisation.service';
import { CallEndService } from '../../src/modules/payphones/call-end.service';
import { CareCalls, publishCarePolicy } from '../support/care';
import { databaseUrl } from '../support/database';
import { moneyCalls } from '../support/money';
import { API, TestApp, Terminal } from '../support/test-app';

// One lock order for everything that touches a prisoner's wallet: the prisoner (shared by
// decisions, exclusive by a move), then the prisoner's call lock, then the card, then the wallet.
// A shop charge used to lock the wallet first and the prisoner after it, while a transfer during a
// call locks the prisoner and then the wallet (to release the call's hold): a deadlock, which
// PostgreSQL breaks after deadlock_timeout by failing one of them (retried, or a 409 once the
// retries run out).
describe('money: one lock order for charges, calls and moves on one wallet', () => {
  let t: TestApp;
  let facilityId: string;
  let elsewhere: string;
  let phone: Terminal;
  let shopKey: string;
  const admin = () => ({ authorization: `Bearer ${t.adminToken}` });
  const money = moneyCalls(
    () => t,
    () => shopKey,
  );
  /** How often each use case ran: more runs than requests means a deadlock was retried. */
  const runs = { charge: 0, transfer: 0, authorize: 0, end: 0 };
  let requests = { charge: 0, transfer: 0, authorize: 0, end: 0 };

  beforeAll(async () => {
    t = await TestApp.start({ PAYPHONE_SWEEP_SECONDS: '0' });
    facilityId = (await t.createFacility({ timeZone: 'Asia/Almaty' })).id;
    elsewhere = (await t.createFacility({ timeZone: 'Asia/Almaty' })).id;
    phone = await t.createTerminal(facilityId, 'payphone', 'Block 1 phone');
    shopKey = (await t.createTerminal(facilityId, 'commissary', 'Shop')).apiKey;
    const count = <S, K extends keyof S & string>(svc: S, method: K, name: keyof typeof runs) => {
      const original = (svc[method] as (...a: unknown[]) => unknown).bind(svc);
      (svc as Record<string, unknown>)[method] = (...a: unknown[]) => {
        runs[name]++;
        return original(...a);
      };
    };
    count(t.app.get(ChargesService), 'charge', 'charge');
    count(t.app.get(PrisonerMovesService), 'transfer', 'transfer');
    count(t.app.get(CallAuthorisationService), 'authorize', 'authorize');
    count(t.app.get(CallEndService), 'end', 'end');
  });
  beforeEach(() => {
    for (const k of Object.keys(runs) as Array<keyof typeof runs>) runs[k] = 0;
    requests = { charge: 0, transfer: 0, authorize: 0, end: 0 };
  });
  afterEach(() => t.setNow(null));
  afterAll(() => t.close());

  /** A prisoner with a card, money on it and an approved number. */
  async function caller(balanceMinor: number) {
    const p = await t.createPrisoner(facilityId);
    const card = await money.issueCard(p.id);
    await money.cash(p.id, balanceMinor).expect(201);
    const number = `+7701${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`;
    const c = await t.http
      .post(`${API}/prisoners/${p.id}/contacts`)
      .set(admin())
      .send({ phoneNumber: number, name: 'Family', relationship: 'parent' })
      .expect(201);
    await t.http.post(`${API}/contacts/${c.body.id}/approve`).set(admin()).expect(200);
    return { id: p.id, number, cardNumber: card.cardNumber };
  }

  const charge = (cardNumber: string, amountMinor: number) => {
    requests.charge++;
    return money.charge(cardNumber, amountMinor);
  };
  const authorize = (prisonerId: string, dialedNumber: string) => {
    requests.authorize++;
    return t.http
      .post(`${API}/calls`)
      .set('x-api-key', phone.apiKey)
      .set('idempotency-key', randomUUID())
      .send({ prisonerId, dialedNumber });
  };
  const end = (callId: string, durationSeconds: number) => {
    requests.end++;
    return t.http
      .post(`${API}/calls/${callId}/end`)
      .set('x-api-key', phone.apiKey)
      .set('idempotency-key', randomUUID())
      .send({ durationSeconds });
  };
  const transfer = (prisonerId: string, toFacilityId: string) => {
    requests.transfer++;
    return t.http
      .post(`${API}/prisoners/${prisonerId}/transfer`)
      .set(admin())
      .set('idempotency-key', randomUUID())
      .send({ toFacilityId });
  };

  /** Waits (polling the database, never a fixed time) until `n` sessions wait for a lock. */
  async function waitersReach(n: number): Promise<void> {
    for (let i = 0; i < 1000; i++) {
      const [r] = await t.sql<{ n: number }>(
        `SELECT count(*)::int AS n FROM pg_stat_activity
          WHERE datname = current_database() AND wait_event_type = 'Lock'`,
      );
      if (r.n >= n) return;
      await new Promise((res) => setImmediate(res));
    }
    throw new Error(`never ${n} sessions waiting for a lock`);
  }

  /**
   * Behind the app's back, holds the row `lockSql` locks, starts `first` and waits until it queues
   * for it, then `second` likewise, then lets go: the two run in the order that used to deadlock.
   */
  async function queuedBehind<A, B>(
    lockSql: string,
    params: unknown[],
    first: () => Promise<A>,
    second: () => Promise<B>,
  ): Promise<[A, B]> {
    const blocker = new Client({
      connectionString: databaseUrl(process.env.TEST_ADMIN_URL!, t.dbName),
    });
    await blocker.connect();
    try {
      await blocker.query('BEGIN');
      await blocker.query(lockSql, params);
      const a = first();
      await waitersReach(1);
      const b = second();
      await waitersReach(2);
      await blocker.query('COMMIT');
      return await Promise.all([a, b]);
    } finally {
      await blocker.end();
    }
  }

  it('a transfer during a call and a shop charge queued behind it do not deadlock', async () => {
    t.setNow('2027-02-10T12:00:00+05:00');
    const p = await caller(100_000);
    const call = await authorize(p.id, p.number).expect(201);
    expect(call.body.outcome).toBe('authorized');
    for (const k of Object.keys(runs) as Array<keyof typeof runs>) runs[k] = 0;
    requests = { charge: 0, transfer: 0, authorize: 0, end: 0 };

    // behind the app's back, hold the prisoner's row so the transfer queues first, then the charge
    const [m, c] = await queuedBehind(
      'SELECT 1 FROM prisoners WHERE id = $1 FOR UPDATE',
      [p.id],
      () => transfer(p.id, elsewhere).then((r) => r),
      () => charge(p.cardNumber, 1_000).then((r) => r),
    );
    expect(m.status).toBe(200);
    // the prisoner is held elsewhere by the time the charge decides: this shop knows no such card
    expect(c.status).toBe(201);
    expect(c.body).toMatchObject({ outcome: 'declined', reasons: [{ code: 'UNKNOWN_CARD' }] });
    // each ran once: no deadlock broken by PostgreSQL and retried
    expect(runs).toEqual(requests);
    // the call was cancelled and its hold released: nothing held, nothing charged
    expect(await money.account(p.id)).toMatchObject({ balanceMinor: 100_000, heldMinor: 0 });
  });

  it('a payroll crediting an orderly and their transfer during a call do not deadlock', async () => {
    // the facility's own care rules, published ahead of the month paid
    await publishCarePolicy(t, facilityId, '2090-01-01', {
      'care.orderlyPositions': 5,
      'care.orderlyMonthlyWageMinor': 3_000_000,
    });
    t.setNow('2090-10-05T12:00:00+05:00');
    const p = await caller(100_000);
    await new CareCalls(t).appoint(facilityId, p.id).expect(201);
    t.setNow('2090-11-10T12:00:00+05:00');
    const call = await authorize(p.id, p.number).expect(201);
    expect(call.body.outcome).toBe('authorized');
    for (const k of Object.keys(runs) as Array<keyof typeof runs>) runs[k] = 0;
    requests = { charge: 0, transfer: 0, authorize: 0, end: 0 };

    // behind the app's back, hold the wallet: the payroll queues for it first, then the transfer
    // (holding the prisoner, to release the call's hold); the payroll then writes the wage, whose
    // reference to the prisoner must not wait for the transfer
    const [w, m] = await queuedBehind(
      `SELECT 1 FROM ledger_accounts WHERE kind = 'prisoner-wallet' AND prisoner_id = $1 FOR UPDATE`,
      [p.id],
      () => new CareCalls(t).payroll(facilityId, '2090-10').then((r) => r),
      () => transfer(p.id, elsewhere).then((r) => r),
    );
    expect(w.status).toBe(200);
    expect(m.status).toBe(200);
    expect(w.body.paidNow).toHaveLength(1);
    expect(runs).toEqual(requests);
    // the wage is in, the call's hold released, nothing charged for the call
    expect(await money.account(p.id)).toMatchObject({
      // the 5th to the 31st: 26 days of a 30-day month
      balanceMinor: 100_000 + 2_600_000,
      heldMinor: 0,
    });
  });

  it('charges, call authorisations and ends racing on one wallet: no deadlock, no 5xx, money right', async () => {
    t.setNow('2027-02-10T12:00:00+05:00');
    const p = await caller(1_000_000);
    const statuses: number[] = [];
    let callCharged = 0;
    let shopCharged = 0;
    const oneCall = async () => {
      const a = await authorize(p.id, p.number);
      statuses.push(a.status);
      if (a.body.outcome !== 'authorized') return;
      const e = await end(a.body.id, 61);
      statuses.push(e.status);
      if (e.status === 200) callCharged += e.body.chargedMinor as number;
    };
    const oneCharge = async () => {
      const c = await charge(p.cardNumber, 700);
      statuses.push(c.status);
      if (c.body.outcome === 'approved') shopCharged += 700;
    };
    await Promise.all([
      ...Array.from({ length: 6 }, oneCall),
      ...Array.from({ length: 20 }, oneCharge),
    ]);
    expect(statuses.filter((s) => s >= 500)).toEqual([]);
    expect(runs).toEqual(requests);
    expect(shopCharged).toBeGreaterThan(0);
    expect(await money.account(p.id)).toMatchObject({
      balanceMinor: 1_000_000 - shopCharged - callCharged,
      heldMinor: 0,
    });
  });
});
