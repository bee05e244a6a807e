import { Clock } from '../../src/common/time/clock';
import { API, TestApp } from '../support/test-app';

describe('a facility’s time: its zone never changes, its history takes the use case’s clock', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await TestApp.start();
  });
  afterAll(() => t.close());

  it('refuses to change a facility’s time zone, in the database and through the API', async () => {
    const f = await t.createFacility({ timeZone: 'Asia/Almaty' });
    await expect(
      t.sql(`UPDATE facilities SET time_zone = 'Asia/Aqtobe' WHERE id = $1`, [f.id]),
    ).rejects.toThrow(/time zone of facility .* cannot change/);
    // other columns may still be written, and writing the same zone again is no change
    await t.sql(`UPDATE facilities SET time_zone = 'Asia/Almaty', name = 'Renamed' WHERE id = $1`, [
      f.id,
    ]);
    // no route changes a facility
    for (const method of ['patch', 'put'] as const) {
      const res = await t.http[method](`${API}/facilities/${f.id}`)
        .auth(t.adminToken, { type: 'bearer' })
        .send({ timeZone: 'Asia/Aqtobe' });
      expect({ method, status: res.status, code: res.body.code }).toEqual({
        method,
        status: 404,
        code: 'ROUTE_NOT_FOUND',
      });
    }
    const [row] = await t.sql<{ time_zone: string }>(
      `SELECT time_zone FROM facilities WHERE id = $1`,
      [f.id],
    );
    expect(row.time_zone).toBe('Asia/Almaty');
  });

  it('writes history with the use case’s clock, in the order written', async () => {
    const a = await t.createFacility({ timeZone: 'Asia/Almaty' });
    const b = await t.createFacility({ timeZone: 'Asia/Almaty' });
    const intake = await t.createTerminal(a.id, 'parcel-intake');
    const at = ['2026-03-02T08:00:00.000Z', '2026-03-02T09:00:00.000Z', '2026-03-02T10:00:00.000Z'];
    try {
      t.setNow(at[0]);
      const p = await t.createPrisoner(a.id, { conditions: 'ordinary' });
      const parcel = await t.http
        .post(`${API}/facilities/${a.id}/parcels`)
        .set('x-api-key', intake.apiKey)
        .send({
          prisonerId: p.id,
          senderName: 'Mother',
          weightGrams: 1000,
          items: [{ category: 'food', description: 'tea', quantity: 1 }],
        })
        .expect(201);
      // two changes at one instant: the order written decides, not the clock
      t.setNow(at[1]);
      for (const conditions of ['facilitated', 'preferential'])
        await t.http
          .post(`${API}/prisoners/${p.id}/conditions`)
          .auth(t.adminToken, { type: 'bearer' })
          .send({ conditions, reason: `to ${conditions}` })
          .expect(200);
      await t.http
        .post(`${API}/parcels/${parcel.body.id}/status`)
        .auth(t.adminToken, { type: 'bearer' })
        .send({ status: 'inspected' })
        .expect(200);
      t.setNow(at[2]);
      await t.http
        .post(`${API}/prisoners/${p.id}/transfer`)
        .auth(t.adminToken, { type: 'bearer' })
        .send({ toFacilityId: b.id })
        .expect(200);

      const h = await t.http
        .get(`${API}/prisoners/${p.id}/history`)
        .auth(t.adminToken, { type: 'bearer' })
        .expect(200);
      expect(
        h.body.conditions.map((c: { toConditions: string; changedAt: string }) => [
          c.toConditions,
          c.changedAt,
        ]),
      ).toEqual([
        ['ordinary', at[0]],
        ['facilitated', at[1]],
        ['preferential', at[1]],
      ]);
      expect(h.body.transfers.map((x: { transferredAt: string }) => x.transferredAt)).toEqual([
        at[2],
      ]);
      const events = await t.sql<{ to_status: string; occurred_at: Date }>(
        `SELECT to_status, occurred_at FROM parcel_events WHERE parcel_id = $1`,
        [parcel.body.id],
      );
      expect(events.map((e) => [e.to_status, e.occurred_at.toISOString()])).toEqual([
        ['inspected', at[1]],
      ]);
    } finally {
      t.setNow(null);
    }
  });

  it('gives a transfer one instant: its history row and the requests it closes carry the same', async () => {
    const a = await t.createFacility();
    const b = await t.createFacility();
    const p = await t.createPrisoner(a.id);
    const relative = await t.createRelative();
    await t.linkRelative(relative, p);
    const number = (
      await t.http.get(`${API}/prisoners/${p.id}`).auth(t.adminToken, { type: 'bearer' })
    ).body.personalNumber as string;
    // asked at B before the prisoner arrived: the link that follows the transfer closes it
    const early = await t.http
      .post(`${API}/relatives/me/links`)
      .auth(relative.token, { type: 'bearer' })
      .send({ facilityId: b.id, prisonerPersonalNumber: number, relationship: 'parent' })
      .expect(201);
    // a clock that moves on at every reading: a use case that reads it once has one instant
    let tick = Date.parse('2027-05-01T10:00:00Z');
    t.app.get(Clock).now = () => new Date((tick += 1000));
    try {
      await t.http
        .post(`${API}/prisoners/${p.id}/transfer`)
        .auth(t.adminToken, { type: 'bearer' })
        .send({ toFacilityId: b.id })
        .expect(200);
    } finally {
      t.setNow(null);
    }
    const h = await t.http
      .get(`${API}/prisoners/${p.id}/history`)
      .auth(t.adminToken, { type: 'bearer' })
      .expect(200);
    const [closed] = await t.sql<{ status: string; decided_at: Date }>(
      `SELECT status, decided_at FROM relative_links WHERE id = $1`,
      [early.body.id],
    );
    expect(closed.status).toBe('rejected');
    expect(closed.decided_at.toISOString()).toBe(h.body.transfers[0].transferredAt);
  });
});
