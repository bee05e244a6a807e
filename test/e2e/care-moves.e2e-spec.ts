import { UnitOfWork } from '../../src/common/database/unit-of-work';
import { PrisonerReleased } from '../../src/modules/facilities/prisoner-events';
import { CareCalls, publishCarePolicy } from '../support/care';
import { API, TestApp } from '../support/test-app';

/**
 * Care under concurrency and when prisoners move: officers assigning or appointing at once never
 * pass the caps; a transfer ends the assignments in its own transaction (the facilities module
 * raises the event, care handles it) and the prisoner waits for help again where they arrive.
 */
describe('care: races and transfers', () => {
  let t: TestApp;
  let A: string;
  let B: string;
  /** A facility of two positions. */
  let C: string;
  let care: CareCalls;
  const TODAY = '2090-03-10';
  const prisoner = async (facilityId = A) => (await t.createPrisoner(facilityId)).id;
  const codes = (res: Array<{ status: number; body: { code?: string } }>) =>
    res.map((r) => (r.status === 201 ? 201 : r.body.code)).sort();

  beforeAll(async () => {
    t = await TestApp.start();
    A = (await t.createFacility({ timeZone: 'Asia/Almaty' })).id;
    B = (await t.createFacility({ timeZone: 'Asia/Almaty' })).id;
    C = (await t.createFacility({ timeZone: 'Asia/Aqtobe' })).id;
    await publishCarePolicy(t, C, '2090-01-01', { 'care.orderlyPositions': 2 });
    for (const f of [A, B]) {
      await publishCarePolicy(t, f, '2090-01-01', {
        'care.orderlyPositions': 3,
        'care.maxAssistedPerOrderly': 1,
      });
    }
    care = new CareCalls(t);
    t.setNow('2090-03-10T05:00:00Z');
  });
  afterAll(() => t.close());

  it('lets exactly one of two officers assigning to one orderly at once pass the cap', async () => {
    const officers = [
      care.as((await t.createStaff(['care-officer'], [A])).token),
      care.as((await t.createStaff(['care-officer'], [A])).token),
    ];
    for (let round = 0; round < 3; round++) {
      const orderly = await prisoner();
      const pos = await care.appoint(A, orderly).expect(201);
      const needy = [await prisoner(), await prisoner()];
      for (const p of needy) await care.disability(p, 'wheelchair').expect(201);
      const res = await Promise.all(needy.map((p, i) => officers[i].assign(orderly, p)));
      expect(codes(res)).toEqual([201, 'ORDERLY_AT_CAPACITY']);
      const open = await t.sql<{ n: number }>(
        `SELECT count(*)::int AS n FROM orderly_assignments WHERE orderly_prisoner_id = $1 AND until_date IS NULL`,
        [orderly],
      );
      expect(open).toEqual([{ n: 1 }]);
      await care.dismiss(A, pos.body.id).expect(200);
    }
  });

  it('fills the facility’s positions exactly, however many appointments race', async () => {
    const candidates = await Promise.all(Array.from({ length: 6 }, () => prisoner(C)));
    const res = await Promise.all(candidates.map((p) => care.appoint(C, p)));
    expect(codes(res)).toEqual([201, 201, ...Array(4).fill('ORDERLY_POSITIONS_FULL')]);
    const staff = await care.orderlies(C).expect(200);
    expect(staff.body.items).toHaveLength(2);
  });

  it('ends the assignment when the assisted prisoner is transferred; they wait again where they arrive', async () => {
    const orderly = await prisoner();
    const assisted = await prisoner();
    await care.appoint(A, orderly).expect(201);
    await care.disability(assisted, 'blind', { from: '2090-02-01' }).expect(201);
    const a = await care.assign(orderly, assisted).expect(201);
    const before = await care.unassigned(A).expect(200);
    expect(before.body.items.map((u: { prisonerId: string }) => u.prisonerId)).not.toContain(
      assisted,
    );

    await t.http
      .post(`${API}/prisoners/${assisted}/transfer`)
      .auth(t.adminToken, { type: 'bearer' })
      .send({ toFacilityId: B, reason: 'order 12' })
      .expect(200);

    const [row] = await t.sql<{ until: string; end_kind: string }>(
      `SELECT to_char(until_date, 'YYYY-MM-DD') AS until, end_kind FROM orderly_assignments WHERE id = $1`,
      [a.body.id],
    );
    expect(row).toEqual({ until: TODAY, end_kind: 'transferred' });
    const staffA = await care.orderlies(A).expect(200);
    const mine = staffA.body.items.find((o: { prisonerId: string }) => o.prisonerId === orderly);
    expect(mine.assisting).toEqual([]);
    // B's care officer sees the newcomer waiting, with their records
    const officerB = care.as((await t.createStaff(['care-officer'], [B])).token);
    const waitingB = await officerB.unassigned(B).expect(200);
    expect(waitingB.body.items).toContainEqual({
      prisonerId: assisted,
      needs: ['blind'],
      waitingSince: TODAY,
      waitingDays: 0,
    });
    const records = await officerB.disabilities(assisted).expect(200);
    expect(records.body).toHaveLength(1);
    const waitingA = await care.unassigned(A).expect(200);
    expect(waitingA.body.items.map((u: { prisonerId: string }) => u.prisonerId)).not.toContain(
      assisted,
    );
    // the old facility's officer no longer reaches it
    const officerA = care.as((await t.createStaff(['care-officer'], [A])).token);
    await officerA.endAssignment(a.body.id).expect(422);
    const audit = await t.sql<{ action: string }>(
      `SELECT action FROM audit_events WHERE target_id = $1 AND action LIKE 'care.%'`,
      [assisted],
    );
    expect(audit.map((e) => e.action)).toContain('care.follow-transfer');
  });

  it('ends an orderly’s position and assignments when the orderly is transferred', async () => {
    const orderly = await prisoner();
    const assisted = await prisoner();
    const pos = await care.appoint(A, orderly, '2090-03-01').expect(201);
    await care.disability(assisted, 'deaf', { from: '2090-02-01' }).expect(201);
    await care.assign(orderly, assisted).expect(201);
    await t.http
      .post(`${API}/prisoners/${orderly}/transfer`)
      .auth(t.adminToken, { type: 'bearer' })
      .send({ toFacilityId: B })
      .expect(200);
    const staff = await care.orderlies(A).expect(200);
    expect(staff.body.items.map((o: { id: string }) => o.id)).not.toContain(pos.body.id);
    const waiting = await care.unassigned(A).expect(200);
    expect(waiting.body.items).toContainEqual({
      prisonerId: assisted,
      needs: ['deaf'],
      waitingSince: TODAY,
      waitingDays: 0,
    });
    // and B's positions are B's: the newcomer is not an orderly there
    expect((await care.assign(orderly, assisted).expect(422)).body.code).toBe(
      'ASSIGNMENT_OTHER_FACILITY',
    );
  });

  it('ends what a released prisoner held, in the releasing transaction (the event alone: the release use case is not built)', async () => {
    const orderly = await prisoner();
    const assisted = await prisoner();
    const pos = await care.appoint(A, orderly).expect(201);
    await care.disability(assisted, 'wheelchair', { from: '2090-02-01' }).expect(201);
    const a = await care.assign(orderly, assisted).expect(201);
    const uow = t.app.get(UnitOfWork);
    const release = (prisonerId: string) =>
      uow.run(async () => {
        uow.publish(
          new PrisonerReleased({
            prisonerId,
            facilityId: A,
            actorId: pos.body.appointedBy,
            at: new Date('2090-03-10T06:00:00Z'),
          }),
        );
      });
    await release(orderly);
    const ended = await t.sql<{ kind: string }>(
      `SELECT end_kind AS kind FROM orderly_assignments WHERE id = $1
        UNION ALL SELECT end_kind FROM orderly_positions WHERE id = $2`,
      [a.body.id, pos.body.id],
    );
    expect(ended).toEqual([{ kind: 'released' }, { kind: 'released' }]);
    await release(assisted);
    const waiting = await care.unassigned(A).expect(200);
    expect(waiting.body.items.map((u: { prisonerId: string }) => u.prisonerId)).not.toContain(
      assisted,
    );
    const moved = await t.sql<{ facility_id: string | null }>(
      'SELECT facility_id FROM disability_records WHERE prisoner_id = $1',
      [assisted],
    );
    expect(moved).toEqual([{ facility_id: null }]);
  });
});
