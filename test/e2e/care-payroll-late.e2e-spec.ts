import { CareCalls, publishCarePolicy } from '../support/care';
import { API, TestApp } from '../support/test-app';

/**
 * Days recorded late: an appointment may be recorded up to 60 days back, into a month whose
 * payroll has already run. Every day a position was held is paid, once: running that month again
 * pays the days recorded since, and the next month's payroll pays them as arrears. The facility
 * pays 30 000 tenge a month from 2090 (a day is 1 000 tenge on a 30-day month).
 */
describe('care: wages for days recorded late', () => {
  let t: TestApp;
  let A: string;
  let care: CareCalls;
  let finance: CareCalls;
  const WAGE = 3_000_000;
  const DAY = WAGE / 30;
  const balance = async (prisonerId: string) =>
    (
      await t.http
        .get(`${API}/prisoners/${prisonerId}/account`)
        .auth(t.adminToken, { type: 'bearer' })
        .expect(200)
    ).body.balanceMinor as number;
  const positionOf = async (prisonerId: string) =>
    (
      (await care.orderlies(A).expect(200)).body.items as Array<{ id: string; prisonerId: string }>
    ).find((o) => o.prisonerId === prisonerId)!.id;
  type Wage = { orderlyPrisonerId: string; days: number; amountMinor: number; month: string };
  const linesOf = (ws: Wage[], who: string) =>
    ws.filter((w) => w.orderlyPrisonerId === who).map((w) => [w.month, w.days, w.amountMinor]);

  beforeAll(async () => {
    t = await TestApp.start();
    A = (await t.createFacility({ timeZone: 'Asia/Almaty' })).id;
    await publishCarePolicy(t, A, '2090-01-01', {
      'care.orderlyPositions': 5,
      'care.orderlyMonthlyWageMinor': WAGE,
    });
    care = new CareCalls(t);
    finance = care.as((await t.createStaff(['finance-officer'], [A])).token);
  });
  afterAll(() => t.close());

  it('pays a back-dated re-appointment inside a paid month when the month is run again, once', async () => {
    const o = (await t.createPrisoner(A)).id;
    t.setNow('2090-10-01T05:00:00Z');
    await care.appoint(A, o).expect(201);
    t.setNow('2090-10-11T05:00:00Z');
    await care.dismiss(A, await positionOf(o)).expect(200); // held 1–10 October: 10 days
    t.setNow('2090-11-01T05:00:00Z');
    const first = await finance.payroll(A, '2090-10').expect(200);
    expect(linesOf(first.body.paidNow, o)).toEqual([['2090-10', 10, 10 * DAY]]);

    // on 10 November the officer records that the prisoner was re-appointed on 21 October
    t.setNow('2090-11-10T05:00:00Z');
    await care.appoint(A, o, '2090-10-21').expect(201);
    const again = await finance.payroll(A, '2090-10').expect(200);
    // 21–31 October: the 21st to the 30th on a 30-day month
    expect(linesOf(again.body.paidNow, o)).toEqual([['2090-10', 10, 10 * DAY]]);
    expect(linesOf(again.body.paidBefore, o)).toEqual([['2090-10', 10, 10 * DAY]]);
    expect(await balance(o)).toBe(20 * DAY);
    const third = await finance.payroll(A, '2090-10').expect(200);
    expect(linesOf(third.body.paidNow, o)).toEqual([]);
    expect(await balance(o)).toBe(20 * DAY);
  });

  it('pays days recorded late in a paid month as arrears with the next month, never twice', async () => {
    const o = (await t.createPrisoner(A)).id;
    // October has been paid (the first test ran it); the appointment is recorded in November
    t.setNow('2090-11-12T05:00:00Z');
    await care.appoint(A, o, '2090-10-25').expect(201);
    t.setNow('2090-12-01T05:00:00Z');
    const nov = await finance.payroll(A, '2090-11').expect(200);
    expect(linesOf(nov.body.paidNow, o)).toEqual([['2090-11', 30, WAGE]]);
    // 25–31 October: the 25th to the 30th
    expect(linesOf(nov.body.arrearsPaidNow, o)).toEqual([['2090-10', 6, 6 * DAY]]);
    expect(nov.body.totalPaidNowMinor).toBe(
      [...nov.body.paidNow, ...nov.body.arrearsPaidNow].reduce(
        (s: number, w: Wage) => s + w.amountMinor,
        0,
      ),
    );
    expect(await balance(o)).toBe(WAGE + 6 * DAY);

    // neither month pays it again, run one after the other or both at once
    const [oct, nov2] = await Promise.all([
      finance.payroll(A, '2090-10').expect(200),
      finance.payroll(A, '2090-11').expect(200),
    ]);
    expect(linesOf(oct.body.paidNow, o)).toEqual([]);
    expect(linesOf(nov2.body.paidNow, o)).toEqual([]);
    expect(linesOf(nov2.body.arrearsPaidNow, o)).toEqual([]);
    expect(await balance(o)).toBe(WAGE + 6 * DAY);

    // the database keeps each day once: a second payment of the same days is refused
    await expect(
      t.sql(
        `INSERT INTO orderly_wages (id, facility_id, prisoner_id, month, days, paid_days_after,
           monthly_wage_minor, amount_minor, currency, entry_id, policy_version_ids, paid_by, paid_at)
         SELECT gen_random_uuid(), facility_id, prisoner_id, month, 1, paid_days_after,
                monthly_wage_minor, 1, currency, entry_id, policy_version_ids, paid_by, paid_at
           FROM orderly_wages WHERE prisoner_id = $1 AND month = '2090-10'`,
        [o],
      ),
    ).rejects.toThrow(/orderly_wages_month_key/);
    const rec = await t.http
      .get(`${API}/ledger/reconciliation`)
      .auth(t.adminToken, { type: 'bearer' })
      .expect(200);
    expect(rec.body).toMatchObject({ ok: true, mismatches: [] });
  });
});
