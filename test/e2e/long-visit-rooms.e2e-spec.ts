import { API, TestApp } from '../support/test-app';
import { availability, colonyWithRooms, linkedPair, NOW } from '../support/long-visits';

describe('visit rooms, their closures, and the availability calendar', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await TestApp.start();
    t.setNow(NOW);
  });
  afterAll(() => t.close());

  it('adds rooms for visits officers of the facility, one name once', async () => {
    const f = await t.createFacility();
    const officer = await t.createStaff(['visits-officer'], [f.id]);
    const room = await t.http
      .post(`${API}/facilities/${f.id}/visit-rooms`)
      .auth(officer.token, { type: 'bearer' })
      .send({ name: 'Room A', capacity: 3 })
      .expect(201);
    expect(room.body).toMatchObject({
      facilityId: f.id,
      name: 'Room A',
      capacity: 3,
      active: true,
    });
    const again = await t.http
      .post(`${API}/facilities/${f.id}/visit-rooms`)
      .auth(officer.token, { type: 'bearer' })
      .send({ name: 'Room A' })
      .expect(409);
    expect(again.body.code).toBe('VISIT_ROOM_NAME_TAKEN');
    const other = await t.createFacility();
    await t.http
      .post(`${API}/facilities/${other.id}/visit-rooms`)
      .auth(officer.token, { type: 'bearer' })
      .send({ name: 'Room B' })
      .expect(404);
    const list = await t.http
      .get(`${API}/facilities/${f.id}/visit-rooms`)
      .auth(officer.token, { type: 'bearer' })
      .expect(200);
    expect(list.body.map((r: { name: string; capacity: number }) => [r.name, r.capacity])).toEqual([
      ['Room A', 3],
    ]);
  });

  it('counts free rooms per date for 1, 2 and 3 days, and marks what may be booked today', async () => {
    const c = await colonyWithRooms(t, 3);
    const res = await availability(
      t,
      t.adminToken,
      c.facilityId,
      '2026-03-09',
      '2026-06-08',
    ).expect(200);
    expect(res.body).toMatchObject({ facilityId: c.facilityId, visitors: 1 });
    const dates = res.body.dates as Array<{ date: string; bookable: boolean; freeRooms: number[] }>;
    expect(dates).toHaveLength(92);
    expect(dates.filter((d) => d.bookable).map((d) => d.date)).toHaveLength(90);
    expect(dates.slice(0, 3).map((d) => [d.date, d.bookable])).toEqual([
      ['2026-03-09', false],
      ['2026-03-10', false],
      ['2026-03-11', true],
    ]);
    expect(dates.at(-1)).toEqual({ date: '2026-06-08', bookable: true, freeRooms: [3, 3, 3] });
    expect(new Set(dates.map((d) => d.freeRooms.join()))).toEqual(new Set(['3,3,3']));
  });

  it('refuses a window of more than 92 dates, or one that ends before it starts', async () => {
    const c = await colonyWithRooms(t, 1);
    const long = await availability(
      t,
      t.adminToken,
      c.facilityId,
      '2026-03-09',
      '2026-06-09',
    ).expect(400);
    expect(long.body.errors).toEqual([{ field: 'to', message: expect.stringMatching(/92/) }]);
    await availability(t, t.adminToken, c.facilityId, '2026-03-09', '2026-03-08').expect(400);
    await availability(t, t.adminToken, c.facilityId, '2026-02-30', '2026-03-08').expect(400);
  });

  it('shows the calendar to relatives linked to a prisoner there, and to no other', async () => {
    const c = await colonyWithRooms(t, 2);
    const { relative } = await linkedPair(t, c.facilityId);
    const stranger = await t.createRelative();
    const mine = await availability(
      t,
      relative.token,
      c.facilityId,
      '2026-03-11',
      '2026-03-12',
    ).expect(200);
    expect(mine.body.dates[0].freeRooms).toEqual([2, 2, 2]);
    await availability(t, stranger.token, c.facilityId, '2026-03-11', '2026-03-12').expect(404);
    const elsewhere = await t.createFacility();
    const officer = await t.createStaff(['visits-officer'], [elsewhere.id]);
    await availability(t, officer.token, c.facilityId, '2026-03-11', '2026-03-12').expect(404);
  });

  it('closes a room for a range of dates: the calendar counts it out on the days it touches', async () => {
    const c = await colonyWithRooms(t, 2);
    const officer = await t.createStaff(['visits-officer'], [c.facilityId]);
    const closure = await t.http
      .post(`${API}/visit-rooms/${c.roomIds[0]}/closures`)
      .auth(officer.token, { type: 'bearer' })
      .send({ fromDate: '2026-03-20', toDate: '2026-03-21', reason: 'repairs' })
      .expect(201);
    expect(closure.body).toMatchObject({
      roomId: c.roomIds[0],
      fromDate: '2026-03-20',
      toDate: '2026-03-21',
      reason: 'repairs',
      cancelledVisitIds: [],
    });
    const res = await availability(
      t,
      officer.token,
      c.facilityId,
      '2026-03-17',
      '2026-03-22',
    ).expect(200);
    expect(
      res.body.dates.map((d: { date: string; freeRooms: number[] }) => [d.date, d.freeRooms]),
    ).toEqual([
      ['2026-03-17', [2, 2, 2]],
      ['2026-03-18', [2, 2, 1]], // 3 days from the 18th reach the 20th
      ['2026-03-19', [2, 1, 1]],
      ['2026-03-20', [1, 1, 1]],
      ['2026-03-21', [1, 1, 1]],
      ['2026-03-22', [2, 2, 2]],
    ]);
  });

  it('refuses a closure in the past or ending before it starts, and hides other facilities’ rooms', async () => {
    const c = await colonyWithRooms(t, 1);
    const close = (body: object, token = t.adminToken) =>
      t.http
        .post(`${API}/visit-rooms/${c.roomIds[0]}/closures`)
        .auth(token, { type: 'bearer' })
        .send(body);
    expect(
      (await close({ fromDate: '2026-03-09', toDate: '2026-03-12', reason: 'x' })).status,
    ).toBe(400);
    expect(
      (await close({ fromDate: '2026-03-12', toDate: '2026-03-11', reason: 'x' })).status,
    ).toBe(400);
    expect(
      (await close({ fromDate: '2026-03-12', toDate: '2027-03-13', reason: 'x' })).status,
    ).toBe(400);
    const elsewhere = await t.createStaff(['visits-officer'], [(await t.createFacility()).id]);
    expect(
      (await close({ fromDate: '2026-03-12', toDate: '2026-03-13', reason: 'x' }, elsewhere.token))
        .status,
    ).toBe(404);
    expect(
      (await close({ fromDate: '2026-03-10', toDate: '2026-03-10', reason: 'today' })).status,
    ).toBe(201);
  });
});
