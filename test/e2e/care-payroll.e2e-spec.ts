import { randomUUID } from 'node:crypto';
import { CareCalls, publishCarePolicy } from '../support/care';
import { API, TestApp } from '../support/test-app';

/**
 * Orderlies' wages through the ledger: pro rata on a 30-day month, once per orderly and month
 * however often (and however concurrently) the payroll is called, and the money reconciles.
 * November 2090 has 30 days; the facility pays 30 000 tenge a month from 2090.
 */
describe('care: the orderlies’ payroll', () => {
  let t: TestApp;
  let A: string;
  let care: CareCalls;
  let finance: CareCalls;
  let early: string;
  let midMonth: string;
  const WAGE = 3_000_000;
  const balance = async (prisonerId: string) =>
    (
      await t.http
        .get(`${API}/prisoners/${prisonerId}/account`)
        .auth(t.adminToken, { type: 'bearer' })
        .expect(200)
    ).body.balanceMinor as number;

  beforeAll(async () => {
    t = await TestApp.start();
    A = (await t.createFacility({ timeZone: 'Asia/Almaty' })).id;
    await publishCarePolicy(t, A, '2090-01-01', {
      'care.orderlyPositions': 5,
      'care.orderlyMonthlyWageMinor': WAGE,
    });
    care = new CareCalls(t);
    finance = care.as((await t.createStaff(['finance-officer'], [A])).token);
    early = (await t.createPrisoner(A)).id;
    midMonth = (await t.createPrisoner(A)).id;
    t.setNow('2090-10-20T05:00:00Z');
    await care.appoint(A, early).expect(201);
    t.setNow('2090-11-16T05:00:00Z');
    await care.appoint(A, midMonth).expect(201);
  });
  afterAll(() => t.close());

  it('refuses a month that has not ended in the facility', async () => {
    t.setNow('2090-11-30T18:59:00Z'); // 23:59 on the 30th in Almaty
    const res = await finance.payroll(A, '2090-11').expect(422);
    expect(res.body.code).toBe('MONTH_NOT_ENDED');
    expect(await balance(early)).toBe(0);
  });

  it('pays a whole month to one appointed before it and half to one appointed mid-month, once', async () => {
    t.setNow('2090-12-01T05:00:00Z');
    const first = await finance.payroll(A, '2090-11').expect(200);
    expect(first.body).toMatchObject({
      facilityId: A,
      month: '2090-11',
      monthlyWageMinor: WAGE,
      currency: 'KZT',
      paidBefore: [],
      totalPaidNowMinor: WAGE + WAGE / 2,
    });
    const paid = (body: {
      paidNow: Array<{ orderlyPrisonerId: string; days: number; amountMinor: number }>;
    }) =>
      body.paidNow
        .map((w) => [w.orderlyPrisonerId, w.days, w.amountMinor])
        .sort((a, b) => Number(b[2]) - Number(a[2]));
    expect(paid(first.body)).toEqual([
      [early, 30, WAGE],
      [midMonth, 15, WAGE / 2],
    ]);
    expect(await balance(early)).toBe(WAGE);
    expect(await balance(midMonth)).toBe(WAGE / 2);

    // again: nothing more, and the answer says what had been paid
    const second = await finance.payroll(A, '2090-11').expect(200);
    expect(second.body.paidNow).toEqual([]);
    expect(second.body.totalPaidNowMinor).toBe(0);
    expect(second.body.paidBefore.map((w: { id: string }) => w.id).sort()).toEqual(
      first.body.paidNow.map((w: { id: string }) => w.id).sort(),
    );
    expect(await balance(early)).toBe(WAGE);

    // the money shows on the statement like any credit
    const statement = await t.http
      .get(`${API}/prisoners/${midMonth}/account/statement`)
      .query({ from: '2090-11-01T00:00:00Z', to: '2091-01-01T00:00:00Z' })
      .auth(t.adminToken, { type: 'bearer' })
      .expect(200);
    expect(statement.body.items).toEqual([
      expect.objectContaining({
        kind: 'orderly-wage',
        amountMinor: WAGE / 2,
        balanceAfterMinor: WAGE / 2,
      }),
    ]);

    // the database holds the rule too: a second wage row for the same orderly and month is refused
    await expect(
      t.sql(
        `INSERT INTO orderly_wages (id, facility_id, prisoner_id, month, days, monthly_wage_minor,
           amount_minor, currency, entry_id, policy_version_ids, paid_by, paid_at, paid_days_after)
         SELECT $1, facility_id, prisoner_id, month, days, monthly_wage_minor, amount_minor,
                currency, entry_id, policy_version_ids, paid_by, paid_at, paid_days_after
           FROM orderly_wages WHERE prisoner_id = $2`,
        [randomUUID(), early],
      ),
    ).rejects.toThrow(/orderly_wages_month_key/);
    const rec = await t.http
      .get(`${API}/ledger/reconciliation`)
      .auth(t.adminToken, { type: 'bearer' })
      .expect(200);
    expect(rec.body).toMatchObject({ ok: true, mismatches: [] });
  });

  it('pays each orderly once when two officers run the payroll at the same moment', async () => {
    t.setNow('2091-01-02T05:00:00Z');
    const officers = [finance, care.as((await t.createStaff(['finance-officer'], [A])).token)];
    const res = await Promise.all(officers.map((o) => o.payroll(A, '2090-12')));
    expect(res.map((r) => r.status)).toEqual([200, 200]);
    const paidNow = res.flatMap((r) => r.body.paidNow as Array<{ orderlyPrisonerId: string }>);
    expect(paidNow.map((w) => w.orderlyPrisonerId).sort()).toEqual([early, midMonth].sort());
    expect(await balance(early)).toBe(2 * WAGE);
    expect(await balance(midMonth)).toBe(WAGE / 2 + WAGE);
  });

  it('pays the days held before a dismissal, and keeps the wages apart from other facilities', async () => {
    t.setNow('2091-01-11T05:00:00Z');
    const staff = await care.orderlies(A).expect(200);
    const pos = staff.body.items.find((o: { prisonerId: string }) => o.prisonerId === midMonth);
    await care.dismiss(A, pos.id).expect(200); // held 1–10 January
    t.setNow('2091-02-01T05:00:00Z');
    const jan = await finance.payroll(A, '2091-01').expect(200);
    const line = jan.body.paidNow.find(
      (w: { orderlyPrisonerId: string }) => w.orderlyPrisonerId === midMonth,
    );
    expect(line).toMatchObject({ days: 10, amountMinor: WAGE / 3 });
    const B = (await t.createFacility()).id;
    await finance.payroll(B, '2091-01').expect(404);
    const rec = await t.http
      .get(`${API}/ledger/reconciliation`)
      .auth(t.adminToken, { type: 'bearer' })
      .expect(200);
    expect(rec.body.ok).toBe(true);
  });
});
