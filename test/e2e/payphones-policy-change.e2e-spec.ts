import { randomUUID } from 'node:crypto';
import { API, TestApp } from '../support/test-app';

describe('payphones: a change of closing time takes effect at its instant', () => {
  let t: TestApp;
  afterAll(async () => {
    t.setNow(null);
    await t.close();
  });

  it('a call authorised just before keeps the closing time in force then; after it, the new one applies', async () => {
    t = await TestApp.start({ PAYPHONE_SWEEP_SECONDS: '0' });
    const admin = { authorization: `Bearer ${t.adminToken}` };
    const f = await t.createFacility({ timeZone: 'Asia/Almaty' });
    const phone = await t.createTerminal(f.id, 'payphone');
    const draft = await t.http
      .post(`${API}/policy-versions`)
      .set(admin)
      .send({
        facilityId: f.id,
        effectiveFrom: '2027-03-05T20:30:00+05:00',
        reason: 'Order 31: payphones close at 20:00 from tonight',
        values: { 'payphones.closeTime': '20:00' },
      })
      .expect(201);
    await t.http.post(`${API}/policy-versions/${draft.body.id}/publish`).set(admin).expect(200);
    const p = await t.createPrisoner(f.id);
    await t.http
      .post(`${API}/prisoners/${p.id}/cash-deposits`)
      .set(admin)
      .set('idempotency-key', randomUUID())
      .send({ amountMinor: 100_000, currency: 'KZT', receiptNumber: `R-${randomUUID()}` })
      .expect(201);
    const c = await t.http
      .post(`${API}/prisoners/${p.id}/contacts`)
      .set(admin)
      .send({ phoneNumber: '+77015550188', name: 'Home', relationship: 'spouse' })
      .expect(201);
    await t.http.post(`${API}/contacts/${c.body.id}/approve`).set(admin).expect(200);
    const call = () =>
      t.http
        .post(`${API}/calls`)
        .set('x-api-key', phone.apiKey)
        .send({ prisonerId: p.id, dialedNumber: '+77015550188' })
        .expect(201);

    t.setNow('2027-03-05T20:25:00+05:00');
    const before = await call();
    // closing at 21:00 was in force: a whole call, past the instant the change takes effect
    expect(before.body).toMatchObject({ outcome: 'authorized', maxDurationSeconds: 900 });
    expect(before.body.policyVersionIds).not.toContain(draft.body.id);
    t.setNow('2027-03-05T20:41:00+05:00');
    const ended = await t.http
      .post(`${API}/calls/${before.body.id}/end`)
      .set('x-api-key', phone.apiKey)
      .send({ durationSeconds: 900 })
      .expect(200);
    expect(ended.body.chargedMinor).toBe(15 * 2000);

    t.setNow('2027-03-05T20:31:00+05:00');
    const after = await call();
    expect(after.body.reasons.map((r: { code: string }) => r.code)).toEqual(['OUTSIDE_HOURS']);
    expect(after.body.policyVersionIds).toContain(draft.body.id);
  }, 600_000);
});
