import { REFERENCE_PATTERN } from '../../src/modules/visits/domain/long-visit.rules';
import { API, TestApp } from '../support/test-app';
import {
  availability,
  book,
  booking,
  colonyWithRooms,
  linkedPair,
  NOW,
} from '../support/long-visits';

const VISITORS = [
  { fullName: 'Gulnara Secretname', relationship: 'spouse' },
  { fullName: 'Daniyar Secretname', relationship: 'child' },
];

describe('booking a long visit online', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await TestApp.start();
    // visitors' names are personal data: the file's close fails if one reaches a log line
    for (const v of VISITORS) t.secrets.add(v.fullName);
  });
  beforeEach(() => t.setNow(NOW));
  afterAll(() => t.close());

  it('books 3 days under the reform: a room, a reference, no AIDS-centre certificate, the versions applied', async () => {
    const c = await colonyWithRooms(t, 2);
    const { prisonerId, relative } = await linkedPair(t, c.facilityId);
    const res = await book(t, relative, booking(prisonerId, '2026-03-20', 3, VISITORS)).expect(201);
    expect(res.body).toMatchObject({
      status: 'requested',
      prisonerId,
      facilityId: c.facilityId,
      relativeId: relative.id,
      startDate: '2026-03-20',
      endDate: '2026-03-22',
      days: 3,
      // 09:00 on the first day to 18:00 on the last, Almaty (UTC+5)
      startsAt: '2026-03-20T04:00:00.000Z',
      endsAt: '2026-03-22T13:00:00.000Z',
      visitors: VISITORS,
      requiredDocuments: ['identity-document', 'proof-of-relationship'],
    });
    expect(res.body.reference).toMatch(REFERENCE_PATTERN);
    expect(c.roomIds).toContain(res.body.roomId);
    const versions = await t.sql<{ id: string; source_file: string }>(
      `SELECT id, source_file FROM policy_versions WHERE id = ANY($1::uuid[]) ORDER BY source_file`,
      [res.body.policyVersionIds],
    );
    expect(versions.map((v) => v.source_file)).toEqual([
      '2015-01-01-baseline.json',
      '2015-01-01-long-visits-baseline.json',
      '2020-01-01-long-visits-reform.json',
      '2020-01-01-reform.json',
    ]);
    // the relative reads it back, in their list and by id
    const mine = await t.http
      .get(`${API}/relatives/me/long-visits`)
      .auth(relative.token, { type: 'bearer' })
      .expect(200);
    expect(mine.body.items.map((v: { id: string }) => v.id)).toEqual([res.body.id]);
    const one = await t.http
      .get(`${API}/long-visits/${res.body.id}`)
      .auth(relative.token, { type: 'bearer' })
      .expect(200);
    expect(one.body).toEqual(res.body);
    const trail = await t.sql<{ summary: unknown }>(
      `SELECT summary FROM audit_events WHERE action = 'long-visit.book' AND target_id = $1`,
      [res.body.id],
    );
    expect(trail).toHaveLength(1);
    expect(JSON.stringify(trail[0].summary)).not.toContain('Secretname');
  });

  it('lists the AIDS-centre certificate for a visit dated under the 2015 baseline', async () => {
    t.setNow('2019-06-01T10:00:00+06:00');
    const c = await colonyWithRooms(t, 1);
    const { prisonerId, relative } = await linkedPair(t, c.facilityId);
    const res = await book(t, relative, booking(prisonerId, '2019-06-10', 2)).expect(201);
    expect(res.body.requiredDocuments).toEqual([
      'identity-document',
      'proof-of-relationship',
      'aids-centre-certificate',
    ]);
    // the baseline booked a month ahead at most
    const far = await book(t, relative, booking(prisonerId, '2019-07-15', 1)).expect(422);
    expect(far.body.code).toBe('LONG_VISIT_OUTSIDE_WINDOW');
    // booked before the reform for a visit after it: the documents of the visit's date
    t.setNow('2019-12-20T10:00:00+06:00');
    const after = await book(t, relative, booking(prisonerId, '2020-01-05', 1)).expect(201);
    expect(after.body.requiredDocuments).not.toContain('aids-centre-certificate');
  });

  it('refuses a 4-day visit, too many visitors, and a start outside the window (422, the rule’s code)', async () => {
    const c = await colonyWithRooms(t, 1);
    const { prisonerId, relative } = await linkedPair(t, c.facilityId);
    const refused = async (body: object) => (await book(t, relative, body).expect(422)).body.code;
    expect(await refused(booking(prisonerId, '2026-03-20', 4))).toBe('LONG_VISIT_TOO_LONG');
    const four = Array.from({ length: 4 }, (_, i) => ({
      fullName: `Visitor ${i}`,
      relationship: 'other',
    }));
    expect(await refused(booking(prisonerId, '2026-03-20', 1, four))).toBe(
      'LONG_VISIT_TOO_MANY_VISITORS',
    );
    expect(await refused(booking(prisonerId, '2026-03-10', 1))).toBe('LONG_VISIT_OUTSIDE_WINDOW');
    expect(await refused(booking(prisonerId, '2026-06-09', 1))).toBe('LONG_VISIT_OUTSIDE_WINDOW');
    await book(t, relative, booking(prisonerId, '2026-06-08', 1)).expect(201);
    const stored = await t.sql('SELECT 1 FROM long_visits WHERE prisoner_id = $1', [prisonerId]);
    expect(stored).toHaveLength(1);
  });

  it('refuses a visit over the yearly entitlement of the prisoner’s level and conditions', async () => {
    const c = await colonyWithRooms(t, 2);
    // extreme security, ordinary conditions: one long visit a year (the baseline's defaults)
    const { prisonerId, relative } = await linkedPair(t, c.facilityId, {
      securityLevel: 'extreme',
    });
    await book(t, relative, booking(prisonerId, '2026-03-20', 1)).expect(201);
    const used = await book(t, relative, booking(prisonerId, '2026-04-20', 1)).expect(422);
    expect(used.body.code).toBe('LONG_VISIT_ENTITLEMENT_USED');
    expect(used.body.detail).toMatch(/1 of 1/);
    // a cancelled visit gives its place back
    const first = await t.http
      .get(`${API}/relatives/me/long-visits`)
      .auth(relative.token, { type: 'bearer' })
      .expect(200);
    await t.http
      .post(`${API}/long-visits/${first.body.items[0].id}/cancel`)
      .auth(relative.token, { type: 'bearer' })
      .send({ reason: 'plans changed' })
      .expect(200);
    await book(t, relative, booking(prisonerId, '2026-04-20', 1)).expect(201);
  });

  it('books only a prisoner the relative holds an approved link to (404 otherwise)', async () => {
    const c = await colonyWithRooms(t, 1);
    const { prisonerId } = await linkedPair(t, c.facilityId);
    const stranger = await t.createRelative();
    const res = await book(t, stranger, booking(prisonerId, '2026-03-20', 1)).expect(404);
    expect(res.body.code).toBe('NOT_FOUND');
  });

  it('answers 409 with the nearest free dates when no room is free, and cancelling frees the room', async () => {
    const c = await colonyWithRooms(t, 1);
    const a = await linkedPair(t, c.facilityId);
    const b = await linkedPair(t, c.facilityId);
    const first = await book(t, a.relative, booking(a.prisonerId, '2026-03-20', 3)).expect(201);
    const full = await book(t, b.relative, booking(b.prisonerId, '2026-03-21', 1)).expect(409);
    expect(full.body.code).toBe('LONG_VISIT_NO_ROOM');
    expect(full.body.nearestDates).toEqual([
      '2026-03-17',
      '2026-03-18',
      '2026-03-19',
      '2026-03-23',
      '2026-03-24',
    ]);
    const cal = await availability(t, b.relative.token, c.facilityId, '2026-03-19', '2026-03-23');
    expect(cal.body.dates.map((d: { freeRooms: number[] }) => d.freeRooms)).toEqual([
      [1, 0, 0],
      [0, 0, 0],
      [0, 0, 0],
      [0, 0, 0],
      [1, 1, 1],
    ]);
    await t.http
      .post(`${API}/long-visits/${first.body.id}/cancel`)
      .auth(a.relative.token, { type: 'bearer' })
      .send({})
      .expect(200);
    const now = await book(t, b.relative, booking(b.prisonerId, '2026-03-21', 1)).expect(201);
    expect(now.body.roomId).toBe(first.body.roomId);
  });

  it('lets no other relative see, cancel or approve a booking (404), nor staff of another facility', async () => {
    const c = await colonyWithRooms(t, 1);
    const a = await linkedPair(t, c.facilityId);
    // another relative of the same prisoner: linked, but the booking is not theirs
    const sibling = await t.createRelative();
    await t.linkRelative(sibling, { id: a.prisonerId, facilityId: c.facilityId });
    const v = await book(t, a.relative, booking(a.prisonerId, '2026-03-20', 1)).expect(201);
    for (const r of [sibling, await t.createRelative()]) {
      const as = { authorization: `Bearer ${r.token}` };
      await t.http.get(`${API}/long-visits/${v.body.id}`).set(as).expect(404);
      await t.http.post(`${API}/long-visits/${v.body.id}/cancel`).set(as).send({}).expect(404);
      // approving is no relative's to do at all
      await t.http.post(`${API}/long-visits/${v.body.id}/approve`).set(as).expect(403);
      const list = await t.http.get(`${API}/relatives/me/long-visits`).set(as).expect(200);
      expect(list.body.items).toEqual([]);
    }
    const elsewhere = await t.createStaff(['visits-officer'], [(await t.createFacility()).id]);
    const as = { authorization: `Bearer ${elsewhere.token}` };
    await t.http.get(`${API}/long-visits/${v.body.id}`).set(as).expect(404);
    await t.http.post(`${API}/long-visits/${v.body.id}/approve`).set(as).expect(404);
    await t.http.post(`${API}/long-visits/${v.body.id}/cancel`).set(as).send({}).expect(404);
    const still = await t.http
      .get(`${API}/long-visits/${v.body.id}`)
      .auth(a.relative.token, { type: 'bearer' })
      .expect(200);
    expect(still.body.status).toBe('requested');
  });

  it('is approved or rejected by a visits officer of the facility, once, and shows in the day plan', async () => {
    const c = await colonyWithRooms(t, 2);
    const officer = await t.createStaff(['visits-officer'], [c.facilityId]);
    const as = { authorization: `Bearer ${officer.token}` };
    const a = await linkedPair(t, c.facilityId);
    const b = await linkedPair(t, c.facilityId);
    const va = await book(t, a.relative, booking(a.prisonerId, '2026-03-20', 2)).expect(201);
    const vb = await book(t, b.relative, booking(b.prisonerId, '2026-03-20', 1)).expect(201);
    const ok = await t.http.post(`${API}/long-visits/${va.body.id}/approve`).set(as).expect(200);
    expect(ok.body.status).toBe('approved');
    const twice = await t.http.post(`${API}/long-visits/${va.body.id}/approve`).set(as).expect(422);
    expect(twice.body.code).toBe('ILLEGAL_TRANSITION');
    const no = await t.http
      .post(`${API}/long-visits/${vb.body.id}/reject`)
      .set(as)
      .send({ reason: 'visitor banned' })
      .expect(200);
    expect(no.body).toMatchObject({ status: 'rejected', statusReason: 'visitor banned' });
    const plan = await t.http
      .get(`${API}/facilities/${c.facilityId}/long-visits`)
      .query({ from: '2026-03-21', to: '2026-03-21' })
      .set(as)
      .expect(200);
    const byRoom = Object.fromEntries(
      plan.body.rooms.map((r: { room: { id: string }; visits: Array<{ id: string }> }) => [
        r.room.id,
        r.visits.map((v) => v.id),
      ]),
    );
    // the 2-day visit reaches the 21st; the 1-day one does not
    expect(byRoom[va.body.roomId]).toEqual([va.body.id]);
    expect(Object.values(byRoom).flat()).toEqual([va.body.id]);
    // the relative cannot cancel once it has started; staff can until it ends
    t.setNow('2026-03-20T12:00:00+05:00');
    const late = await t.http
      .post(`${API}/long-visits/${va.body.id}/cancel`)
      .auth(a.relative.token, { type: 'bearer' })
      .send({})
      .expect(422);
    expect(late.body.code).toBe('ILLEGAL_TRANSITION');
    await t.http
      .post(`${API}/long-visits/${va.body.id}/cancel`)
      .set(as)
      .send({ reason: 'taken ill' })
      .expect(200);
  });

  it('cancels the bookings a closure hits, with its reason for the relatives', async () => {
    const c = await colonyWithRooms(t, 1);
    const a = await linkedPair(t, c.facilityId);
    const hit = await book(t, a.relative, booking(a.prisonerId, '2026-03-20', 3)).expect(201);
    const b = await linkedPair(t, c.facilityId);
    const spared = await book(t, b.relative, booking(b.prisonerId, '2026-03-25', 1)).expect(201);
    const closure = await t.http
      .post(`${API}/visit-rooms/${c.roomIds[0]}/closures`)
      .auth(t.adminToken, { type: 'bearer' })
      .send({ fromDate: '2026-03-22', toDate: '2026-03-24', reason: 'burst pipe' })
      .expect(201);
    expect(closure.body.cancelledVisitIds).toEqual([hit.body.id]);
    const seen = await t.http
      .get(`${API}/long-visits/${hit.body.id}`)
      .auth(a.relative.token, { type: 'bearer' })
      .expect(200);
    expect(seen.body).toMatchObject({
      status: 'cancelled',
      statusReason: 'The visit room is closed: burst pipe',
    });
    const other = await t.http
      .get(`${API}/long-visits/${spared.body.id}`)
      .auth(b.relative.token, { type: 'bearer' })
      .expect(200);
    expect(other.body.status).toBe('requested');
    // and nobody books into the closure
    const none = await book(t, a.relative, booking(a.prisonerId, '2026-03-23', 1)).expect(409);
    expect(none.body.code).toBe('LONG_VISIT_NO_ROOM');
  });
});
