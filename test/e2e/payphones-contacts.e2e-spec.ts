import { randomUUID } from 'node:crypto';
import { API, Staff, TestApp } from '../support/test-app';

describe('payphones: the prisoner’s approved numbers', () => {
  let t: TestApp;
  let facilityId: string;
  let officer: Staff;
  const as = (token: string) => ({ authorization: `Bearer ${token}` });

  beforeAll(async () => {
    t = await TestApp.start();
    facilityId = (await t.createFacility()).id;
    officer = await t.createStaff(['phone-officer'], [facilityId]);
  });
  afterAll(() => t.close());

  const add = (prisonerId: string, body: object, token = officer.token) =>
    t.http.post(`${API}/prisoners/${prisonerId}/contacts`).set(as(token)).send(body);

  it('keeps a number in E.164: +7 701 123 45 67 and 87011234567 are one contact', async () => {
    const p = await t.createPrisoner(facilityId);
    const first = await add(p.id, {
      phoneNumber: '+7 701 123 45 67',
      name: 'Mother',
      relationship: 'parent',
    }).expect(201);
    expect(first.body).toMatchObject({
      status: 'pending',
      phoneNumber: '+77011234567',
      legal: false,
      requestedBy: 'staff',
    });
    const again = await add(p.id, {
      phoneNumber: '87011234567',
      name: 'Mother again',
      relationship: 'parent',
    }).expect(409);
    expect(again.body.code).toBe('CONTACT_EXISTS');
  });

  it('refuses a malformed number with 400 naming the field', async () => {
    const p = await t.createPrisoner(facilityId);
    for (const phoneNumber of ['123', '+7 701 12', 'call me', '+77011234567890']) {
      const res = await add(p.id, { phoneNumber, name: 'X', relationship: 'other' }).expect(400);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain('phoneNumber');
    }
    const list = await t.http.get(`${API}/prisoners/${p.id}/contacts`).set(as(officer.token));
    expect(list.body.items).toEqual([]);
  });

  it('goes pending → approved or rejected (with a reason), once; removal takes it off the list', async () => {
    const p = await t.createPrisoner(facilityId);
    const a = await add(p.id, { phoneNumber: '+77011110001', name: 'A', relationship: 'sibling' });
    const b = await add(p.id, { phoneNumber: '+77011110002', name: 'B', relationship: 'spouse' });
    const approved = await t.http
      .post(`${API}/contacts/${a.body.id}/approve`)
      .set(as(officer.token))
      .expect(200);
    expect(approved.body.status).toBe('approved');
    const twice = await t.http
      .post(`${API}/contacts/${a.body.id}/approve`)
      .set(as(officer.token))
      .expect(422);
    expect(twice.body.code).toBe('CONTACT_NOT_PENDING');
    await t.http
      .post(`${API}/contacts/${b.body.id}/reject`)
      .set(as(officer.token))
      .send({})
      .expect(400);
    const rejected = await t.http
      .post(`${API}/contacts/${b.body.id}/reject`)
      .set(as(officer.token))
      .send({ reason: 'not a relative' })
      .expect(200);
    expect(rejected.body).toMatchObject({ status: 'rejected', rejectReason: 'not a relative' });
    const removed = await t.http
      .post(`${API}/contacts/${a.body.id}/remove`)
      .set(as(officer.token))
      .expect(200);
    expect(removed.body.status).toBe('removed');
    await t.http.post(`${API}/contacts/${a.body.id}/remove`).set(as(officer.token)).expect(422);
    // once removed, the number may be asked for again
    await add(p.id, { phoneNumber: '+77011110001', name: 'A', relationship: 'sibling' }).expect(
      201,
    );
  });

  it('holds at most payphones.maxContacts pending and approved numbers (extreme: 5)', async () => {
    const p = await t.createPrisoner(facilityId, { securityLevel: 'extreme' });
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await add(p.id, {
        phoneNumber: `+7701222000${i}`,
        name: `N${i}`,
        relationship: 'other',
      }).expect(201);
      ids.push(res.body.id);
    }
    const full = await add(p.id, {
      phoneNumber: '+77012220009',
      name: 'one more',
      relationship: 'other',
    }).expect(422);
    expect(full.body.code).toBe('CONTACT_LIMIT');
    await t.http
      .post(`${API}/contacts/${ids[0]}/reject`)
      .set(as(officer.token))
      .send({ reason: 'unknown' })
      .expect(200);
    await add(p.id, { phoneNumber: '+77012220009', name: 'now', relationship: 'other' }).expect(
      201,
    );
  });

  it('lets two officers race for the last place: one 201, one 422', async () => {
    const p = await t.createPrisoner(facilityId, { securityLevel: 'extreme' });
    for (let i = 0; i < 4; i++)
      await add(p.id, { phoneNumber: `+7701333000${i}`, name: 'x', relationship: 'other' }).expect(
        201,
      );
    const results = await Promise.all(
      [5, 6, 7].map((i) =>
        add(p.id, { phoneNumber: `+7701333000${i}`, name: 'x', relationship: 'other' }),
      ),
    );
    expect(results.map((r) => r.status).sort()).toEqual([201, 422, 422]);
  });

  it('a lawyer’s number is marked legal by staff only', async () => {
    const p = await t.createPrisoner(facilityId);
    const lawyer = await add(p.id, {
      phoneNumber: '+77172555111',
      name: 'Defence counsel',
      relationship: 'lawyer',
      legal: true,
    }).expect(201);
    expect(lawyer.body.legal).toBe(true);
  });

  it('lets a linked relative ask for their own number only, and see their own requests only', async () => {
    const p = await t.createPrisoner(facilityId);
    const relative = await t.createRelative(); // registered with +77011234567
    await t.linkRelative(relative, p);
    const stranger = await t.createRelative();
    await add(p.id, { phoneNumber: '+77015550000', name: 'Brother', relationship: 'sibling' });

    const own = await add(
      p.id,
      { phoneNumber: '8 701 123 45 67', name: 'Me', relationship: 'parent' },
      relative.token,
    ).expect(201);
    expect(own.body).toMatchObject({ status: 'pending', requestedBy: 'relative' });
    const other = await add(
      p.id,
      { phoneNumber: '+77019998877', name: 'Friend', relationship: 'other' },
      relative.token,
    ).expect(422);
    expect(other.body.code).toBe('NOT_OWN_NUMBER');
    const legal = await add(
      p.id,
      { phoneNumber: '+77011234567', name: 'Me', relationship: 'lawyer', legal: true },
      relative.token,
    ).expect(403);
    expect(legal.body.errors[0].field).toBe('legal');
    await add(
      p.id,
      { phoneNumber: '+77011234567', name: 'Me', relationship: 'parent' },
      stranger.token,
    ).expect(404);

    const mine = await t.http
      .get(`${API}/prisoners/${p.id}/contacts`)
      .set(as(relative.token))
      .expect(200);
    expect(mine.body.items.map((c: { phoneNumber: string }) => c.phoneNumber)).toEqual([
      '+77011234567',
    ]);
    const all = await t.http
      .get(`${API}/prisoners/${p.id}/contacts`)
      .set(as(officer.token))
      .expect(200);
    expect(all.body.items).toHaveLength(2);
    await t.http.get(`${API}/prisoners/${p.id}/contacts`).set(as(stranger.token)).expect(404);
    // the relative may withdraw their own request, and cannot decide it
    await t.http.post(`${API}/contacts/${own.body.id}/approve`).set(as(relative.token)).expect(403);
    await t.http.post(`${API}/contacts/${own.body.id}/remove`).set(as(relative.token)).expect(200);
    const brother = all.body.items.find((c: { name: string }) => c.name === 'Brother');
    await t.http.post(`${API}/contacts/${brother.id}/remove`).set(as(relative.token)).expect(404);
  });

  it('answers 404 for an unknown prisoner or contact, and for another facility’s', async () => {
    await add(randomUUID(), {
      phoneNumber: '+77011234567',
      name: 'x',
      relationship: 'other',
    }).expect(404);
    await t.http.post(`${API}/contacts/${randomUUID()}/approve`).set(as(officer.token)).expect(404);
    const elsewhere = await t.createFacility();
    const p = await t.createPrisoner(elsewhere.id);
    const c = await t.http
      .post(`${API}/prisoners/${p.id}/contacts`)
      .auth(t.adminToken, { type: 'bearer' })
      .send({ phoneNumber: '+77011234567', name: 'x', relationship: 'other' })
      .expect(201);
    await t.http.post(`${API}/contacts/${c.body.id}/approve`).set(as(officer.token)).expect(404);
    await t.http.get(`${API}/prisoners/${p.id}/contacts`).set(as(officer.token)).expect(404);
  });
});
