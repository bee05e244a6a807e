import { randomUUID } from 'node:crypto';
import { API, Staff, TestApp, Terminal } from '../support/test-app';

const DAY = '2027-02-10';
const at = (hhmm: string, date = DAY, offset = '+05:00') => `${date}T${hhmm}:00${offset}`;

describe('payphones: the phones’ schedule', () => {
  let t: TestApp;
  let facilityId: string;
  let phone1: Terminal;
  let phone2: Terminal;
  let officer: Staff;
  const as = (token: string) => ({ authorization: `Bearer ${token}` });
  const admin = () => as(t.adminToken);

  beforeAll(async () => {
    t = await TestApp.start({ PAYPHONE_SWEEP_SECONDS: '0' });
    facilityId = (await t.createFacility({ timeZone: 'Asia/Almaty' })).id;
    phone1 = await t.createTerminal(facilityId, 'payphone', 'Block 1');
    phone2 = await t.createTerminal(facilityId, 'payphone', 'Block 2');
    officer = await t.createStaff(['phone-officer'], [facilityId]);
  });
  beforeEach(() => t.setNow(at('07:00')));
  afterAll(async () => {
    t.setNow(null);
    await t.close();
  });

  const book = (
    phone: Terminal,
    prisonerId: string,
    startsAt: string,
    minutes: number,
    token = officer.token,
  ) =>
    t.http
      .post(`${API}/payphones/${phone.id}/bookings`)
      .set(as(token))
      .send({ prisonerId, startsAt, minutes });
  const prisoner = async () => (await t.createPrisoner(facilityId)).id;

  it('accepts a booking 20:45–21:00 and refuses 20:50–21:05 (422): inside the hours of that day', async () => {
    const ok = await book(phone1, await prisoner(), at('20:45'), 15).expect(201);
    expect(ok.body).toMatchObject({
      status: 'booked',
      startsAt: '2027-02-10T15:45:00.000Z',
      endsAt: '2027-02-10T16:00:00.000Z',
    });
    const late = await book(phone2, await prisoner(), at('20:50'), 15).expect(422);
    expect(late.body.code).toBe('OUTSIDE_HOURS');
    const early = await book(phone2, await prisoner(), at('07:55'), 15).expect(422);
    expect(early.body.code).toBe('OUTSIDE_HOURS');
    // under the baseline (2019) the phones closed at 18:00
    t.setNow(at('07:00', '2019-06-10', '+06:00'));
    const baseline = await book(phone2, await prisoner(), at('17:50', '2019-06-10', '+06:00'), 15);
    expect(baseline.status).toBe(422);
    await book(phone2, await prisoner(), at('17:45', '2019-06-10', '+06:00'), 15).expect(201);
  });

  it('eight officers racing for one slot: one 201 and seven 409, no 500', async () => {
    const officers = await Promise.all(
      Array.from({ length: 8 }, () => t.createStaff(['phone-officer'], [facilityId])),
    );
    const prisoners = await Promise.all(officers.map(() => prisoner()));
    const results = await Promise.all(
      officers.map((o, i) => book(phone1, prisoners[i], at('10:00'), 15, o.token)),
    );
    expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409, 409, 409, 409, 409, 409]);
    for (const r of results.filter((r) => r.status === 409))
      expect(r.body.code).toBe('BOOKING_SLOT_TAKEN');
    const rows = await t.sql<{ n: number }>(
      `SELECT count(*)::int AS n FROM payphone_bookings WHERE terminal_id = $1 AND status = 'booked'
          AND starts_at = $2`,
      [phone1.id, at('10:00')],
    );
    expect(rows[0].n).toBe(1);
  });

  it('never books one prisoner on two phones at once, nor overlaps on one phone', async () => {
    const p = await prisoner();
    await book(phone1, p, at('11:00'), 30).expect(201);
    const twice = await book(phone2, p, at('11:15'), 15).expect(409);
    expect(twice.body.code).toBe('PRISONER_ALREADY_BOOKED');
    const overlap = await book(phone1, await prisoner(), at('11:29'), 5).expect(409);
    expect(overlap.body.code).toBe('BOOKING_SLOT_TAKEN');
    // back to back is not an overlap
    await book(phone1, await prisoner(), at('11:30'), 15).expect(201);
  });

  it('lists the day’s slots inside the hours, free and booked; cancel frees one', async () => {
    const p = await prisoner();
    const b = await book(phone2, p, at('13:00'), 15).expect(201);
    const day = await t.http
      .get(`${API}/payphones/${phone2.id}/slots?date=${DAY}`)
      .set(as(officer.token))
      .expect(200);
    expect(day.body).toMatchObject({
      opensAt: '2027-02-10T03:00:00.000Z',
      closesAt: '2027-02-10T16:00:00.000Z',
      slotMinutes: 15,
    });
    expect(day.body.slots).toHaveLength(52);
    const slot = day.body.slots.find(
      (s: { startsAt: string }) => s.startsAt === '2027-02-10T08:00:00.000Z',
    );
    expect(slot).toMatchObject({ free: false, bookings: [{ id: b.body.id, prisonerId: p }] });
    // the phone reads its own schedule, not another phone's
    await t.http
      .get(`${API}/payphones/${phone2.id}/slots?date=${DAY}`)
      .set('x-api-key', phone2.apiKey)
      .expect(200);
    await t.http
      .get(`${API}/payphones/${phone2.id}/slots?date=${DAY}`)
      .set('x-api-key', phone1.apiKey)
      .expect(404);
    // a baseline day closes at 18:00
    const old = await t.http
      .get(`${API}/payphones/${phone2.id}/slots?date=2019-06-10`)
      .set(as(officer.token))
      .expect(200);
    expect(old.body.closesAt).toBe('2019-06-10T12:00:00.000Z');
    expect(old.body.slots).toHaveLength(40);

    const cancelled = await t.http
      .post(`${API}/payphone-bookings/${b.body.id}/cancel`)
      .set(as(officer.token))
      .send({ reason: 'moved to the morning' })
      .expect(200);
    expect(cancelled.body.status).toBe('cancelled');
    const again = await t.http
      .post(`${API}/payphone-bookings/${b.body.id}/cancel`)
      .set(as(officer.token))
      .send({})
      .expect(422);
    expect(again.body.code).toBe('BOOKING_NOT_ACTIVE');
    await book(phone2, await prisoner(), at('13:00'), 15).expect(201);
  });

  it('refuses a booking in the past, an unknown phone or booking (404), and bad input (400)', async () => {
    t.setNow(at('12:00'));
    const p = await prisoner();
    expect((await book(phone1, p, at('11:00'), 15).expect(422)).body.code).toBe('RULE_VIOLATION');
    await t.http
      .post(`${API}/payphones/${randomUUID()}/bookings`)
      .set(as(officer.token))
      .send({ prisonerId: p, startsAt: at('15:00'), minutes: 15 })
      .expect(404);
    const shop = await t.createTerminal(facilityId, 'commissary');
    await book(shop, p, at('15:00'), 15).expect(404);
    await t.http
      .post(`${API}/payphone-bookings/${randomUUID()}/cancel`)
      .set(as(officer.token))
      .send({})
      .expect(404);
    for (const body of [
      { prisonerId: p, startsAt: '2027-02-10 15:00', minutes: 15 },
      { prisonerId: p, startsAt: at('15:00'), minutes: 0 },
      { prisonerId: p, startsAt: at('15:00'), minutes: 1.5 },
    ]) {
      await t.http
        .post(`${API}/payphones/${phone1.id}/bookings`)
        .set(as(officer.token))
        .send(body)
        .expect(400);
    }
    await t.http
      .get(`${API}/payphones/${phone1.id}/slots?date=2027-02-30`)
      .set(as(officer.token))
      .expect(400);
  });

  it('a call on a phone booked for someone else is PHONE_BOOKED; a call ends before someone else’s booking', async () => {
    const booked = await prisoner();
    const other = await prisoner();
    for (const id of [booked, other]) {
      await t.http
        .post(`${API}/prisoners/${id}/cash-deposits`)
        .set(admin())
        .set('idempotency-key', randomUUID())
        .send({ amountMinor: 100_000, currency: 'KZT', receiptNumber: `R-${randomUUID()}` })
        .expect(201);
      const c = await t.http
        .post(`${API}/prisoners/${id}/contacts`)
        .set(admin())
        .send({ phoneNumber: '+77015550177', name: 'Home', relationship: 'parent' })
        .expect(201);
      await t.http.post(`${API}/contacts/${c.body.id}/approve`).set(admin()).expect(200);
    }
    await book(phone1, booked, at('16:00'), 15).expect(201);
    const call = (prisonerId: string) =>
      t.http
        .post(`${API}/calls`)
        .set('x-api-key', phone1.apiKey)
        .send({ prisonerId, dialedNumber: '+77015550177' })
        .expect(201);
    t.setNow(at('15:55'));
    const before = await call(other);
    expect(before.body).toMatchObject({ outcome: 'authorized', maxDurationSeconds: 300 });
    await t.http
      .post(`${API}/calls/${before.body.id}/end`)
      .set('x-api-key', phone1.apiKey)
      .send({ durationSeconds: 200 })
      .expect(200);
    t.setNow(at('16:05'));
    const during = await call(other);
    expect(during.body.reasons.map((r: { code: string }) => r.code)).toEqual(['PHONE_BOOKED']);
    const own = await call(booked);
    expect(own.body.outcome).toBe('authorized');
    await t.http
      .post(`${API}/calls/${own.body.id}/end`)
      .set('x-api-key', phone1.apiKey)
      .send({ durationSeconds: 60 })
      .expect(200);
  });

  it('a transfer cancels the prisoner’s bookings not yet over', async () => {
    const p = await prisoner();
    const b = await book(phone2, p, at('17:00'), 15).expect(201);
    const elsewhere = await t.createFacility();
    await t.http
      .post(`${API}/prisoners/${p}/transfer`)
      .set(admin())
      .send({ toFacilityId: elsewhere.id })
      .expect(200);
    const rows = await t.sql<{ status: string }>(
      'SELECT status FROM payphone_bookings WHERE id = $1',
      [b.body.id],
    );
    expect(rows[0].status).toBe('cancelled');
    await book(phone2, await prisoner(), at('17:00'), 15).expect(201);
  });
});
