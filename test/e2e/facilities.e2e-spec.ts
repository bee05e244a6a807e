import { API, TestApp, uniq } from '../support/test-app';

describe('facilities and prisoners', () => {
  let t: TestApp;
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
  beforeAll(async () => {
    t = await TestApp.start();
  });
  afterAll(() => t.close());

  describe('facilities', () => {
    it('creates a facility with an IANA zone and upper-cases its code', async () => {
      const code = uniq('kz-');
      const res = await t.http
        .post(`${API}/facilities`)
        .set(bearer(t.adminToken))
        .send({ code: code.toLowerCase(), name: '  Colony 161/2  ', timeZone: 'Asia/Aqtobe' })
        .expect(201);
      expect(res.body).toMatchObject({ code, name: 'Colony 161/2', timeZone: 'Asia/Aqtobe' });
      expect(res.body.id).toMatch(/^[0-9a-f-]{36}$/);
    });

    it('rejects unknown zones, offsets and abbreviations', async () => {
      for (const timeZone of [
        'Mars/Olympus',
        '+05:00',
        'UTC+5',
        'EST',
        '',
        'Asia/Almaty; DROP TABLE x',
      ]) {
        const res = await t.http
          .post(`${API}/facilities`)
          .set(bearer(t.adminToken))
          .send({ code: uniq('Z-'), name: 'x', timeZone });
        expect({ timeZone, status: res.status }).toEqual({ timeZone, status: 400 });
        expect(res.body.errors.map((e: { field: string }) => e.field)).toContain('timeZone');
      }
    });

    it('answers a duplicate code with 409, also when the case differs, and also under a race', async () => {
      const code = uniq('DUP-');
      await t.http
        .post(`${API}/facilities`)
        .set(bearer(t.adminToken))
        .send({ code, name: 'a', timeZone: 'UTC' })
        .expect(201);
      const dup = await t.http
        .post(`${API}/facilities`)
        .set(bearer(t.adminToken))
        .send({ code: code.toLowerCase(), name: 'b', timeZone: 'UTC' })
        .expect(409);
      expect(dup.body.code).toBe('FACILITY_CODE_TAKEN');

      const raced = uniq('RACE-');
      const results = await Promise.all(
        Array.from({ length: 8 }, () =>
          t.http
            .post(`${API}/facilities`)
            .set(bearer(t.adminToken))
            .send({ code: raced, name: 'r', timeZone: 'UTC' }),
        ),
      );
      const statuses = results.map((r) => r.status).sort();
      expect(statuses).toEqual([201, 409, 409, 409, 409, 409, 409, 409]);
    });

    it('lists only the facilities in the caller’s scope, paginated', async () => {
      const a = await t.createFacility();
      await t.createFacility();
      const officer = await t.createStaff(['intake-officer'], [a.id]);
      const mine = await t.http.get(`${API}/facilities`).set(bearer(officer.token)).expect(200);
      expect(mine.body.items.map((f: { id: string }) => f.id)).toEqual([a.id]);

      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const q: Record<string, string> = { limit: '2', ...(cursor ? { cursor } : {}) };
        const page = await t.http
          .get(`${API}/facilities`)
          .query(q)
          .set(bearer(t.adminToken))
          .expect(200);
        expect(page.body.items.length).toBeLessThanOrEqual(2);
        seen.push(...page.body.items.map((f: { id: string }) => f.id));
        cursor = page.body.nextCursor;
      } while (cursor);
      const all = await t.http
        .get(`${API}/facilities`)
        .query({ limit: '500' })
        .set(bearer(t.adminToken))
        .expect(200);
      expect(seen).toEqual(all.body.items.map((f: { id: string }) => f.id));
      expect(new Set(seen).size).toBe(seen.length);

      await t.http
        .get(`${API}/facilities`)
        .query({ limit: '0' })
        .set(bearer(t.adminToken))
        .expect(400);
      await t.http
        .get(`${API}/facilities`)
        .query({ limit: '501' })
        .set(bearer(t.adminToken))
        .expect(400);
      const badCursor = await t.http
        .get(`${API}/facilities`)
        .query({ cursor: 'xyz' })
        .set(bearer(t.adminToken))
        .expect(400);
      expect(badCursor.body.code).toBe('INVALID_CURSOR');
    });

    it('lets only national administrators create facilities', async () => {
      const a = await t.createFacility();
      const scopedAdmin = await t.createStaff(['admin'], [a.id]);
      const res = await t.http
        .post(`${API}/facilities`)
        .set(bearer(scopedAdmin.token))
        .send({ code: uniq('S-'), name: 'x', timeZone: 'UTC' })
        .expect(403);
      expect(res.body.code).toBe('FORBIDDEN');
    });
  });

  describe('prisoners', () => {
    it('registers a prisoner with ordinary conditions by default, and reads it back', async () => {
      const f = await t.createFacility();
      const res = await t.http
        .post(`${API}/facilities/${f.id}/prisoners`)
        .set(bearer(t.adminToken))
        .send({
          personalNumber: ' 850101300123 ',
          fullName: 'Serik Amanov',
          securityLevel: 'medium',
        })
        .expect(201);
      expect(res.body).toMatchObject({
        facilityId: f.id,
        personalNumber: '850101300123',
        securityLevel: 'medium',
        conditions: 'ordinary',
        status: 'held',
      });
      const got = await t.http
        .get(`${API}/prisoners/${res.body.id}`)
        .set(bearer(t.adminToken))
        .expect(200);
      expect(got.body).toEqual(res.body);
    });

    it('validates prisoners: levels, conditions, numbers, names; duplicate personal number → 409', async () => {
      const f = await t.createFacility();
      const bad = await t.http
        .post(`${API}/facilities/${f.id}/prisoners`)
        .set(bearer(t.adminToken))
        .send({
          personalNumber: '!',
          fullName: '',
          securityLevel: 'supermax',
          conditions: 'luxury',
        })
        .expect(400);
      expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual([
        'conditions',
        'fullName',
        'personalNumber',
        'securityLevel',
      ]);
      const p = await t.createPrisoner(f.id);
      const other = await t.createFacility();
      const got = await t.http
        .get(`${API}/prisoners/${p.id}`)
        .set(bearer(t.adminToken))
        .expect(200);
      const dup = await t.http
        .post(`${API}/facilities/${other.id}/prisoners`)
        .set(bearer(t.adminToken))
        .send({
          personalNumber: got.body.personalNumber,
          fullName: 'Someone',
          securityLevel: 'minimum',
        })
        .expect(409);
      expect(dup.body.code).toBe('PERSONAL_NUMBER_TAKEN');
      await t.http
        .post(`${API}/facilities/0b6e1c1e-8a7e-4b6f-9f55-3f0c2b7e9d11/prisoners`)
        .set(bearer(t.adminToken))
        .send({ personalNumber: uniq('N'), fullName: 'x', securityLevel: 'minimum' })
        .expect(404);
    });

    it('hides another facility’s prisoners from facility staff (404), never 403', async () => {
      const a = await t.createFacility();
      const b = await t.createFacility();
      const inB = await t.createPrisoner(b.id);
      const inA = await t.createPrisoner(a.id);
      // the administration of A: may register and move prisoners there, and sees nothing of B
      const officerA = await t.createStaff(['admin', 'intake-officer', 'visits-officer'], [a.id]);
      await t.http.get(`${API}/prisoners/${inA.id}`).set(bearer(officerA.token)).expect(200);
      const hidden = await t.http
        .get(`${API}/prisoners/${inB.id}`)
        .set(bearer(officerA.token))
        .expect(404);
      expect(hidden.body.code).toBe('NOT_FOUND');
      await t.http
        .get(`${API}/prisoners/${inB.id}/history`)
        .set(bearer(officerA.token))
        .expect(404);
      await t.http.get(`${API}/facilities/${b.id}`).set(bearer(officerA.token)).expect(404);
      await t.http
        .get(`${API}/facilities/${b.id}/prisoners`)
        .set(bearer(officerA.token))
        .expect(404);
      await t.http
        .post(`${API}/facilities/${b.id}/prisoners`)
        .set(bearer(officerA.token))
        .send({ personalNumber: uniq('X'), fullName: 'x', securityLevel: 'medium' })
        .expect(404);
      await t.http
        .post(`${API}/prisoners/${inB.id}/conditions`)
        .set(bearer(officerA.token))
        .send({ conditions: 'strict', reason: 'x' })
        .expect(404);
      const list = await t.http
        .get(`${API}/facilities/${a.id}/prisoners`)
        .set(bearer(officerA.token))
        .expect(200);
      expect(list.body.items.map((p: { id: string }) => p.id)).toEqual([inA.id]);
    });

    it('moves a prisoner between conditions and keeps the history', async () => {
      const f = await t.createFacility();
      const p = await t.createPrisoner(f.id, { conditions: 'strict' });
      const moved = await t.http
        .post(`${API}/prisoners/${p.id}/conditions`)
        .set(bearer(t.adminToken))
        .send({ conditions: 'ordinary', reason: 'six months of good behaviour' })
        .expect(200);
      expect(moved.body.conditions).toBe('ordinary');
      const same = await t.http
        .post(`${API}/prisoners/${p.id}/conditions`)
        .set(bearer(t.adminToken))
        .send({ conditions: 'ordinary', reason: 'again' })
        .expect(422);
      expect(same.body.code).toBe('CONDITIONS_UNCHANGED');
      await t.http
        .post(`${API}/prisoners/${p.id}/conditions`)
        .set(bearer(t.adminToken))
        .send({ conditions: 'facilitated' })
        .expect(400);
      const h = await t.http
        .get(`${API}/prisoners/${p.id}/history`)
        .set(bearer(t.adminToken))
        .expect(200);
      expect(
        h.body.conditions.map((c: { fromConditions: string | null; toConditions: string }) => [
          c.fromConditions,
          c.toConditions,
        ]),
      ).toEqual([
        [null, 'strict'],
        ['strict', 'ordinary'],
      ]);
    });

    it('serializes concurrent moves of one prisoner: the history stays a chain', async () => {
      const f = await t.createFacility();
      const p = await t.createPrisoner(f.id, { conditions: 'ordinary' });
      const targets = [
        'strict',
        'facilitated',
        'preferential',
        'strict',
        'ordinary',
        'facilitated',
        'strict',
        'preferential',
        'ordinary',
        'strict',
      ];
      const results = await Promise.all(
        targets.map((conditions) =>
          t.http
            .post(`${API}/prisoners/${p.id}/conditions`)
            .set(bearer(t.adminToken))
            .send({ conditions, reason: 'race' }),
        ),
      );
      for (const r of results) expect([200, 422]).toContain(r.status);
      const ok = results.filter((r) => r.status === 200).length;
      const h = await t.http
        .get(`${API}/prisoners/${p.id}/history`)
        .set(bearer(t.adminToken))
        .expect(200);
      const chain = h.body.conditions as Array<{
        fromConditions: string | null;
        toConditions: string;
      }>;
      expect(chain).toHaveLength(ok + 1);
      for (let i = 1; i < chain.length; i++)
        expect(chain[i].fromConditions).toBe(chain[i - 1].toConditions);
      const now = await t.http
        .get(`${API}/prisoners/${p.id}`)
        .set(bearer(t.adminToken))
        .expect(200);
      expect(now.body.conditions).toBe(chain[chain.length - 1].toConditions);
    });

    it('transfers a prisoner between facilities (admin), with history; refuses the same facility', async () => {
      const a = await t.createFacility();
      const b = await t.createFacility({ timeZone: 'Asia/Aqtobe' });
      const p = await t.createPrisoner(a.id);
      const officerA = await t.createStaff(['intake-officer'], [a.id]);
      await t.http
        .post(`${API}/prisoners/${p.id}/transfer`)
        .set(bearer(officerA.token))
        .send({ toFacilityId: b.id })
        .expect(403);
      const scopedAdminA = await t.createStaff(['admin'], [a.id]);
      await t.http
        .post(`${API}/prisoners/${p.id}/transfer`)
        .set(bearer(scopedAdminA.token))
        .send({ toFacilityId: b.id })
        .expect(404);
      const same = await t.http
        .post(`${API}/prisoners/${p.id}/transfer`)
        .set(bearer(t.adminToken))
        .send({ toFacilityId: a.id })
        .expect(422);
      expect(same.body.code).toBe('SAME_FACILITY');
      await t.http
        .post(`${API}/prisoners/${p.id}/transfer`)
        .set(bearer(t.adminToken))
        .send({ toFacilityId: 'nope' })
        .expect(400);
      const moved = await t.http
        .post(`${API}/prisoners/${p.id}/transfer`)
        .set(bearer(t.adminToken))
        .send({ toFacilityId: b.id, reason: 'order 12/3' })
        .expect(200);
      expect(moved.body.facilityId).toBe(b.id);
      // staff of the old facility no longer see the prisoner
      await t.http.get(`${API}/prisoners/${p.id}`).set(bearer(officerA.token)).expect(404);
      const h = await t.http
        .get(`${API}/prisoners/${p.id}/history`)
        .set(bearer(t.adminToken))
        .expect(200);
      expect(h.body.transfers).toHaveLength(1);
      expect(h.body.transfers[0]).toMatchObject({
        fromFacilityId: a.id,
        toFacilityId: b.id,
        reason: 'order 12/3',
      });
    });

    it('keeps history append-only in the database itself', async () => {
      const f = await t.createFacility();
      const p = await t.createPrisoner(f.id);
      await expect(
        t.sql('UPDATE prisoner_conditions_changes SET reason = $1 WHERE prisoner_id = $2', [
          'x',
          p.id,
        ]),
      ).rejects.toThrow(/append-only/);
      await expect(
        t.sql('DELETE FROM prisoner_conditions_changes WHERE prisoner_id = $1', [p.id]),
      ).rejects.toThrow(/append-only/);
    });
  });
});
