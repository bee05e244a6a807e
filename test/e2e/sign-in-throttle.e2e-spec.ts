import { API, ADMIN_USERNAME, STAFF_PASSWORD, TestApp } from '../support/test-app';

describe('brute-force protection on sign-in', () => {
  describe('per account', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await TestApp.start({ AUTH_MAX_FAILURES: '10', AUTH_LOCKOUT_SECONDS: '900' });
    });
    afterAll(() => t.close());

    it('locks an account after 10 failures (429 with Retry-After) while other accounts sign in', async () => {
      const victim = await t.createStaff(['auditor'], []);
      const other = await t.createStaff(['auditor'], []);
      const statuses: number[] = [];
      for (let i = 0; i < 40; i++) {
        const res = await t.http
          .post(`${API}/auth/staff/login`)
          .send({ username: victim.username, password: `guess-${i}-xxxxxx` });
        statuses.push(res.status);
        if (res.status === 429) {
          expect(res.body.code).toBe('RATE_LIMITED');
          const retry = Number(res.headers['retry-after']);
          expect(retry).toBeGreaterThan(0);
          expect(retry).toBeLessThanOrEqual(900);
        }
      }
      expect(statuses.slice(0, 10)).toEqual(Array(10).fill(401));
      expect(statuses.slice(10)).toEqual(Array(30).fill(429));
      // the right password does not get through a locked account either
      await t.http
        .post(`${API}/auth/staff/login`)
        .send({ username: victim.username, password: STAFF_PASSWORD })
        .expect(429);
      await t.http
        .post(`${API}/auth/staff/login`)
        .send({ username: other.username, password: STAFF_PASSWORD })
        .expect(200);
      await t.http
        .post(`${API}/auth/staff/login`)
        .send({ username: ADMIN_USERNAME, password: 'x'.repeat(12) })
        .expect(401);
    });

    it('locks under a burst of parallel guesses too', async () => {
      const victim = await t.createStaff(['auditor'], []);
      const results = await Promise.all(
        Array.from({ length: 40 }, (_, i) =>
          t.http
            .post(`${API}/auth/staff/login`)
            .send({ username: victim.username, password: `burst-${i}-xxxxxx` }),
        ),
      );
      const statuses = results.map((r) => r.status);
      expect(statuses.every((s) => s === 401 || s === 429)).toBe(true);
      expect(statuses.filter((s) => s === 429).length).toBeGreaterThan(0);
      await t.http
        .post(`${API}/auth/staff/login`)
        .send({ username: victim.username, password: STAFF_PASSWORD })
        .expect(429);
    });

    it('locks relatives’ accounts the same way, and unknown accounts alike', async () => {
      const r = await t.createRelative();
      for (let i = 0; i < 10; i++) {
        await t.http
          .post(`${API}/auth/relatives/login`)
          .send({ email: r.email, password: `wrong-${i}-xxxxxx` })
          .expect(401);
        await t.http
          .post(`${API}/auth/staff/login`)
          .send({ username: 'no-such-user', password: `wrong-${i}-xxxxxx` })
          .expect(401);
      }
      await t.http
        .post(`${API}/auth/relatives/login`)
        .send({ email: r.email, password: 'wrong-again-xxxx' })
        .expect(429);
      await t.http
        .post(`${API}/auth/staff/login`)
        .send({ username: 'no-such-user', password: 'wrong-again-xxxx' })
        .expect(429);
    });
  });

  describe('per client address', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await TestApp.start({
        AUTH_THROTTLE_LIMIT: '5',
        AUTH_THROTTLE_TTL: '60',
        TRUST_PROXY: 'true',
      });
    });
    afterAll(() => t.close());

    it('answers 429 with Retry-After past the limit, across sign-in and registration, per address', async () => {
      const from = (ip: string) => ({ 'x-forwarded-for': ip });
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) {
        const res = await t.http
          .post(`${API}/auth/staff/login`)
          .set(from('10.0.0.1'))
          .send({ username: 'someone', password: 'x'.repeat(12) });
        statuses.push(res.status);
      }
      const reg = await t.http.post(`${API}/relatives`).set(from('10.0.0.1')).send({});
      statuses.push(reg.status);
      const sixth = await t.http
        .post(`${API}/auth/relatives/login`)
        .set(from('10.0.0.1'))
        .send({ email: 'a@b.kz', password: 'x'.repeat(12) });
      expect(statuses).toEqual([401, 401, 401, 401, 400]);
      expect(sixth.status).toBe(429);
      expect(sixth.body.code).toBe('RATE_LIMITED');
      expect(Number(sixth.headers['retry-after'])).toBeGreaterThan(0);
      // another address is unaffected
      await t.http
        .post(`${API}/auth/staff/login`)
        .set(from('10.0.0.2'))
        .send({ username: ADMIN_USERNAME, password: 'x'.repeat(12) })
        .expect(401);
      // other routes are not throttled
      await t.http.get(`${API}/health/live`).set(from('10.0.0.1')).expect(200);
    });
  });
});
