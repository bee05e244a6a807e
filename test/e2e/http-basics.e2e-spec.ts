import { API, TestApp } from '../support/test-app';

describe('HTTP basics: problem details, limits, request ids, health, docs', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await TestApp.start();
  });
  afterAll(() => t.close());

  const expectProblem = (body: Record<string, unknown>, status: number, code: string) => {
    expect(body).toMatchObject({ status, code });
    expect(typeof body.type).toBe('string');
    expect(typeof body.title).toBe('string');
    expect(Array.isArray(body.errors)).toBe(true);
  };

  it('answers malformed JSON with a 400 problem, without SQL or stack', async () => {
    const res = await t.http
      .post(`${API}/facilities`)
      .auth(t.adminToken, { type: 'bearer' })
      .set('content-type', 'application/json')
      .send('{"code": "A1", "name": ')
      .expect(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expectProblem(res.body, 400, 'MALFORMED_REQUEST');
    expect(JSON.stringify(res.body)).not.toMatch(/stack|at Object|SELECT|INSERT/i);
  });

  it('rejects unknown fields and wrong types, naming each field', async () => {
    const res = await t.http
      .post(`${API}/facilities`)
      .auth(t.adminToken, { type: 'bearer' })
      .send({ code: 42, name: ['x'], timeZone: 'Asia/Almaty', isAdmin: true })
      .expect(400);
    expectProblem(res.body, 400, 'VALIDATION_FAILED');
    const fields = (res.body.errors as Array<{ field: string }>).map((e) => e.field).sort();
    expect(fields).toEqual(expect.arrayContaining(['code', 'isAdmin', 'name']));
  });

  it('rejects a body that is not an object, and an empty body', async () => {
    for (const body of ['[]', '"text"', '42', 'null']) {
      const res = await t.http
        .post(`${API}/facilities`)
        .auth(t.adminToken, { type: 'bearer' })
        .set('content-type', 'application/json')
        .send(body);
      expect([400]).toContain(res.status);
      expect(res.body.status).toBe(400);
    }
    const empty = await t.http.post(`${API}/facilities`).auth(t.adminToken, { type: 'bearer' });
    expect(empty.status).toBe(400);
  });

  it('answers a body over the limit with 413', async () => {
    const big = { code: 'BIG', name: 'x'.repeat(70 * 1024), timeZone: 'Asia/Almaty' };
    const res = await t.http
      .post(`${API}/facilities`)
      .auth(t.adminToken, { type: 'bearer' })
      .send(big)
      .expect(413);
    expectProblem(res.body, 413, 'PAYLOAD_TOO_LARGE');
  });

  it('answers an unsupported content type with 415', async () => {
    const res = await t.http
      .post(`${API}/facilities`)
      .auth(t.adminToken, { type: 'bearer' })
      .set('content-type', 'text/plain')
      .send('code=A')
      .expect(415);
    expectProblem(res.body, 415, 'UNSUPPORTED_MEDIA_TYPE');
  });

  it('answers a non-UUID id with 400 and an unknown id with 404', async () => {
    const bad = await t.http
      .get(`${API}/prisoners/not-a-uuid`)
      .auth(t.adminToken, { type: 'bearer' })
      .expect(400);
    expectProblem(bad.body, 400, 'VALIDATION_FAILED');
    expect(bad.body.errors[0].field).toBe('id');
    const unknown = await t.http
      .get(`${API}/prisoners/7d1f0f38-6a2f-4a53-9a0e-9a4a1c2f0b11`)
      .auth(t.adminToken, { type: 'bearer' })
      .expect(404);
    expectProblem(unknown.body, 404, 'NOT_FOUND');
  });

  it('answers an unknown route with a 404 problem', async () => {
    const res = await t.http.get(`${API}/no-such-thing`).expect(404);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expectProblem(res.body, 404, 'ROUTE_NOT_FOUND');
  });

  it('carries a request id: the caller’s when sane, a new one otherwise', async () => {
    const mine = await t.http
      .get(`${API}/health/live`)
      .set('x-request-id', 'terminal-42.abc')
      .expect(200);
    expect(mine.headers['x-request-id']).toBe('terminal-42.abc');
    const evil = await t.http
      .get(`${API}/health/live`)
      .set('x-request-id', 'a b\tc<script>')
      .expect(200);
    expect(evil.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    const problem = await t.http.get(`${API}/nowhere`).set('x-request-id', 'req-7');
    expect(problem.body.requestId).toBe('req-7');
  });

  it('writes one line per answered request: info, warn at 4xx, with its id, status and time', async () => {
    await t.http.get(`${API}/health/live`).set('x-request-id', 'line-1').expect(200);
    await t.http.get(`${API}/nowhere`).set('x-request-id', 'line-2').expect(404);
    await t.http
      .post(`${API}/auth/staff/login`)
      .set('x-request-id', 'line-3')
      .send({ username: 'admin', password: 'not the password at all' })
      .expect(401);
    const lines = t.logs.lines() as Array<Record<string, unknown> & { req?: { id?: string } }>;
    const answered = (id: string) => lines.filter((l) => l.req?.id === id);
    expect(answered('line-1')).toEqual([
      expect.objectContaining({
        level: 30,
        msg: 'request completed',
        req: expect.objectContaining({ method: 'GET', url: `${API}/health/live` }),
        res: { statusCode: 200 },
        responseTime: expect.any(Number),
        service: 'prisoner-services',
      }),
    ]);
    expect(answered('line-2')).toEqual([
      expect.objectContaining({ level: 40, res: { statusCode: 404 } }),
    ]);
    expect(answered('line-3')).toEqual([
      expect.objectContaining({ level: 40, res: { statusCode: 401 } }),
    ]);
  });

  it('sets security headers (helmet)', async () => {
    const res = await t.http.get(`${API}/health/live`).expect(200);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toBeDefined();
  });

  it('reports liveness and readiness (the database answers)', async () => {
    await t.http.get(`${API}/health/live`).expect(200);
    const ready = await t.http.get(`${API}/health/ready`).expect(200);
    expect(ready.body.info.database.status).toBe('up');
  });

  it('serves the OpenAPI document and the docs page', async () => {
    const doc = await t.http.get('/api/docs-json').expect(200);
    expect(doc.body.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.body.paths)).toContain('/api/v1/facilities');
    const page = await t.http.get('/api/docs').expect(200);
    expect(page.text).toContain('swagger');
  });

  it('takes an empty body sent with a JSON content type as no body', async () => {
    // a body-less POST: fine where nothing is required …
    const f = await t.createFacility();
    const p = await t.createPrisoner(f.id);
    await t.http
      .post(`${API}/prisoners/${p.id}/cards`)
      .auth(t.adminToken, { type: 'bearer' })
      .set('content-type', 'application/json')
      .expect(201);
    // … and a 400 naming the missing fields where something is
    const res = await t.http
      .post(`${API}/facilities`)
      .auth(t.adminToken, { type: 'bearer' })
      .set('content-type', 'application/json')
      .expect(400);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual(
      expect.arrayContaining(['code', 'name', 'timeZone']),
    );
  });

  it('refuses JSON that tries to poison prototypes', async () => {
    const res = await t.http
      .post(`${API}/facilities`)
      .auth(t.adminToken, { type: 'bearer' })
      .set('content-type', 'application/json')
      .send('{"code":"PP-1","name":"x","timeZone":"UTC","__proto__":{"admin":true}}')
      .expect(400);
    expect(res.body.status).toBe(400);
  });
});
