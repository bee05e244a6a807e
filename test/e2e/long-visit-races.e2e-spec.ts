import { API, TestApp } from '../support/test-app';
import { book, booking, colonyWithRooms, linkedPair, NOW } from '../support/long-visits';

/** Statuses of a batch of answers, counted: `{ 201: 1, 409: 7 }`. */
function tally(statuses: number[]): Record<number, number> {
  const out: Record<number, number> = {};
  for (const s of statuses) out[s] = (out[s] ?? 0) + 1;
  return out;
}

describe('long visits under concurrency, and a prisoner who moves', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await TestApp.start();
  });
  beforeEach(() => t.setNow(NOW));
  afterAll(() => t.close());

  it('8 relatives racing for the last room on one date: exactly one 201 and seven 409, no 500', async () => {
    const c = await colonyWithRooms(t, 2);
    const first = await linkedPair(t, c.facilityId);
    await book(t, first.relative, booking(first.prisonerId, '2026-04-01', 1)).expect(201);
    const racers = await Promise.all(Array.from({ length: 8 }, () => linkedPair(t, c.facilityId)));
    const answers = await Promise.all(
      racers.map((r) => book(t, r.relative, booking(r.prisonerId, '2026-04-01', 1))),
    );
    expect(tally(answers.map((a) => a.status))).toEqual({ 201: 1, 409: 7 });
    for (const a of answers.filter((x) => x.status === 409)) {
      expect(a.body.code).toBe('LONG_VISIT_NO_ROOM');
      expect(a.body.nearestDates).toContain('2026-04-02');
    }
    const live = await t.sql<{ room_id: string }>(
      `SELECT room_id FROM long_visits WHERE facility_id = $1 AND status IN ('requested','approved')`,
      [c.facilityId],
    );
    expect(live.map((r) => r.room_id).sort()).toEqual([...c.roomIds].sort());
  });

  it('never gives a prisoner two overlapping visits, also when two relatives book at once', async () => {
    const c = await colonyWithRooms(t, 4);
    const p = await t.createPrisoner(c.facilityId);
    const relatives = await Promise.all([t.createRelative(), t.createRelative()]);
    for (const r of relatives) await t.linkRelative(r, p);
    for (const [a, b] of [
      ['2026-04-10', '2026-04-10'],
      ['2026-04-20', '2026-04-21'], // 3 days from the 20th overlap a day from the 21st
    ]) {
      const answers = await Promise.all([
        book(t, relatives[0], booking(p.id, a, 3)),
        book(t, relatives[1], booking(p.id, b, 1)),
      ]);
      expect(tally(answers.map((x) => x.status))).toEqual({ 201: 1, 409: 1 });
      expect(answers.find((x) => x.status === 409)!.body.code).toBe('LONG_VISIT_PRISONER_BUSY');
    }
    const live = await t.sql(
      `SELECT 1 FROM long_visits WHERE prisoner_id = $1 AND status IN ('requested','approved')`,
      [p.id],
    );
    expect(live).toHaveLength(2);
  });

  it('has the database refuse an overlapping live booking of a room or a prisoner, whatever the app does', async () => {
    const c = await colonyWithRooms(t, 2);
    const a = await linkedPair(t, c.facilityId);
    const v = await book(t, a.relative, booking(a.prisonerId, '2026-05-01', 2)).expect(201);
    const other = c.roomIds.find((id) => id !== v.body.roomId)!;
    const b = await linkedPair(t, c.facilityId);
    const copy = (roomId: string, prisonerId: string, relativeId: string, ref: string) =>
      t.sql(
        `INSERT INTO long_visits (reference, facility_id, room_id, prisoner_id, relative_id,
           start_date, end_date, days, starts_at, ends_at, period_year, visitors,
           required_documents, policy_version_ids, status, created_at)
         SELECT $4, facility_id, $1, $2, $3, start_date + 1, start_date + 1, 1,
                starts_at + interval '1 day', ends_at, period_year, '[]', '{}', '{}', 'requested', now()
           FROM long_visits WHERE id = $5`,
        [roomId, prisonerId, relativeId, ref, v.body.id],
      );
    await expect(copy(other, a.prisonerId, a.relative.id, 'LV-TEST-0001')).rejects.toThrow(
      /long_visits_prisoner_overlap/,
    );
    await expect(copy(v.body.roomId, b.prisonerId, b.relative.id, 'LV-TEST-0002')).rejects.toThrow(
      /long_visits_room_overlap/,
    );
    // cancelled bookings hold nothing
    await t.sql(`UPDATE long_visits SET status = 'cancelled' WHERE id = $1`, [v.body.id]);
    await copy(v.body.roomId, b.prisonerId, b.relative.id, 'LV-TEST-0003');
  });

  it('cancels a transferred prisoner’s visits not yet over, with the reason, and keeps the others’', async () => {
    const c = await colonyWithRooms(t, 2);
    const moving = await linkedPair(t, c.facilityId);
    const staying = await linkedPair(t, c.facilityId);
    const soon = await book(t, moving.relative, booking(moving.prisonerId, '2026-03-12', 1)).expect(
      201,
    );
    const later = await book(
      t,
      moving.relative,
      booking(moving.prisonerId, '2026-04-12', 3),
    ).expect(201);
    await t.http
      .post(`${API}/long-visits/${later.body.id}/approve`)
      .auth(t.adminToken, { type: 'bearer' })
      .expect(200);
    const kept = await book(
      t,
      staying.relative,
      booking(staying.prisonerId, '2026-04-12', 1),
    ).expect(201);
    const to = await t.createFacility();
    await t.http
      .post(`${API}/prisoners/${moving.prisonerId}/transfer`)
      .auth(t.adminToken, { type: 'bearer' })
      .send({ toFacilityId: to.id })
      .expect(200);
    for (const id of [soon.body.id, later.body.id]) {
      const v = await t.http
        .get(`${API}/long-visits/${id}`)
        .auth(moving.relative.token, { type: 'bearer' })
        .expect(200);
      expect(v.body).toMatchObject({
        status: 'cancelled',
        statusReason: 'The prisoner was transferred to another facility',
      });
    }
    const other = await t.http
      .get(`${API}/long-visits/${kept.body.id}`)
      .auth(staying.relative.token, { type: 'bearer' })
      .expect(200);
    expect(other.body.status).toBe('requested');
    const trail = await t.sql<{ target_id: string }>(
      `SELECT target_id FROM audit_events WHERE action = 'long-visit.cancel' AND target_id = ANY($1::text[])`,
      [[soon.body.id, later.body.id]],
    );
    expect(trail.map((r) => r.target_id).sort()).toEqual([soon.body.id, later.body.id].sort());
    // the room is free again on those dates
    const again = await linkedPair(t, c.facilityId);
    await book(t, again.relative, booking(again.prisonerId, '2026-04-13', 1)).expect(201);
  });
});
