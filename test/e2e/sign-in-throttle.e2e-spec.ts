import {
  API,
  ADMIN_PASSWORD,
  ADMIN_USERNAME,
  RELATIVE_PASSWORD,
  STAFF_PASSWORD,
  TestApp,
} from '../support/test-app';

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

    it('locks under bursts of parallel guesses too: exactly 10 are ever checked', async () => {
      const victim = await t.createStaff(['auditor'], []);
      const statuses: number[] = [];
      // bursts of 40 at once, then one at a time until the account is locked: a guess that finds
      // another being counted is refused (429) rather than queued, so a burst checks at most 10
      for (let burst = 0; burst < 3; burst++) {
        const results = await Promise.all(
          Array.from({ length: 40 }, (_, i) =>
            t.http
              .post(`${API}/auth/staff/login`)
              .send({ username: victim.username, password: `burst-${burst}-${i}-xxxxxx` }),
          ),
        );
        statuses.push(...results.map((r) => r.status));
      }
      expect(statuses.every((s) => s === 401 || s === 429)).toBe(true);
      expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(10);
      for (let i = 0; statuses.filter((s) => s === 401).length < 10 && i < 10; i++) {
        const res = await t.http
          .post(`${API}/auth/staff/login`)
          .send({ username: victim.username, password: `after-${i}-xxxxxx` });
        statuses.push(res.status);
      }
      expect(statuses.filter((s) => s === 401).length).toBe(10);
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

  describe('without a switch that turns an account off', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await TestApp.start({
        AUTH_MAX_FAILURES: '3',
        AUTH_ACCOUNT_MAX_FAILURES: '8',
        AUTH_LOCKOUT_SECONDS: '900',
        TRUST_PROXY: 'true',
      });
    });
    afterAll(() => {
      t.setNow(null);
      return t.close();
    });
    const from = (ip: string) => ({ 'x-forwarded-for': ip });
    const staffLogin = (ip: string, username: string, password: string) =>
      t.http.post(`${API}/auth/staff/login`).set(from(ip)).send({ username, password });

    it('locks a guesser out of the account, not the account’s owner elsewhere', async () => {
      const victim = await t.createStaff(['auditor'], []);
      const statuses: number[] = [];
      for (let i = 0; i < 6; i++)
        statuses.push(
          (await staffLogin('203.0.113.7', victim.username, `guess-${i}-xxxxxx`)).status,
        );
      expect(statuses).toEqual([401, 401, 401, 429, 429, 429]);
      // the guesser's address stays locked, the right password included
      expect((await staffLogin('203.0.113.7', victim.username, STAFF_PASSWORD)).status).toBe(429);
      // the owner, somewhere else, signs in; a typo there is just a wrong password
      expect((await staffLogin('198.51.100.20', victim.username, 'typo-xxxxxxxxx')).status).toBe(
        401,
      );
      expect((await staffLogin('198.51.100.20', victim.username, STAFF_PASSWORD)).status).toBe(200);
    });

    it('keeps the national administrator signing in from where they did before, whoever guesses from everywhere', async () => {
      // the harness signed the administrator in from 127.0.0.1; now a crowd guesses, 3 each
      const crowd = Array.from({ length: 4 }, (_, i) => `203.0.113.${100 + i}`);
      const statuses: number[] = [];
      for (const ip of crowd)
        for (let i = 0; i < 3; i++)
          statuses.push((await staffLogin(ip, ADMIN_USERNAME, `crowd-${i}-xxxxxx`)).status);
      // 8 failures from everywhere close the account to addresses it never signed in from
      expect(statuses).toEqual([...Array<number>(8).fill(401), ...Array<number>(4).fill(429)]);
      // ... the right password included
      const fresh = await staffLogin('192.0.2.50', ADMIN_USERNAME, ADMIN_PASSWORD);
      expect(fresh.status).toBe(429);
      expect(fresh.body.code).toBe('RATE_LIMITED');
      expect(Number(fresh.headers['retry-after'])).toBeGreaterThan(0);
      // ... while the administrator's own address still works
      expect((await staffLogin('127.0.0.1', ADMIN_USERNAME, ADMIN_PASSWORD)).status).toBe(200);
      // and once the failures leave the window, a new address works again
      t.setNow(new Date(Date.now() + 901_000));
      expect((await staffLogin('192.0.2.50', ADMIN_USERNAME, ADMIN_PASSWORD)).status).toBe(200);
      t.setNow(null);
    });

    it('forgets a client’s failures once it signs in', async () => {
      const r = await t.createStaff(['auditor'], []);
      for (let i = 0; i < 2; i++)
        expect((await staffLogin('198.51.100.77', r.username, `typo-${i}-xxxxxx`)).status).toBe(
          401,
        );
      expect((await staffLogin('198.51.100.77', r.username, STAFF_PASSWORD)).status).toBe(200);
      for (let i = 0; i < 2; i++)
        expect((await staffLogin('198.51.100.77', r.username, `typo-${i}-yyyyyy`)).status).toBe(
          401,
        );
      expect((await staffLogin('198.51.100.77', r.username, STAFF_PASSWORD)).status).toBe(200);
    });

    it('counts an IPv6 client by its /64, so fresh addresses of one network are one guesser', async () => {
      const r = await t.createStaff(['auditor'], []);
      for (let i = 0; i < 3; i++)
        expect(
          (await staffLogin(`2001:db8:1:2::${i + 1}`, r.username, `v6-${i}-xxxxxx`)).status,
        ).toBe(401);
      expect((await staffLogin('2001:db8:1:2::99', r.username, STAFF_PASSWORD)).status).toBe(429);
      expect((await staffLogin('2001:db8:1:3::1', r.username, STAFF_PASSWORD)).status).toBe(200);
    });

    it('forgets failures sent under a name before its account existed: nobody locks an account in advance', async () => {
      const username = `future-${Date.now().toString(36)}`;
      const crowd = Array.from({ length: 4 }, (_, i) => `203.0.113.${150 + i}`);
      for (const ip of crowd)
        for (let i = 0; i < 3; i++) await staffLogin(ip, username, `pre-${i}-xxxxxx`);
      // before the account exists, the name is closed to new addresses like any other
      expect((await staffLogin('192.0.2.60', username, STAFF_PASSWORD)).status).toBe(429);
      await t.http
        .post(`${API}/staff`)
        .auth(t.adminToken, { type: 'bearer' })
        .send({
          username,
          password: STAFF_PASSWORD,
          fullName: 'New Officer',
          roles: ['auditor'],
          facilityIds: [],
        })
        .expect(201);
      // the new officer's first sign-in, from an address never seen, works
      expect((await staffLogin('192.0.2.60', username, STAFF_PASSWORD)).status).toBe(200);
    });

    it('lets a relative sign in from where they registered, whoever guessed before or after', async () => {
      const email = `future-${Date.now().toString(36)}@example.kz`;
      const login = (ip: string, password: string) =>
        t.http.post(`${API}/auth/relatives/login`).set(from(ip)).send({ email, password });
      const crowd = Array.from({ length: 4 }, (_, i) => `203.0.113.${160 + i}`);
      for (const ip of crowd) for (let i = 0; i < 3; i++) await login(ip, `pre-${i}-xxxxxx`);
      await t.http
        .post(`${API}/relatives`)
        .set(from('198.51.100.40'))
        .send({
          email,
          password: RELATIVE_PASSWORD,
          fullName: 'Aigerim Test',
          phone: '+77011234567',
        })
        .expect(201);
      // a crowd guessing after registration closes the account to new addresses only
      for (const ip of crowd) for (let i = 0; i < 3; i++) await login(ip, `post-${i}-xxxxxx`);
      expect((await login('192.0.2.61', RELATIVE_PASSWORD)).status).toBe(429);
      expect((await login('198.51.100.40', RELATIVE_PASSWORD)).status).toBe(200);
    });

    it('treats relatives’ accounts the same way', async () => {
      const rel = await t.createRelative();
      const login = (ip: string, password: string) =>
        t.http
          .post(`${API}/auth/relatives/login`)
          .set(from(ip))
          .send({ email: rel.email, password });
      for (let i = 0; i < 3; i++)
        expect((await login('203.0.113.9', `wrong-${i}-xxxxxx`)).status).toBe(401);
      expect((await login('203.0.113.9', RELATIVE_PASSWORD)).status).toBe(429);
      expect((await login('198.51.100.9', RELATIVE_PASSWORD)).status).toBe(200);
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
