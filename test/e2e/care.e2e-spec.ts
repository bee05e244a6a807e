import { CareCalls, publishCarePolicy } from '../support/care';
import { TestApp } from '../support/test-app';

/**
 * Care on real PostgreSQL, through HTTP: disability records, orderly positions, assignments with
 * every refusal's own code, and the lists. The facility has its own care policy from 2090 (2
 * positions, 1 assisted per orderly); the clock is fixed in March 2090, Almaty time.
 */
describe('care: disabilities, orderlies, assignments', () => {
  let t: TestApp;
  let A: string;
  let B: string;
  let care: CareCalls;
  /** A care officer of facility A only. */
  let officerA: CareCalls;
  const TODAY = '2090-03-10';
  const prisoner = async (facilityId = A) => (await t.createPrisoner(facilityId)).id;

  beforeAll(async () => {
    t = await TestApp.start();
    A = (await t.createFacility({ timeZone: 'Asia/Almaty' })).id;
    B = (await t.createFacility({ timeZone: 'Asia/Almaty' })).id;
    await publishCarePolicy(t, A, '2090-01-01', {
      'care.orderlyPositions': 2,
      'care.maxAssistedPerOrderly': 1,
    });
    care = new CareCalls(t);
    officerA = care.as((await t.createStaff(['care-officer'], [A])).token);
    t.setNow('2090-03-10T05:00:00Z'); // 10:00 in Almaty
  });
  afterAll(() => t.close());

  describe('disability records', () => {
    it('records several per prisoner, ends one, and keeps the whole history', async () => {
      const p = await prisoner();
      const blind = await officerA.disability(p, 'blind', { from: '2089-06-01' }).expect(201);
      expect(blind.body).toMatchObject({
        kind: 'blind',
        from: '2089-06-01',
        until: null,
        active: true,
      });
      const wheel = await officerA.disability(p, 'wheelchair').expect(201);
      expect(wheel.body).toMatchObject({ from: TODAY, active: true });
      const ended = await officerA
        .endDisability(wheel.body.id, { reason: 'walks again' })
        .expect(200);
      expect(ended.body).toMatchObject({ until: TODAY, active: false, endReason: 'walks again' });
      await officerA
        .endDisability(wheel.body.id, { reason: 'again' })
        .expect(422)
        .expect((r) => expect(r.body.code).toBe('DISABILITY_ENDED'));
      const list = await officerA.disabilities(p).expect(200);
      expect(list.body.map((d: { kind: string; active: boolean }) => [d.kind, d.active])).toEqual([
        ['blind', true],
        ['wheelchair', false],
      ]);
      // the database keeps them whatever the code does
      await expect(
        t.sql('DELETE FROM disability_records WHERE id = $1', [blind.body.id]),
      ).rejects.toThrow(/kept/);
      await expect(
        t.sql(`UPDATE disability_records SET note = 'x' WHERE id = $1`, [blind.body.id]),
      ).rejects.toThrow(/only ended/);
    });

    it('refuses a start in the future and an end before the start', async () => {
      const p = await prisoner();
      const e1 = await officerA.disability(p, 'deaf', { from: '2090-03-11' }).expect(422);
      expect(e1.body.code).toBe('DATE_OUT_OF_RANGE');
      const e2 = await officerA
        .disability(p, 'deaf', { from: '2090-03-01', until: '2090-03-01' })
        .expect(422);
      expect(e2.body.code).toBe('DATE_OUT_OF_RANGE');
      expect((await officerA.disabilities(p).expect(200)).body).toEqual([]);
    });

    it('hides another facility’s prisoner from a care officer of A', async () => {
      const pB = await prisoner(B);
      await officerA.disability(pB, 'blind').expect(404);
      await officerA.disabilities(pB).expect(404);
    });
  });

  describe('positions, assignments and the lists', () => {
    it('appoints, assigns, lists, ends; each refusal with its own code', async () => {
      const [o1, o2, o3, blindOrderly] = [
        await prisoner(),
        await prisoner(),
        await prisoner(),
        await prisoner(),
      ];
      const [wheel, blind, healthy] = [await prisoner(), await prisoner(), await prisoner()];
      await officerA.disability(wheel, 'wheelchair', { from: '2090-02-01' }).expect(201);
      await officerA.disability(blind, 'blind', { from: '2090-01-15' }).expect(201);
      await officerA.disability(blindOrderly, 'blind', { from: '2080-01-01' }).expect(201);

      // appointments: today by default, up to 60 days back, at most 2 positions
      const p1 = await officerA.appoint(A, o1).expect(201);
      expect(p1.body).toMatchObject({ prisonerId: o1, from: TODAY, until: null, assisting: [] });
      expect(p1.body.policyVersionIds).toHaveLength(1);
      const tooOld = await officerA.appoint(A, o2, '2090-01-08').expect(422);
      expect(tooOld.body.code).toBe('DATE_OUT_OF_RANGE');
      const p2 = await officerA.appoint(A, blindOrderly, '2090-01-09').expect(201);
      expect(p2.body.from).toBe('2090-01-09');
      expect((await officerA.appoint(A, o1).expect(422)).body.code).toBe('ALREADY_AN_ORDERLY');
      expect((await officerA.appoint(A, o2).expect(422)).body.code).toBe('ORDERLY_POSITIONS_FULL');
      const pB = await prisoner(B);
      await officerA.appoint(A, pB).expect(404);
      expect((await care.appoint(A, pB).expect(422)).body.code).toBe('PRISONER_NOT_IN_FACILITY');

      // assignments
      const a1 = await officerA.assign(o1, wheel).expect(201);
      expect(a1.body).toMatchObject({
        orderlyPrisonerId: o1,
        assistedPrisonerId: wheel,
        from: TODAY,
        until: null,
      });
      const refusals: Array<[string, Promise<{ body: { code: string }; status: number }>]> = [
        ['ASSIGNMENT_SELF', officerA.assign(o1, o1)],
        ['ASSIGNMENT_OTHER_FACILITY', care.assign(o1, pB)],
        ['NOT_AN_ORDERLY', officerA.assign(o2, blind)],
        ['NO_ACTIVE_DISABILITY', officerA.assign(blindOrderly, healthy)],
        ['ORDERLY_NEEDS_SAME_HELP', officerA.assign(blindOrderly, blind)],
        ['ALREADY_ASSIGNED', officerA.assign(o1, wheel)],
        ['ORDERLY_AT_CAPACITY', officerA.assign(o1, blind)],
        ['DATE_OUT_OF_RANGE', officerA.assign(blindOrderly, wheel, '2090-01-08')],
      ];
      for (const [code, call] of refusals) {
        const res = await call;
        expect({ code, status: res.status, got: res.body.code }).toEqual({
          code,
          status: 422,
          got: code,
        });
      }
      // a prisoner of another facility is not even named to A's officer
      await officerA.assign(o1, pB).expect(404);

      // the staff list: since when, whom each assists
      const staff = await officerA.orderlies(A).expect(200);
      expect(
        staff.body.items.map((o: { prisonerId: string; from: string }) => [o.prisonerId, o.from]),
      ).toEqual([
        [blindOrderly, '2090-01-09'],
        [o1, TODAY],
      ]);
      expect(staff.body.items[1].assisting).toEqual([
        { assignmentId: a1.body.id, prisonerId: wheel, from: TODAY },
      ]);

      // who is left without help: longest waiting first, with how long
      const waiting = await officerA.unassigned(A).expect(200);
      expect(waiting.body.items).toContainEqual({
        prisonerId: blind,
        needs: ['blind'],
        waitingSince: '2090-01-15',
        waitingDays: 54,
      });
      expect(waiting.body.items.map((u: { prisonerId: string }) => u.prisonerId)).not.toContain(
        wheel,
      );

      // end the assignment: the prisoner waits again, from today
      const ended = await officerA.endAssignment(a1.body.id).expect(200);
      expect(ended.body).toMatchObject({
        until: TODAY,
        endKind: 'ended',
        endReason: 'no longer needed',
      });
      expect((await officerA.endAssignment(a1.body.id).expect(422)).body.code).toBe(
        'ASSIGNMENT_ENDED',
      );
      const again = await officerA.unassigned(A).expect(200);
      expect(again.body.items).toContainEqual({
        prisonerId: wheel,
        needs: ['wheelchair'],
        waitingSince: TODAY,
        waitingDays: 0,
      });

      // dismissal frees the position and ends the orderly's assignments
      const a2 = await officerA.assign(o1, blind).expect(201);
      const dismissed = await officerA.dismiss(A, p1.body.id).expect(200);
      expect(dismissed.body).toMatchObject({ until: TODAY, endKind: 'dismissed' });
      expect((await officerA.dismiss(A, p1.body.id).expect(422)).body.code).toBe('POSITION_ENDED');
      const row = await t.sql<{ end_kind: string }>(
        'SELECT end_kind FROM orderly_assignments WHERE id = $1',
        [a2.body.id],
      );
      expect(row).toEqual([{ end_kind: 'dismissed' }]);
      await officerA.appoint(A, o3).expect(201);
      await expect(
        t.sql('DELETE FROM orderly_assignments WHERE id = $1', [a2.body.id]),
      ).rejects.toThrow(/kept/);
    });

    it('pages the lists with cursors of their own, and refuses a forged one', async () => {
      const page = await officerA.unassigned(A, '?limit=1').expect(200);
      expect(page.body.items).toHaveLength(1);
      expect(page.body.nextCursor).toEqual(expect.any(String));
      const next = await officerA
        .unassigned(A, `?limit=1&cursor=${page.body.nextCursor}`)
        .expect(200);
      expect(next.body.items[0].prisonerId).not.toBe(page.body.items[0].prisonerId);
      const forged = Buffer.from(JSON.stringify({ k: 'not a date', id: A })).toString('base64url');
      const bad = await officerA.unassigned(A, `?cursor=${forged}`).expect(400);
      expect(bad.body.code).toBe('INVALID_CURSOR');
    });
  });
});
