import { RELATIONSHIPS } from '../../src/modules/visits/domain/relationship';
import { API, RELATIVE_PASSWORD, TestApp, uniq } from '../support/test-app';

describe('relatives, their links to prisoners, and what a link opens', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await TestApp.start();
  });
  afterAll(() => t.close());

  it('registers a relative, refuses a second account with the same email, validates input', async () => {
    const r = await t.createRelative();
    const dup = await t.http
      .post(`${API}/relatives`)
      .send({
        email: r.email.toUpperCase(),
        password: RELATIVE_PASSWORD,
        fullName: 'X',
        phone: '+77011234567',
      })
      .expect(409);
    expect(dup.body.code).toBe('EMAIL_TAKEN');
    const bad = await t.http
      .post(`${API}/relatives`)
      .send({
        email: 'not-an-email',
        password: 'short',
        fullName: '',
        phone: '87011234567',
        role: 'admin',
      })
      .expect(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual([
      'email',
      'fullName',
      'password',
      'phone',
      'role',
    ]);
    const me = await t.http
      .get(`${API}/relatives/me`)
      .auth(r.token, { type: 'bearer' })
      .expect(200);
    expect(me.body).toMatchObject({ id: r.id, email: r.email });
    expect(me.body.password).toBeUndefined();
  });

  it('shows relatives the facility directory, to find where to ask for a link', async () => {
    const f = await t.createFacility({ name: 'Colony for the directory' });
    const r = await t.createRelative();
    const res = await t.http
      .get(`${API}/facilities`)
      .query({ limit: '500' })
      .auth(r.token, { type: 'bearer' })
      .expect(200);
    expect(res.body.items.map((x: { id: string }) => x.id)).toContain(f.id);
    // but none of a facility's own records
    await t.http
      .get(`${API}/facilities/${f.id}/prisoners`)
      .auth(r.token, { type: 'bearer' })
      .expect(403);
  });

  it('keeps relatives and staff tokens apart', async () => {
    const r = await t.createRelative();
    const p = await t.createPrisoner((await t.createFacility()).id);
    await t.http.get(`${API}/prisoners/${p.id}`).auth(r.token, { type: 'bearer' }).expect(403);
    await t.http.get(`${API}/relatives/me`).auth(t.adminToken, { type: 'bearer' }).expect(403);
    await t.http
      .post(`${API}/auth/relatives/login`)
      .send({ email: r.email, password: 'wrong-password-x' })
      .expect(401);
  });

  it('takes every relationship the rules of visits know, and no other', async () => {
    const f = await t.createFacility();
    const r = await t.createRelative();
    const ask = (relationship: string) =>
      t.http
        .post(`${API}/relatives/me/links`)
        .auth(r.token, { type: 'bearer' })
        .send({ facilityId: f.id, prisonerPersonalNumber: uniq('PN'), relationship });
    const answers: Record<string, number> = {};
    for (const relationship of [...RELATIONSHIPS, 'cousin']) {
      answers[relationship] = (await ask(relationship)).status;
    }
    expect(answers).toEqual({
      ...Object.fromEntries(RELATIONSHIPS.map((x) => [x, 201])),
      cousin: 400,
    });
  });

  it('answers a link request the same whether or not the prisoner exists', async () => {
    const f = await t.createFacility();
    const p = await t.createPrisoner(f.id);
    const pn = (await t.http.get(`${API}/prisoners/${p.id}`).auth(t.adminToken, { type: 'bearer' }))
      .body.personalNumber;
    const r = await t.createRelative();
    const real = await t.http
      .post(`${API}/relatives/me/links`)
      .auth(r.token, { type: 'bearer' })
      .send({ facilityId: f.id, prisonerPersonalNumber: pn, relationship: 'spouse' })
      .expect(201);
    const fake = await t.http
      .post(`${API}/relatives/me/links`)
      .auth(r.token, { type: 'bearer' })
      .send({ facilityId: f.id, prisonerPersonalNumber: 'NOBODY-123', relationship: 'spouse' })
      .expect(201);
    expect(Object.keys(real.body).sort()).toEqual(Object.keys(fake.body).sort());
    expect(real.body.status).toBe('pending');
    expect(fake.body.status).toBe('pending');
    const again = await t.http
      .post(`${API}/relatives/me/links`)
      .auth(r.token, { type: 'bearer' })
      .send({ facilityId: f.id, prisonerPersonalNumber: pn, relationship: 'spouse' })
      .expect(409);
    expect(again.body.code).toBe('LINK_EXISTS');

    // staff see which request names a prisoner; the fake one can only be rejected
    const officer = await t.createStaff(['visits-officer'], [f.id]);
    const pending = await t.http
      .get(`${API}/facilities/${f.id}/links`)
      .query({ status: 'pending' })
      .auth(officer.token, { type: 'bearer' })
      .expect(200);
    const byId = Object.fromEntries(
      pending.body.items.map((l: { id: string; prisonerId: string | null }) => [
        l.id,
        l.prisonerId,
      ]),
    );
    expect(byId[real.body.id]).toBe(p.id);
    expect(byId[fake.body.id]).toBeNull();
    const cannot = await t.http
      .post(`${API}/links/${fake.body.id}/approve`)
      .auth(officer.token, { type: 'bearer' })
      .send({})
      .expect(422);
    expect(cannot.body.code).toBe('LINK_PRISONER_UNKNOWN');
    await t.http
      .post(`${API}/links/${fake.body.id}/reject`)
      .auth(officer.token, { type: 'bearer' })
      .send({ reason: 'no such prisoner' })
      .expect(200);
    await t.http
      .post(`${API}/links/${fake.body.id}/reject`)
      .auth(officer.token, { type: 'bearer' })
      .send({ reason: 'again' })
      .expect(422);
  });

  it('opens a prisoner to a relative only through an approved link (404 otherwise)', async () => {
    const f = await t.createFacility();
    const mine = await t.createPrisoner(f.id);
    const other = await t.createPrisoner(f.id);
    const r = await t.createRelative();
    const stranger = await t.createRelative();

    await t.http
      .get(`${API}/relatives/me/prisoners/${mine.id}`)
      .auth(r.token, { type: 'bearer' })
      .expect(404);
    const linkId = await t.linkRelative(r, mine);
    const seen = await t.http
      .get(`${API}/relatives/me/prisoners/${mine.id}`)
      .auth(r.token, { type: 'bearer' })
      .expect(200);
    expect(seen.body).toMatchObject({ prisonerId: mine.id, linkId, facilityId: f.id });
    await t.http
      .get(`${API}/relatives/me/prisoners/${other.id}`)
      .auth(r.token, { type: 'bearer' })
      .expect(404);
    await t.http
      .get(`${API}/relatives/me/prisoners/${mine.id}`)
      .auth(stranger.token, { type: 'bearer' })
      .expect(404);
    const list = await t.http
      .get(`${API}/relatives/me/prisoners`)
      .auth(r.token, { type: 'bearer' })
      .expect(200);
    expect(list.body.map((x: { prisonerId: string }) => x.prisonerId)).toEqual([mine.id]);
    // staff routes stay closed to relatives whatever their links
    await t.http.get(`${API}/prisoners/${mine.id}`).auth(r.token, { type: 'bearer' }).expect(403);
  });

  it('lets only visits officers of the facility decide, once', async () => {
    const a = await t.createFacility();
    const b = await t.createFacility();
    const p = await t.createPrisoner(a.id);
    const pn = (await t.http.get(`${API}/prisoners/${p.id}`).auth(t.adminToken, { type: 'bearer' }))
      .body.personalNumber;
    const r = await t.createRelative();
    const link = await t.http
      .post(`${API}/relatives/me/links`)
      .auth(r.token, { type: 'bearer' })
      .send({ facilityId: a.id, prisonerPersonalNumber: pn, relationship: 'child' })
      .expect(201);
    const officerB = await t.createStaff(['visits-officer'], [b.id]);
    const intakeA = await t.createStaff(['intake-officer'], [a.id]);
    const officerA = await t.createStaff(['visits-officer'], [a.id]);
    await t.http
      .post(`${API}/links/${link.body.id}/approve`)
      .auth(officerB.token, { type: 'bearer' })
      .send({})
      .expect(404);
    await t.http
      .post(`${API}/links/${link.body.id}/approve`)
      .auth(intakeA.token, { type: 'bearer' })
      .send({})
      .expect(403);
    await t.http
      .post(`${API}/links/${link.body.id}/approve`)
      .auth(r.token, { type: 'bearer' })
      .send({})
      .expect(403);
    // two officers approving at once: one decision
    const both = await Promise.all(
      [0, 1, 2].map(() =>
        t.http
          .post(`${API}/links/${link.body.id}/approve`)
          .auth(officerA.token, { type: 'bearer' })
          .send({ note: 'documents seen' }),
      ),
    );
    expect(both.map((x) => x.status).sort()).toEqual([200, 422, 422]);
    const mineNow = await t.http
      .get(`${API}/relatives/me/links`)
      .auth(r.token, { type: 'bearer' })
      .expect(200);
    expect(mineNow.body[0]).toMatchObject({ status: 'approved', decisionNote: 'documents seen' });
    expect(mineNow.body[0].prisonerId).toBeUndefined();
  });
});
