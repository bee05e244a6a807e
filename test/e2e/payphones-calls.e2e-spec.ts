import { randomUUID } from 'node:crypto';
import { CallsSweeperService } from '../../src/modules/payphones/calls-sweeper.service';
import { API, TestApp, Terminal } from '../support/test-app';

interface Decision {
  id: string;
  outcome: 'authorized' | 'denied';
  reasons: Array<{ code: string }>;
  maxDurationSeconds: number;
  tariffMinorPerMinute: number;
  monitored: boolean;
  heldMinor: number;
  policyVersionIds: string[];
}

// Almaty has been UTC+5 since 2024-03-01 (UTC+6 before)
const REFORM_DAY = '2027-02-10';
const almaty = (date: string, hhmm: string, offset = '+05:00') => `${date}T${hhmm}:00${offset}`;

describe('payphones: call authorisation paid from the card, until closing time in the facility’s zone', () => {
  let t: TestApp;
  let facilityId: string;
  let phone1: Terminal;
  let phone2: Terminal;
  let shopKey: string;
  let facilityTariffVersion: string;
  const admin = () => ({ authorization: `Bearer ${t.adminToken}` });

  beforeAll(async () => {
    t = await TestApp.start({ PAYPHONE_SWEEP_SECONDS: '0' });
    facilityId = (await t.createFacility({ timeZone: 'Asia/Almaty' })).id;
    phone1 = await t.createTerminal(facilityId, 'payphone', 'Block 1 phone');
    phone2 = await t.createTerminal(facilityId, 'payphone', 'Block 2 phone');
    shopKey = (await t.createTerminal(facilityId, 'commissary', 'Shop')).apiKey;
    // this facility's tariff from 2027: 25.00 a minute
    const draft = await t.http
      .post(`${API}/policy-versions`)
      .set(admin())
      .send({
        facilityId,
        effectiveFrom: '2027-01-01T00:00:00+05:00',
        reason: 'Order 12: call tariff',
        values: { 'payphones.tariffMinorPerMinute': 2500 },
      })
      .expect(201);
    await t.http.post(`${API}/policy-versions/${draft.body.id}/publish`).set(admin()).expect(200);
    facilityTariffVersion = draft.body.id;
  });
  afterEach(() => t.setNow(null));
  afterAll(() => t.close());

  /** A prisoner of the facility with this much on the card and an approved number. */
  async function caller(
    balanceMinor: number,
    over: { securityLevel?: string; conditions?: string; legal?: boolean } = {},
  ): Promise<{ id: string; number: string; cardNumber: string }> {
    const p = await t.createPrisoner(facilityId, {
      securityLevel: over.securityLevel ?? 'medium',
      ...(over.conditions ? { conditions: over.conditions } : {}),
    });
    const card = await t.http.post(`${API}/prisoners/${p.id}/cards`).set(admin()).expect(201);
    t.secrets.add(card.body.cardNumber);
    if (balanceMinor > 0) {
      await t.http
        .post(`${API}/prisoners/${p.id}/cash-deposits`)
        .set(admin())
        .set('idempotency-key', randomUUID())
        .send({ amountMinor: balanceMinor, currency: 'KZT', receiptNumber: `R-${randomUUID()}` })
        .expect(201);
    }
    const number = await approvedNumber(p.id, over.legal ?? false);
    return { id: p.id, number, cardNumber: card.body.cardNumber };
  }

  async function approvedNumber(prisonerId: string, legal = false): Promise<string> {
    const number = `+7701${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`;
    const c = await t.http
      .post(`${API}/prisoners/${prisonerId}/contacts`)
      .set(admin())
      .send({
        phoneNumber: number,
        name: 'Family',
        relationship: legal ? 'lawyer' : 'parent',
        legal,
      })
      .expect(201);
    await t.http.post(`${API}/contacts/${c.body.id}/approve`).set(admin()).expect(200);
    return number;
  }

  const authorize = async (
    prisonerId: string,
    dialedNumber: string,
    on: Terminal = phone1,
  ): Promise<Decision> =>
    (
      await t.http
        .post(`${API}/calls`)
        .set('x-api-key', on.apiKey)
        .send({ prisonerId, dialedNumber })
        .expect(201)
    ).body;
  const end = (callId: string, durationSeconds: unknown, on: Terminal = phone1) =>
    t.http.post(`${API}/calls/${callId}/end`).set('x-api-key', on.apiKey).send({ durationSeconds });
  const account = async (prisonerId: string) =>
    (await t.http.get(`${API}/prisoners/${prisonerId}/account`).set(admin()).expect(200)).body as {
      balanceMinor: number;
      heldMinor: number;
      availableMinor: number;
    };
  const codes = (d: Decision) => d.reasons.map((r) => r.code);

  it('20:59 with closing at 21:00: authorised for at most 60 s; 21:00: OUTSIDE_HOURS', async () => {
    const p = await caller(100_000);
    t.setNow(almaty(REFORM_DAY, '20:59'));
    const d = await authorize(p.id, p.number);
    expect(d).toMatchObject({ outcome: 'authorized', reasons: [], tariffMinorPerMinute: 2500 });
    expect(d.maxDurationSeconds).toBeGreaterThan(0);
    expect(d.maxDurationSeconds).toBeLessThanOrEqual(60);
    expect(d.heldMinor).toBe(2500);
    expect(d.policyVersionIds).toContain(facilityTariffVersion);
    await end(d.id, 45).expect(200);

    t.setNow(almaty(REFORM_DAY, '21:00'));
    const late = await authorize(p.id, p.number);
    expect(late).toMatchObject({ outcome: 'denied', maxDurationSeconds: 0, heldMinor: 0 });
    expect(codes(late)).toEqual(['OUTSIDE_HOURS']);
  });

  it('under the 2015 baseline (2019): 18:30 is denied, 17:59 allowed', async () => {
    const p = await caller(100_000);
    // Almaty was UTC+6 in 2019
    t.setNow(almaty('2019-06-10', '18:30', '+06:00'));
    expect(codes(await authorize(p.id, p.number))).toEqual(['OUTSIDE_HOURS']);
    t.setNow(almaty('2019-06-10', '17:59', '+06:00'));
    const d = await authorize(p.id, p.number);
    expect(d).toMatchObject({
      outcome: 'authorized',
      maxDurationSeconds: 60,
      tariffMinorPerMinute: 2000,
    });
    await end(d.id, 60).expect(200);
  });

  it('the same UTC instant is 20:59 in Almaty on 2024-02-29 (UTC+6) and 19:59 on 2024-03-02 (UTC+5)', async () => {
    const p = await caller(100_000);
    t.setNow('2024-02-29T14:59:00Z');
    const before = await authorize(p.id, p.number);
    expect(before).toMatchObject({ outcome: 'authorized', maxDurationSeconds: 60 });
    await end(before.id, 10).expect(200);
    t.setNow('2024-03-02T14:59:00Z');
    const after = await authorize(p.id, p.number);
    // a whole call (payphones.maxCallMinutes 15): closing is an hour away
    expect(after).toMatchObject({ outcome: 'authorized', maxDurationSeconds: 900 });
    await end(after.id, 10).expect(200);
    // and 15:30Z: closed on the 29th (21:30), open on the 2nd (20:30)
    t.setNow('2024-02-29T15:30:00Z');
    expect(codes(await authorize(p.id, p.number))).toEqual(['OUTSIDE_HOURS']);
    t.setNow('2024-03-02T15:30:00Z');
    const open = await authorize(p.id, p.number);
    expect(open.outcome).toBe('authorized');
    await end(open.id, 0).expect(200);
  });

  it('a 61-second call at 25.00 a minute costs 50.00; ending it twice charges once', async () => {
    const p = await caller(100_000);
    t.setNow(almaty(REFORM_DAY, '12:00'));
    const d = await authorize(p.id, p.number);
    expect(d).toMatchObject({ outcome: 'authorized', maxDurationSeconds: 900, heldMinor: 37_500 });
    expect(await account(p.id)).toMatchObject({
      balanceMinor: 100_000,
      heldMinor: 37_500,
      availableMinor: 62_500,
    });
    const first = await end(d.id, 61).expect(200);
    expect(first.body).toMatchObject({
      chargedMinor: 5_000,
      releasedMinor: 32_500,
      currency: 'KZT',
    });
    const again = await end(d.id, 61).expect(200);
    expect(again.body).toEqual(first.body);
    expect(await account(p.id)).toMatchObject({
      balanceMinor: 95_000,
      heldMinor: 0,
      availableMinor: 95_000,
    });
  });

  it('never charges more than was authorised, nor for a call that did not connect', async () => {
    const p = await caller(100_000);
    t.setNow(almaty(REFORM_DAY, '20:58'));
    const d = await authorize(p.id, p.number);
    expect(d).toMatchObject({ maxDurationSeconds: 120, heldMinor: 5_000 });
    const res = await end(d.id, 3_600).expect(200);
    expect(res.body.chargedMinor).toBe(5_000);
    t.setNow(almaty(REFORM_DAY, '13:00'));
    const zero = await authorize(p.id, p.number);
    expect((await end(zero.id, 0).expect(200)).body).toMatchObject({
      chargedMinor: 0,
      releasedMinor: 37_500,
    });
    expect((await account(p.id)).balanceMinor).toBe(95_000);
  });

  it('30 concurrent shop charges during an open call cannot take the money the hold keeps', async () => {
    const p = await caller(50_000);
    t.setNow(almaty(REFORM_DAY, '11:00'));
    const d = await authorize(p.id, p.number);
    expect(d).toMatchObject({ outcome: 'authorized', heldMinor: 37_500 });
    const charges = await Promise.all(
      Array.from({ length: 30 }, () =>
        t.http
          .post(`${API}/charges`)
          .set('x-api-key', shopKey)
          .set('idempotency-key', randomUUID())
          .send({
            cardNumber: p.cardNumber,
            amountMinor: 1_000,
            currency: 'KZT',
            items: [{ description: 'tea', quantity: 1, unitPriceMinor: 1_000 }],
          })
          .expect(201),
      ),
    );
    const approved = charges.filter((c) => c.body.outcome === 'approved');
    // 500.00 less the 375.00 held leaves 125.00: twelve charges of 10.00
    expect(approved).toHaveLength(12);
    for (const c of charges.filter((c) => c.body.outcome === 'declined'))
      expect(c.body.reasons.map((r: { code: string }) => r.code)).toEqual(['INSUFFICIENT_FUNDS']);
    const res = await end(d.id, 900).expect(200);
    expect(res.body.chargedMinor).toBe(37_500);
    expect(await account(p.id)).toMatchObject({ balanceMinor: 500, heldMinor: 0 });
  });

  it('no money: INSUFFICIENT_FUNDS; the card pays the length of the call', async () => {
    const broke = await caller(2_499);
    t.setNow(almaty(REFORM_DAY, '10:00'));
    const d = await authorize(broke.id, broke.number);
    expect(codes(d)).toEqual(['INSUFFICIENT_FUNDS']);
    const some = await caller(7_600);
    const paid = await authorize(some.id, some.number);
    expect(paid).toMatchObject({
      outcome: 'authorized',
      maxDurationSeconds: 180,
      heldMinor: 7_500,
    });
    await end(paid.id, 30).expect(200);
  });

  it('an unapproved number: NUMBER_NOT_APPROVED (pending, or not on the list)', async () => {
    const p = await caller(100_000);
    await t.http
      .post(`${API}/prisoners/${p.id}/contacts`)
      .set(admin())
      .send({ phoneNumber: '+77017770000', name: 'Pending', relationship: 'other' })
      .expect(201);
    t.setNow(almaty(REFORM_DAY, '10:00'));
    expect(codes(await authorize(p.id, '+7 701 777 00 00'))).toEqual(['NUMBER_NOT_APPROVED']);
    expect(codes(await authorize(p.id, '+77017770001'))).toEqual(['NUMBER_NOT_APPROVED']);
    // the approved number dialled another way is the same number
    const d = await authorize(p.id, `8${p.number.slice(2)}`);
    expect(d.outcome).toBe('authorized');
    await end(d.id, 5).expect(200);
  });

  it('two phones authorising one prisoner at the same moment: one authorised, one CALL_IN_PROGRESS', async () => {
    t.setNow(almaty(REFORM_DAY, '15:00'));
    for (let round = 0; round < 3; round++) {
      const p = await caller(100_000);
      const [a, b] = await Promise.all([
        authorize(p.id, p.number, phone1),
        authorize(p.id, p.number, phone2),
      ]);
      const won = [a, b].filter((d) => d.outcome === 'authorized');
      const lost = [a, b].filter((d) => d.outcome === 'denied');
      expect(won).toHaveLength(1);
      expect(lost.map(codes)).toEqual([['CALL_IN_PROGRESS']]);
      expect((await account(p.id)).heldMinor).toBe(37_500);
      await end(won[0].id, 30, won[0] === a ? phone1 : phone2).expect(200);
    }
  });

  it('counts the month’s calls by level and conditions; a legal number is exempt and not monitored', async () => {
    // extreme, strict: 2 calls a month under the reform defaults
    const p = await caller(1_000_000, { securityLevel: 'extreme', conditions: 'strict' });
    const lawyer = await approvedNumber(p.id, true);
    t.setNow(almaty(REFORM_DAY, '09:00'));
    for (let i = 0; i < 2; i++) {
      const d = await authorize(p.id, p.number);
      expect(d).toMatchObject({ outcome: 'authorized', monitored: true });
      await end(d.id, 30).expect(200);
    }
    expect(codes(await authorize(p.id, p.number))).toEqual(['ALLOWANCE_EXHAUSTED']);
    const legal = await authorize(p.id, lawyer);
    expect(legal).toMatchObject({ outcome: 'authorized', monitored: false });
    await end(legal.id, 600).expect(200);
    // next month, the calls are there again
    t.setNow(almaty('2027-03-01', '09:00'));
    const next = await authorize(p.id, p.number);
    expect(next.outcome).toBe('authorized');
    await end(next.id, 1).expect(200);
  });

  it('a call never reported is closed after its end and the grace: hold released, nothing charged', async () => {
    const p = await caller(100_000);
    t.setNow(almaty(REFORM_DAY, '16:00'));
    const d = await authorize(p.id, p.number);
    expect((await account(p.id)).heldMinor).toBe(37_500);
    t.setNow(almaty(REFORM_DAY, '16:16')); // 15 min + 1 min: still within the grace
    expect(await t.app.get(CallsSweeperService).sweep()).toBe(0);
    t.setNow(almaty(REFORM_DAY, '16:18'));
    expect(await t.app.get(CallsSweeperService).sweep()).toBe(1);
    expect(await account(p.id)).toMatchObject({ balanceMinor: 100_000, heldMinor: 0 });
    const late = await end(d.id, 60).expect(422);
    expect(late.body.code).toBe('CALL_NOT_IN_PROGRESS');
    const rows = await t.sql<{ status: string; charged_minor: string }>(
      'SELECT status, charged_minor FROM payphone_calls WHERE id = $1',
      [d.id],
    );
    expect(rows[0]).toEqual({ status: 'unreported', charged_minor: '0' });
    // the next decision for the prisoner closes a stale call itself, without the job
    const again = await authorize(p.id, p.number);
    t.setNow(almaty(REFORM_DAY, '16:40'));
    const next = await authorize(p.id, p.number, phone2);
    expect(next.outcome).toBe('authorized');
    await end(again.id, 10).expect(422);
    await end(next.id, 10, phone2).expect(200);
  });

  it('a transfer cancels the call in progress and releases its hold', async () => {
    const p = await caller(100_000);
    const other = await t.createFacility();
    t.setNow(almaty(REFORM_DAY, '17:00'));
    const d = await authorize(p.id, p.number);
    await t.http
      .post(`${API}/prisoners/${p.id}/transfer`)
      .set(admin())
      .send({ toFacilityId: other.id })
      .expect(200);
    expect(await account(p.id)).toMatchObject({ balanceMinor: 100_000, heldMinor: 0 });
    expect((await end(d.id, 60).expect(422)).body.code).toBe('CALL_NOT_IN_PROGRESS');
    // and a terminal of the old facility knows them no more
    expect(codes(await authorize(p.id, p.number))).toEqual(['PRISONER_NOT_IN_FACILITY']);
  });

  it('the same refusal for a prisoner held elsewhere and one who does not exist', async () => {
    const elsewhere = await t.createFacility();
    const stranger = await t.createPrisoner(elsewhere.id);
    t.setNow(almaty(REFORM_DAY, '10:00'));
    const a = await authorize(stranger.id, '+77011234567');
    const b = await authorize(randomUUID(), '+77011234567');
    expect(codes(a)).toEqual(['PRISONER_NOT_IN_FACILITY']);
    expect(codes(b)).toEqual(['PRISONER_NOT_IN_FACILITY']);
    expect(a.reasons).toEqual(b.reasons);
  });

  it('refuses bad input: a malformed number, a negative, fractional or absurd duration; unknown calls 404', async () => {
    const p = await caller(100_000);
    const bad = await t.http
      .post(`${API}/calls`)
      .set('x-api-key', phone1.apiKey)
      .send({ prisonerId: p.id, dialedNumber: '12345' })
      .expect(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field)).toEqual(['dialedNumber']);
    t.setNow(almaty(REFORM_DAY, '10:00'));
    const d = await authorize(p.id, p.number);
    for (const durationSeconds of [-1, 1.5, 10 ** 9, '60', null]) {
      const res = await end(d.id, durationSeconds).expect(400);
      const fields = res.body.errors.map((e: { field: string }) => e.field);
      expect([...new Set(fields)]).toEqual(['durationSeconds']);
    }
    await end(randomUUID(), 10).expect(404);
    await end(d.id, 10, phone2).expect(404); // only the phone that asked reports the end
    expect((await account(p.id)).heldMinor).toBe(37_500);
    await end(d.id, 10).expect(200);
  });
});
