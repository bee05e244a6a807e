import { connect } from 'node:net';
import { API, TestApp } from '../support/test-app';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- answers are read as loose JSON
type Json = any;

/** Sends bytes as they are (what an HTTP client would refuse to send) and reads the answer. */
function raw(
  baseUrl: string,
  text: string | Buffer,
): Promise<{ status: number; head: string; body: Json }> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    let out = '';
    const s = connect(Number(port), hostname, () => s.write(text));
    s.setEncoding('latin1');
    s.on('data', (d: string) => (out += d));
    s.on('error', reject);
    s.on('close', () => {
      const [head, ...rest] = out.split('\r\n\r\n');
      const body = rest.join('\r\n\r\n');
      resolve({
        status: Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1]),
        head,
        body: body ? JSON.parse(body) : undefined,
      });
    });
  });
}

const OUR_CODE = /^[A-Z][A-Z_]+$/;

function expectProblem(
  res: { status: number; headers?: Record<string, string>; body: Json },
  status: number,
  code: string,
) {
  expect({ status: res.status, code: res.body?.code }).toEqual({ status, code });
  if (res.headers) expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(res.body).toMatchObject({ status, code, type: expect.any(String) });
  expect(res.body.code).toMatch(OUR_CODE);
  expect(JSON.stringify(res.body)).not.toMatch(/FST_|Client Error/);
}

const fields = (res: { body: { errors?: Array<{ field: string }> } }) =>
  (res.body.errors ?? []).map((e) => e.field);

describe('the edge: what comes in is settled once, every answer is a problem document', () => {
  let t: TestApp;
  let facility: { id: string };
  let intakeKey: string;
  let shopKey: string;
  const item = { category: 'food', description: 'tea', quantity: 1 };

  beforeAll(async () => {
    t = await TestApp.start();
    facility = await t.createFacility();
    intakeKey = (await t.createTerminal(facility.id, 'parcel-intake')).apiKey;
    shopKey = (await t.createTerminal(facility.id, 'commissary')).apiKey;
  });
  afterAll(() => t.close());

  const admin = () => ({ authorization: `Bearer ${t.adminToken}` });
  const count = async (table: string) =>
    Number((await t.sql<{ n: string }>(`SELECT count(*) AS n FROM ${table}`))[0].n);

  describe('1. arrays of objects hold objects of their type', () => {
    it('refuses parcel items wrapped in one more array, and stores nothing', async () => {
      const p = await t.createPrisoner(facility.id);
      const before = await count('parcels');
      const res = await t.http
        .post(`${API}/facilities/${facility.id}/parcels`)
        .set('x-api-key', intakeKey)
        .send({
          prisonerId: p.id,
          senderName: 'Mother',
          weightGrams: 1000,
          items: [[{ category: 'alcohol', description: 'vodka', quantity: 1 }]],
        });
      expectProblem(res, 400, 'VALIDATION_FAILED');
      expect(fields(res)).toContain('items');
      expect(await count('parcels')).toBe(before);
    });

    it('refuses items that are not objects: null, a string, a number', async () => {
      const p = await t.createPrisoner(facility.id);
      for (const bad of [null, 'alcohol', 3, true]) {
        const res = await t.http
          .post(`${API}/facilities/${facility.id}/parcels`)
          .set('x-api-key', intakeKey)
          .send({ prisonerId: p.id, senderName: 'M', weightGrams: 1000, items: [item, bad] });
        expectProblem(res, 400, 'VALIDATION_FAILED');
      }
    });

    it('refuses seizedItems wrapped in one more array on a status change', async () => {
      const p = await t.createPrisoner(facility.id);
      const parcel = await t.http
        .post(`${API}/facilities/${facility.id}/parcels`)
        .set('x-api-key', intakeKey)
        .send({ prisonerId: p.id, senderName: 'M', weightGrams: 1000, items: [item] })
        .expect(201);
      const res = await t.http
        .post(`${API}/parcels/${parcel.body.id}/status`)
        .set(admin())
        .send({ status: 'seized', note: 'phone inside', seizedItems: [[item]] });
      expectProblem(res, 400, 'VALIDATION_FAILED');
      expect(fields(res)).toContain('seizedItems');
      const stored = await t.http.get(`${API}/parcels/${parcel.body.id}`).set(admin()).expect(200);
      expect(stored.body.status).toBe('received');
    });

    it('refuses charge items wrapped in one more array (was a 500)', async () => {
      const res = await t.http
        .post(`${API}/charges`)
        .set('x-api-key', shopKey)
        .set('idempotency-key', 'edge-nested-items-1')
        .send({
          cardNumber: '1234567812345678',
          currency: 'KZT',
          amountMinor: 100,
          items: [[{ description: 'tea', quantity: 1, unitPriceMinor: 100 }]],
        });
      expectProblem(res, 400, 'VALIDATION_FAILED');
      expect(fields(res)).toContain('items');
    });
  });

  describe('2. deeply nested JSON', () => {
    const deep = '['.repeat(2000) + ']'.repeat(2000);
    const deepObject = '{"a":'.repeat(2000) + '1' + '}'.repeat(2000);

    it.each([
      ['the staff sign-in', '/auth/staff/login'],
      ['the relatives sign-in', '/auth/relatives/login'],
      ['registration', '/relatives'],
      ['an authenticated route', '/facilities'],
    ])('is refused with 400 on %s', async (_what, path) => {
      for (const body of [deep, deepObject, `{"username":${deep}}`]) {
        const res = await t.http
          .post(`${API}${path}`)
          .set(admin())
          .set('content-type', 'application/json')
          .send(body);
        expectProblem(res, 400, 'MALFORMED_REQUEST');
      }
    });

    it('still takes nesting our bodies need, and brackets inside strings', async () => {
      const res = await t.http
        .post(`${API}/facilities`)
        .set(admin())
        .send({ code: 'NEST-1', name: '[[[[' + '{'.repeat(100), timeZone: 'Asia/Almaty' });
      expect(res.status).toBe(201);
    });
  });

  describe('3. text', () => {
    it('refuses a NUL in any text field with 400 naming the field (was a 500)', async () => {
      const cases: Array<[string, Record<string, unknown>, string]> = [
        [
          `/facilities/${facility.id}/prisoners`,
          { personalNumber: 'NUL1', fullName: 'A\u0000B', securityLevel: 'medium' },
          'fullName',
        ],
        ['/auth/staff/login', { username: 'root\u0000', password: 'x' }, 'username'],
        ['/auth/relatives/login', { email: 'a\u0000@b.kz', password: 'x' }, 'email'],
        ['/facilities', { code: 'NUL-2', name: 'x\u0000', timeZone: 'Asia/Almaty' }, 'name'],
      ];
      for (const [path, body, field] of cases) {
        const res = await t.http.post(`${API}${path}`).set(admin()).send(body);
        expectProblem(res, 400, 'VALIDATION_FAILED');
        expect(fields(res)).toContain(field);
      }
    });

    it('refuses a NUL nested in items and inside a policy’s values (keys too)', async () => {
      const p = await t.createPrisoner(facility.id);
      const parcel = await t.http
        .post(`${API}/facilities/${facility.id}/parcels`)
        .set('x-api-key', intakeKey)
        .send({
          prisonerId: p.id,
          senderName: 'M',
          weightGrams: 1000,
          items: [{ ...item, description: 'tea\u0000' }],
        });
      expectProblem(parcel, 400, 'VALIDATION_FAILED');
      expect(fields(parcel)).toContain('items.0.description');
      for (const values of [{ 'parcels.prohibitedCategories': ['a\u0000'] }, { 'x\u0000': 1 }]) {
        const res = await t.http
          .post(`${API}/policy-versions`)
          .set(admin())
          .send({ facilityId: null, effectiveOn: '2099-01-01', reason: 'r', values });
        expectProblem(res, 400, 'VALIDATION_FAILED');
      }
    });

    it('refuses a lone surrogate, e.g. in the registration e-mail (was a 500)', async () => {
      for (const s of ['\\ud800', '\\udc00', 'a\\ud83d']) {
        const res = await t.http
          .post(`${API}/relatives`)
          .set('content-type', 'application/json')
          .send(
            `{"email":"x${s}@example.kz","password":"a-long-password-1","fullName":"A","phone":"+77011234567"}`,
          );
        expectProblem(res, 400, 'VALIDATION_FAILED');
        expect(fields(res)).toContain('email');
      }
    });

    it('refuses other controls everywhere, line breaks in one-line fields; keeps them in notes', async () => {
      for (const name of ['a\u0007b', 'a\u007fb', 'a\u0085b', 'a\u001bb', 'a\nb', 'a\tb']) {
        const res = await t.http
          .post(`${API}/facilities`)
          .set(admin())
          .send({ code: 'CTL-1', name, timeZone: 'Asia/Almaty' });
        expectProblem(res, 400, 'VALIDATION_FAILED');
        expect(fields(res)).toContain('name');
      }
      const p = await t.createPrisoner(facility.id);
      const res = await t.http
        .post(`${API}/prisoners/${p.id}/conditions`)
        .set(admin())
        .send({ conditions: 'facilitated', reason: ' Decision 12:\r\n\tsix months\r\n' })
        .expect(200);
      void res;
      const history = await t.http.get(`${API}/prisoners/${p.id}/history`).set(admin()).expect(200);
      expect(history.body.conditions.map((c: { reason: string }) => c.reason)).toContain(
        'Decision 12:\n\tsix months',
      );
    });

    it('normalises text to NFC, so one name has one spelling', async () => {
      const decomposed = 'Ae\u0301lem Zhu\u0308';
      const p = await t.createPrisoner(facility.id, { fullName: decomposed });
      const got = await t.http.get(`${API}/prisoners/${p.id}`).set(admin()).expect(200);
      expect(got.body.fullName).toBe('A\u00e9lem Zh\u00fc');
    });

    it('refuses controls in query parameters too', async () => {
      const res = await t.http.get(`${API}/policy-versions?key=a%00b`).set(admin());
      expectProblem(res, 400, 'VALIDATION_FAILED');
      expect(fields(res)).toContain('key');
    });
  });

  describe('4. null is refused, or has a documented meaning', () => {
    const draft = async () =>
      (
        await t.http
          .post(`${API}/policy-versions`)
          .set(admin())
          .send({
            facilityId: facility.id,
            effectiveOn: '2099-01-01',
            reason: 'edge',
            values: { 'parcels.maxWeightGrams': 25000 },
          })
          .expect(201)
      ).body as { id: string; effectiveOn: string; effectiveFrom: string | null };

    it.each(['effectiveFrom', 'effectiveOn', 'reason', 'values'])(
      'PATCH /policy-versions/{id} with %s null: 400, the draft unchanged',
      async (field) => {
        const v = await draft();
        const res = await t.http
          .patch(`${API}/policy-versions/${v.id}`)
          .set(admin())
          .send({ [field]: null });
        expectProblem(res, 400, 'VALIDATION_FAILED');
        expect(fields(res)).toContain(field);
        const now = await t.http.get(`${API}/policy-versions/${v.id}`).set(admin()).expect(200);
        expect(now.body).toMatchObject({ effectiveOn: '2099-01-01', effectiveFrom: null });
      },
    );

    it('POST /policy-versions with effectiveOn null: 400 (was a 500)', async () => {
      const res = await t.http
        .post(`${API}/policy-versions`)
        .set(admin())
        .send({
          facilityId: facility.id,
          effectiveOn: null,
          reason: 'edge',
          values: { 'parcels.maxWeightGrams': 25000 },
        });
      expectProblem(res, 400, 'VALIDATION_FAILED');
    });

    it('a body of null (or not an object) is refused, not taken as no body', async () => {
      const v = await draft();
      for (const body of ['null', '[]', '"x"', '7']) {
        const res = await t.http
          .patch(`${API}/policy-versions/${v.id}`)
          .set(admin())
          .set('content-type', 'application/json')
          .send(body);
        expectProblem(res, 400, 'VALIDATION_FAILED');
      }
      const p = await t.createPrisoner(facility.id);
      const card = await t.http.post(`${API}/prisoners/${p.id}/cards`).set(admin()).expect(201);
      t.secrets.add(card.body.cardNumber);
      const res = await t.http
        .post(`${API}/cards/${card.body.id}/block`)
        .set(admin())
        .set('content-type', 'application/json')
        .send('null');
      expectProblem(res, 400, 'VALIDATION_FAILED');
    });

    it('facilityId null on POST /policy-versions means national', async () => {
      const res = await t.http
        .post(`${API}/policy-versions`)
        .set(admin())
        .send({
          facilityId: null,
          effectiveOn: '2099-01-01',
          reason: 'n',
          values: { 'parcels.maxWeightGrams': 25000 },
        })
        .expect(201);
      expect(res.body.facilityId).toBeNull();
    });

    it('null for an optional field elsewhere is refused, not taken as absent', async () => {
      const p = await t.createPrisoner(facility.id);
      const cases: Array<[string, Record<string, unknown>]> = [
        [
          `/facilities/${facility.id}/prisoners`,
          { personalNumber: 'NULL-1', fullName: 'A', securityLevel: 'medium', conditions: null },
        ],
        [`/prisoners/${p.id}/transfer`, { toFacilityId: facility.id, reason: null }],
        [
          `/facilities/${facility.id}/parcels`,
          { prisonerId: p.id, kind: null, senderName: 'M', weightGrams: 1, items: [] },
        ],
      ];
      for (const [path, body] of cases) {
        const res = await t.http.post(`${API}${path}`).set(admin()).send(body);
        expectProblem(res, 400, 'VALIDATION_FAILED');
      }
    });
  });

  describe('5. upper-case UUIDs are the same ids', () => {
    it('creates prisoners and terminals, and transfers, under an upper-case facility id', async () => {
      const up = facility.id.toUpperCase();
      const p = await t.http
        .post(`${API}/facilities/${up}/prisoners`)
        .set(admin())
        .send({ personalNumber: 'UP-1', fullName: 'Upper', securityLevel: 'medium' })
        .expect(201);
      expect(p.body.facilityId).toBe(facility.id);
      const term = await t.http
        .post(`${API}/facilities/${up}/terminals`)
        .set(admin())
        .send({ kind: 'payphone', name: 'Upper' })
        .expect(201);
      t.secrets.add(term.body.apiKey);
      expect(term.body.facilityId).toBe(facility.id);
      const other = await t.createFacility();
      const moved = await t.http
        .post(`${API}/prisoners/${String(p.body.id).toUpperCase()}/transfer`)
        .set(admin())
        .send({ toFacilityId: other.id.toUpperCase() });
      expect(moved.status).toBeLessThan(300);
      const now = await t.http.get(`${API}/prisoners/${p.body.id}`).set(admin()).expect(200);
      expect(now.body.facilityId).toBe(other.id);
    });

    it('answers a facility’s own staff by an upper-case id as by the lower-case one', async () => {
      const staff = await t.createStaff(['intake-officer'], [facility.id]);
      const res = await t.http
        .get(`${API}/facilities/${facility.id.toUpperCase()}`)
        .auth(staff.token, { type: 'bearer' });
      expect(res.status).toBe(200);
      expect(res.body.id).toBe(facility.id);
    });

    it('stores and echoes ids lower-case in bodies and reads them so in queries', async () => {
      const p = await t.createPrisoner(facility.id);
      const parcel = await t.http
        .post(`${API}/facilities/${facility.id}/parcels`)
        .set('x-api-key', intakeKey)
        .send({
          prisonerId: p.id.toUpperCase(),
          senderName: 'M',
          weightGrams: 1000,
          items: [item],
        })
        .expect(201);
      expect(parcel.body.prisonerId).toBe(p.id);
      const v = await t.http
        .post(`${API}/policy-versions`)
        .set(admin())
        .send({
          facilityId: facility.id.toUpperCase(),
          effectiveOn: '2099-02-01',
          reason: 'upper',
          values: { 'parcels.maxWeightGrams': 25000 },
        })
        .expect(201);
      expect(v.body.facilityId).toBe(facility.id);
      const list = await t.http
        .get(`${API}/policy-versions?facilityId=${facility.id.toUpperCase()}`)
        .set(admin())
        .expect(200);
      expect(list.body.items.map((x: { id: string }) => x.id)).toContain(v.body.id);
    });
  });

  describe('6. audit-events takes only instants with an offset', () => {
    it.each(['-1', '1.5', '2026-02-30T00:00:00Z', '2026-04-01T10:00:00', '2026-04-01', 'now'])(
      'refuses from=%s and to=%s',
      async (bad) => {
        for (const q of ['from', 'to']) {
          const res = await t.http
            .get(`${API}/audit-events?${q}=${encodeURIComponent(bad)}`)
            .set(admin());
          expectProblem(res, 400, 'VALIDATION_FAILED');
          expect(fields(res)).toContain(q);
        }
      },
    );

    it('takes a window of instants', async () => {
      await t.http
        .get(`${API}/audit-events?from=2020-01-01T00:00:00%2B05:00&to=2100-01-01T00:00:00Z`)
        .set(admin())
        .expect(200);
    });
  });

  describe('7. errors of the HTTP layer itself are problem documents with our code', () => {
    it('a path parameter over the length limit: 414 URI_TOO_LONG', async () => {
      const res = await t.http.get(`${API}/prisoners/${'a'.repeat(300)}`).set(admin());
      expectProblem(res, 414, 'URI_TOO_LONG');
    });

    it('a URL that is not validly encoded: 400', async () => {
      const res = await t.http.get(`${API}/prisoners/%E0%A4%A`).set(admin());
      expectProblem(res, 400, 'MALFORMED_REQUEST');
    });

    it('headers too large: 431 HEADERS_TOO_LARGE', async () => {
      const res = await raw(
        t.baseUrl,
        `GET ${API}/health/live HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`,
      );
      expect(res.head).toMatch(/content-type: application\/problem\+json/i);
      expectProblem(res, 431, 'HEADERS_TOO_LARGE');
    });

    it('a NUL in a header: 400 MALFORMED_REQUEST, not "Client Error"', async () => {
      const res = await raw(
        t.baseUrl,
        `GET ${API}/health/live HTTP/1.1\r\nHost: x\r\nX-Evil: a\u0000b\r\n\r\n`,
      );
      expect(res.head).toMatch(/content-type: application\/problem\+json/i);
      expectProblem(res, 400, 'MALFORMED_REQUEST');
    });

    it('malformed JSON, 413, 415 and unknown routes: our code, no framework names', async () => {
      const bad = await t.http
        .post(`${API}/facilities`)
        .set(admin())
        .set('content-type', 'application/json')
        .send('{"a":');
      expectProblem(bad, 400, 'MALFORMED_REQUEST');
      const big = await t.http
        .post(`${API}/facilities`)
        .set(admin())
        .send({ name: 'x'.repeat(70 * 1024) });
      expectProblem(big, 413, 'PAYLOAD_TOO_LARGE');
      const type = await t.http
        .post(`${API}/facilities`)
        .set(admin())
        .set('content-type', 'application/xml')
        .send('<a/>');
      expectProblem(type, 415, 'UNSUPPORTED_MEDIA_TYPE');
      const none = await t.http.delete(`${API}/nowhere`).set(admin());
      expectProblem(none, 404, 'ROUTE_NOT_FOUND');
    });
  });

  describe('bodies are UTF-8 JSON without a content coding', () => {
    it('refuses bytes that are not UTF-8 (they were stored as U+FFFD), and stores nothing', async () => {
      const before = await count('parcels');
      const prisoner = await t.createPrisoner(facility.id);
      const body = Buffer.concat([
        Buffer.from(`{"prisonerId":"${prisoner.id}","senderName":"A`, 'utf8'),
        Buffer.from([0xff, 0xfe]),
        Buffer.from(
          `","weightGrams":1000,"items":[{"category":"food","description":"tea","quantity":1}]}`,
          'utf8',
        ),
      ]);
      const head =
        `POST ${API}/facilities/${facility.id}/parcels HTTP/1.1\r\nHost: x\r\n` +
        `X-Api-Key: ${intakeKey}\r\nContent-Type: application/json\r\n` +
        `Content-Length: ${body.length}\r\nConnection: close\r\n\r\n`;
      const res = await raw(t.baseUrl, Buffer.concat([Buffer.from(head, 'latin1'), body]));
      expectProblem(res, 400, 'MALFORMED_REQUEST');
      expect(await count('parcels')).toBe(before);
    });

    it('refuses a body under a content coding (415), takes identity', async () => {
      for (const coding of ['gzip', 'br2']) {
        const res = await t.http
          .post(`${API}/facilities`)
          .set(admin())
          .set('content-encoding', coding)
          .send({ code: 'ENC-1', name: 'x', timeZone: 'Asia/Almaty' });
        expectProblem(res, 415, 'UNSUPPORTED_MEDIA_TYPE');
      }
      await t.http
        .post(`${API}/facilities`)
        .set(admin())
        .set('content-encoding', 'identity')
        .send({ code: 'ENC-2', name: 'Identity', timeZone: 'Asia/Almaty' })
        .expect(201);
    });
  });

  describe('12a. the bearer scheme in any case', () => {
    it.each(['bearer', 'BEARER', 'Bearer', 'bEaReR'])('takes "%s <token>"', async (scheme) => {
      await t.http
        .get(`${API}/staff/me`)
        .set('authorization', `${scheme} ${t.adminToken}`)
        .expect(200);
    });
  });
});
