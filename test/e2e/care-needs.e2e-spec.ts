import { CareCalls, publishCarePolicy } from '../support/care';
import { API, TestApp } from '../support/test-app';

/**
 * When a prisoner no longer needs help (their last disability record in force ends), the orderly
 * assignments that assist them end with it, in the same transaction: each with its own kind and
 * reason and an audit event, so the staff list and the list of those left without help agree.
 * The facility's own care policy from 2090; the clock in March 2090, Almaty time.
 */
describe('care: assistance ends with the need for it', () => {
  let t: TestApp;
  let A: string;
  let care: CareCalls;
  const TODAY = '2090-03-10';
  const prisoner = async () => (await t.createPrisoner(A)).id;

  beforeAll(async () => {
    t = await TestApp.start();
    A = (await t.createFacility({ timeZone: 'Asia/Almaty' })).id;
    await publishCarePolicy(t, A, '2090-01-01', {
      'care.orderlyPositions': 10,
      'care.maxAssistedPerOrderly': 3,
    });
    care = new CareCalls(t);
    t.setNow('2090-03-10T05:00:00Z'); // 10:00 in Almaty
  });
  afterAll(() => t.close());

  const orderlies = async () =>
    (await care.orderlies(A).expect(200)).body.items as Array<{
      prisonerId: string;
      assisting: Array<{ prisonerId: string }>;
    }>;
  const assistedBy = async (orderly: string) =>
    ((await orderlies()).find((o) => o.prisonerId === orderly)?.assisting ?? []).map(
      (a) => a.prisonerId,
    );
  const unassigned = async () =>
    ((await care.unassigned(A).expect(200)).body.items as Array<{ prisonerId: string }>).map(
      (u) => u.prisonerId,
    );
  const assignmentRow = async (id: string) =>
    (
      await t.sql<{ until: string; end_kind: string; end_reason: string }>(
        `SELECT to_char(until_date, 'YYYY-MM-DD') AS until, end_kind, end_reason
           FROM orderly_assignments WHERE id = $1`,
        [id],
      )
    )[0];

  it('ending the last disability in force ends the assignments that assist the prisoner', async () => {
    const assisted = await prisoner();
    const orderly = await prisoner();
    const d = await care.disability(assisted, 'wheelchair', { from: '2090-02-01' }).expect(201);
    await care.appoint(A, orderly, '2090-02-01').expect(201);
    const a = await care.assign(orderly, assisted, '2090-02-01').expect(201);
    expect(await assistedBy(orderly)).toEqual([assisted]);

    await care.endDisability(d.body.id, { reason: 'walks again' }).expect(200);

    // nobody assists a prisoner who needs no help, and nobody is listed as left without it
    expect(await assistedBy(orderly)).toEqual([]);
    expect(await unassigned()).not.toContain(assisted);
    expect(await assignmentRow(a.body.id)).toEqual({
      until: TODAY,
      end_kind: 'need-ended',
      end_reason: 'disability record ended: walks again',
    });
    const events = await t.sql<{ action: string; summary: Record<string, unknown> }>(
      `SELECT action, summary FROM audit_events WHERE target_id = $1 ORDER BY seq`,
      [a.body.id],
    );
    expect(events.map((e) => e.action)).toEqual(['care.assignment-create', 'care.assignment-end']);
    expect(events[1].summary).toMatchObject({ until: TODAY, kind: 'need-ended' });
    // the orderly is free again: a new prisoner in need can be assigned to them
    const next = await prisoner();
    await care.disability(next, 'blind').expect(201);
    await care.assign(orderly, next).expect(201);
  });

  it('keeps the assignment while another disability is still in force', async () => {
    const assisted = await prisoner();
    const orderly = await prisoner();
    const wheel = await care.disability(assisted, 'wheelchair', { from: '2090-02-01' }).expect(201);
    await care.disability(assisted, 'deaf', { from: '2090-02-01' }).expect(201);
    await care.appoint(A, orderly, '2090-02-01').expect(201);
    const a = await care.assign(orderly, assisted, '2090-02-01').expect(201);
    await care.endDisability(wheel.body.id, { reason: 'walks again' }).expect(200);
    expect(await assistedBy(orderly)).toEqual([assisted]);
    expect((await assignmentRow(a.body.id)).until).toBeNull();
  });

  it('a back-dated end ends the assistance on the day the need ended', async () => {
    const assisted = await prisoner();
    const orderly = await prisoner();
    const d = await care.disability(assisted, 'blind', { from: '2090-02-01' }).expect(201);
    await care.appoint(A, orderly, '2090-02-01').expect(201);
    const a = await care.assign(orderly, assisted, '2090-02-10').expect(201);
    await care
      .endDisability(d.body.id, { reason: 'sight restored', until: '2090-03-01' })
      .expect(200);
    expect(await assignmentRow(a.body.id)).toMatchObject({ until: '2090-03-01' });
  });

  it('two officers ending a prisoner’s last two records at once: the assistance ends', async () => {
    const assisted = await prisoner();
    const orderly = await prisoner();
    const one = await care.disability(assisted, 'wheelchair', { from: '2090-02-01' }).expect(201);
    const two = await care.disability(assisted, 'deaf', { from: '2090-02-01' }).expect(201);
    await care.appoint(A, orderly, '2090-02-01').expect(201);
    const a = await care.assign(orderly, assisted, '2090-02-01').expect(201);
    await Promise.all([
      care.endDisability(one.body.id, { reason: 'walks again' }).expect(200),
      care.endDisability(two.body.id, { reason: 'hears again' }).expect(200),
    ]);
    expect(await assistedBy(orderly)).toEqual([]);
    expect(await assignmentRow(a.body.id)).toMatchObject({ until: TODAY, end_kind: 'need-ended' });
  });

  it('an assignment racing the end of the last record: never an open assignment without a need', async () => {
    for (let round = 0; round < 4; round++) {
      const assisted = await prisoner();
      const orderly = await prisoner();
      const d = await care.disability(assisted, 'other', { from: '2090-02-01' }).expect(201);
      await care.appoint(A, orderly, '2090-02-01').expect(201);
      const [assigned, ended] = await Promise.all([
        care.assign(orderly, assisted),
        care.endDisability(d.body.id, { reason: 'recovered' }),
      ]);
      expect(ended.status).toBe(200);
      // either the assignment came first (and ended with the need) or it was refused
      if (assigned.status === 201) {
        expect(await assignmentRow(assigned.body.id)).toMatchObject({ end_kind: 'need-ended' });
      } else {
        expect(assigned.status).toBe(422);
        expect(assigned.body.code).toBe('NO_ACTIVE_DISABILITY');
      }
      const open = await t.sql(
        `SELECT 1 FROM orderly_assignments WHERE assisted_prisoner_id = $1 AND until_date IS NULL`,
        [assisted],
      );
      expect(open).toEqual([]);
    }
  });

  it('answers the ended assignments with the ended record', async () => {
    const assisted = await prisoner();
    const orderly = await prisoner();
    const d = await care.disability(assisted, 'deaf', { from: '2090-02-01' }).expect(201);
    await care.appoint(A, orderly, '2090-02-01').expect(201);
    const a = await care.assign(orderly, assisted, '2090-02-01').expect(201);
    const res = await t.http
      .post(`${API}/disabilities/${d.body.id}/end`)
      .auth(t.adminToken, { type: 'bearer' })
      .send({ reason: 'hears again' })
      .expect(200);
    expect(res.body.endedAssignmentIds).toEqual([a.body.id]);
  });
});
