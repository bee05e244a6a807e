import { createHmac } from 'node:crypto';
import { loadEnv } from '../../src/config/env.schema';
import { createHttpApp } from '../../src/http-app';
import { createTestDatabase, dropTestDatabase, superuserQuery } from '../support/database';
import { LogCapture } from '../support/log-capture';
import { API, ADMIN_USERNAME, STAFF_PASSWORD, TestApp, uniq } from '../support/test-app';

function b64(o: object): string {
  return Buffer.from(JSON.stringify(o)).toString('base64url');
}
function sign(header: object, payload: object, secret: string): string {
  const data = `${b64(header)}.${b64(payload)}`;
  return `${data}.${createHmac('sha256', secret).update(data).digest('base64url')}`;
}

describe('staff sign-in and the access guard', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await TestApp.start();
  });
  afterAll(() => t.close());

  it('signs in the first-start administrator with every role, nationally', async () => {
    const me = await t.http
      .get(`${API}/staff/me`)
      .auth(t.adminToken, { type: 'bearer' })
      .expect(200);
    expect(me.body.username).toBe(ADMIN_USERNAME);
    expect(me.body.facilityIds).toBeNull();
    expect(me.body.roles).toEqual(expect.arrayContaining(['admin', 'auditor', 'finance-officer']));
  });

  it('refuses a wrong password and an unknown user alike (401)', async () => {
    const wrong = await t.http
      .post(`${API}/auth/staff/login`)
      .send({ username: ADMIN_USERNAME, password: 'nope-nope-nope' })
      .expect(401);
    const unknown = await t.http
      .post(`${API}/auth/staff/login`)
      .send({ username: 'nobody-here', password: 'nope-nope-nope' })
      .expect(401);
    expect(wrong.body.code).toBe('INVALID_CREDENTIALS');
    expect(unknown.body.code).toBe('INVALID_CREDENTIALS');
    expect(unknown.body.detail).toBe(wrong.body.detail);
  });

  it('answers 401 without credentials, with a forged, unsigned, expired or malformed token', async () => {
    const me = await t.http
      .get(`${API}/staff/me`)
      .auth(t.adminToken, { type: 'bearer' })
      .expect(200);
    const sub = me.body.id as string;
    const now = Math.floor(Date.now() / 1000);
    const claims = { sub, typ: 'staff', iss: 'prisoner-services', aud: 'staff', iat: now };
    const tokens = [
      sign(
        { alg: 'HS256', typ: 'JWT' },
        { ...claims, exp: now + 600 },
        'not-the-secret-not-the-secret-xx',
      ),
      `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ ...claims, exp: now + 600 })}.`,
      sign(
        { alg: 'HS256', typ: 'JWT' },
        { ...claims, iat: now - 7200, exp: now - 3600 },
        t.env.JWT_SECRET!,
      ),
      sign(
        { alg: 'HS256', typ: 'JWT' },
        { ...claims, aud: 'relative', exp: now + 600 },
        t.env.JWT_SECRET!,
      ),
      'garbage',
      t.adminToken.slice(0, -3) + 'abc',
    ];
    const none = await t.http.get(`${API}/facilities`).expect(401);
    expect(none.body.code).toBe('UNAUTHENTICATED');
    expect(none.headers['www-authenticate']).toBe('Bearer, ApiKey');
    for (const token of tokens) {
      const res = await t.http.get(`${API}/facilities`).set('authorization', `Bearer ${token}`);
      expect({ token, status: res.status }).toEqual({ token, status: 401 });
    }
    // the same claims correctly signed are accepted: the 401s above are about the signature/expiry
    const good = sign(
      { alg: 'HS256', typ: 'JWT' },
      { ...claims, exp: now + 600 },
      t.env.JWT_SECRET!,
    );
    await t.http.get(`${API}/facilities`).set('authorization', `Bearer ${good}`).expect(200);
  });

  it('checks roles: a role the route does not name gets 403', async () => {
    const f = await t.createFacility();
    const auditor = await t.createStaff(['auditor'], [f.id]);
    const res = await t.http
      .post(`${API}/facilities`)
      .auth(auditor.token, { type: 'bearer' })
      .send({ code: 'NOPE-1', name: 'x', timeZone: 'Asia/Almaty' })
      .expect(403);
    expect(res.body.code).toBe('FORBIDDEN');
    await t.http
      .post(`${API}/facilities/${f.id}/prisoners`)
      .auth(auditor.token, { type: 'bearer' })
      .send({ personalNumber: 'AUD-1', fullName: 'x', securityLevel: 'medium' })
      .expect(403);
  });

  it('keeps a scoped administrator inside their scope when creating accounts', async () => {
    const a = await t.createFacility();
    const b = await t.createFacility();
    const scopedAdmin = await t.createStaff(['admin'], [a.id]);
    const body = {
      username: 'x-officer-1',
      password: STAFF_PASSWORD,
      fullName: 'X',
      roles: ['intake-officer'],
    };
    const national = await t.http
      .post(`${API}/staff`)
      .auth(scopedAdmin.token, { type: 'bearer' })
      .send({ ...body, facilityIds: [] })
      .expect(422);
    expect(national.body.code).toBe('SCOPE_NOT_ALLOWED');
    await t.http
      .post(`${API}/staff`)
      .auth(scopedAdmin.token, { type: 'bearer' })
      .send({ ...body, facilityIds: [b.id] })
      .expect(422);
    await t.http
      .post(`${API}/staff`)
      .auth(scopedAdmin.token, { type: 'bearer' })
      .send({ ...body, facilityIds: [a.id] })
      .expect(201);
  });

  it('validates new accounts: duplicate username 409, unknown role or facility, short password', async () => {
    const f = await t.createFacility();
    const body = {
      username: 'dup-user',
      password: STAFF_PASSWORD,
      fullName: 'Dup',
      roles: ['auditor'],
      facilityIds: [f.id],
    };
    await t.http.post(`${API}/staff`).auth(t.adminToken, { type: 'bearer' }).send(body).expect(201);
    const dup = await t.http
      .post(`${API}/staff`)
      .auth(t.adminToken, { type: 'bearer' })
      .send({ ...body, username: 'DUP-USER' })
      .expect(409);
    expect(dup.body.code).toBe('USERNAME_TAKEN');
    const bad = await t.http
      .post(`${API}/staff`)
      .auth(t.adminToken, { type: 'bearer' })
      .send({ ...body, username: 'other-user', roles: ['warden'], password: 'short' })
      .expect(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field)).toEqual(
      expect.arrayContaining(['roles', 'password']),
    );
    const unknown = await t.http
      .post(`${API}/staff`)
      .auth(t.adminToken, { type: 'bearer' })
      .send({
        ...body,
        username: 'other-user',
        facilityIds: ['4b1d7c39-2f0e-4d35-8f0e-1f2a3b4c5d6e'],
      })
      .expect(422);
    expect(unknown.body.code).toBe('UNKNOWN_FACILITY');
  });

  it('refuses passwords that are easy to guess, for staff and relatives, naming the field (400)', async () => {
    const f = await t.createFacility();
    for (const password of [' '.repeat(12), 'aaaaaaaaaaaa', 'password1234', 'qwerty123456']) {
      const username = uniq('weak-').toLowerCase();
      const staff = await t.http
        .post(`${API}/staff`)
        .auth(t.adminToken, { type: 'bearer' })
        .send({
          username,
          password,
          fullName: 'Weak Password',
          roles: ['auditor'],
          facilityIds: [f.id],
        })
        .expect(400);
      expect(staff.body.errors).toEqual([
        { field: 'password', message: expect.stringMatching(/^password is too easy to guess/) },
      ]);
      const email = `${username}@example.kz`;
      const relative = await t.http
        .post(`${API}/relatives`)
        .send({ email, password, fullName: 'Weak Password', phone: '+77011234567' })
        .expect(400);
      expect(relative.body.errors).toEqual([
        { field: 'password', message: expect.stringMatching(/^password is too easy to guess/) },
      ]);
      const stored = await t.sql(
        `SELECT 1 FROM staff_accounts WHERE username = $1 UNION ALL SELECT 1 FROM relatives WHERE email = $2`,
        [username, email],
      );
      expect(stored).toEqual([]);
    }
    // the account's own name is easy to guess for whoever knows it
    const own = await t.http
      .post(`${API}/staff`)
      .auth(t.adminToken, { type: 'bearer' })
      .send({
        username: 'saule.temirova',
        password: 'saule.temirova',
        fullName: 'Saule Temirova',
        roles: ['auditor'],
        facilityIds: [f.id],
      })
      .expect(400);
    expect(own.body.errors[0].field).toBe('password');
  });

  it('refuses to create the first-start account with an ADMIN_PASSWORD that is easy to guess', async () => {
    const db = await createTestDatabase();
    try {
      const env = loadEnv({
        DATABASE_URL: db.url,
        ADMIN_USERNAME,
        ADMIN_PASSWORD: 'aaaaaaaaaaaa',
        JWT_SECRET: t.env.JWT_SECRET!,
        CARD_HMAC_SECRET: t.env.CARD_HMAC_SECRET!,
        STRIPE_SECRET_KEY: t.env.STRIPE_SECRET_KEY!,
        STRIPE_WEBHOOK_SECRET: t.env.STRIPE_WEBHOOK_SECRET!,
        SEED_DEMO: 'false',
        DEPOSIT_RECONCILE_SECONDS: '0',
      });
      await expect(createHttpApp(env, { logStream: new LogCapture() })).rejects.toThrow(
        /ADMIN_PASSWORD is too easy to guess/,
      );
      expect(await superuserQuery(db.name, 'SELECT 1 FROM staff_accounts')).toEqual([]);
    } finally {
      await dropTestDatabase(db.name);
    }
  });

  it('stores only an argon2id hash of the password', async () => {
    const rows = await t.sql<{ password_hash: string }>(
      'SELECT password_hash FROM staff_accounts WHERE username = $1',
      [ADMIN_USERNAME],
    );
    expect(rows[0].password_hash).toMatch(/^\$argon2id\$/);
  });

  it('stops honouring the tokens of a disabled account at once', async () => {
    const s = await t.createStaff(['auditor'], []);
    await t.http.get(`${API}/staff/me`).auth(s.token, { type: 'bearer' }).expect(200);
    await t.sql('UPDATE staff_accounts SET active = false WHERE id = $1', [s.id]);
    await t.http.get(`${API}/staff/me`).auth(s.token, { type: 'bearer' }).expect(401);
  });
});
