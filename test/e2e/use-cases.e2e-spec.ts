import { DateTime } from 'luxon';
import { randomUUID } from 'node:crypto';
import { UnitOfWork } from '../../src/common/database/unit-of-work';
import { MAX_ATTEMPTS } from '../../src/common/use-case/use-case.runner';
import { PrisonerMovesService } from '../../src/modules/facilities/prisoner-moves.service';
import { declaredRoutes } from '../support/routes';
import { API, Relative, TestApp, uniq } from '../support/test-app';
import { CareCalls, careObjects } from '../support/care';

/** A request as the table sends it; `other` is another body for the same route (none: no body). */
interface Call {
  path: string;
  headers: Record<string, string>;
  body: Record<string, unknown>;
  other?: Record<string, unknown>;
}

// Every POST that creates or changes something runs through the one use-case runner: the
// Idempotency-Key, one transaction, the answer kept with the effect, the retry on 40001/40P01.
describe('the use-case runner', () => {
  let t: TestApp;
  let facility: { id: string; timeZone: string };
  let other: { id: string };
  let intakeKey: string;
  let shopKey: string;
  let relative: Relative;
  const admin = () => ({ authorization: `Bearer ${t.adminToken}` });
  const parcelItem = { category: 'food', description: 'tea, sugar', quantity: 2 };

  beforeAll(async () => {
    t = await TestApp.start();
    facility = await t.createFacility();
    other = await t.createFacility();
    intakeKey = (await t.createTerminal(facility.id, 'parcel-intake')).apiKey;
    shopKey = (await t.createTerminal(facility.id, 'commissary')).apiKey;
    relative = await t.createRelative();
  });
  afterAll(() => t.close());

  const post = (c: Call, key?: string, body = c.body) => {
    const r = t.http.post(`${API}${c.path}`).set(c.headers);
    if (key) r.set('idempotency-key', key);
    return r.send(body);
  };

  const register = (prisonerId: string, key?: string) =>
    post(
      {
        path: `/facilities/${facility.id}/parcels`,
        headers: { 'x-api-key': intakeKey },
        body: { prisonerId, senderName: 'Mother', weightGrams: 3000, items: [parcelItem] },
      },
      key,
    );
  const allowance = async (prisonerId: string) =>
    (
      await t.http
        .get(`${API}/prisoners/${prisonerId}/parcel-allowance`)
        .set('x-api-key', intakeKey)
        .expect(200)
    ).body as { parcelsReceived: number; parcelsRemaining: number };

  it('registers a parcel once when the terminal retries with the same key after a lost answer', async () => {
    const p = await t.createPrisoner(facility.id);
    const before = await allowance(p.id);
    const key = randomUUID();
    const first = await register(p.id, key).expect(201); // the answer the terminal never got
    const retry = await register(p.id, key).expect(201);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    expect(retry.body).toEqual(first.body);
    const parcels = await t.sql<{ n: number }>(
      'SELECT count(*)::int AS n FROM parcels WHERE requested_prisoner_id = $1',
      [p.id],
    );
    expect(parcels[0].n).toBe(1);
    const after = await allowance(p.id);
    expect(after.parcelsReceived).toBe(before.parcelsReceived + 1);
    expect(after.parcelsRemaining).toBe(before.parcelsRemaining - 1);
  });

  it('registers once for 10 concurrent retries with one key: the others replay or hear 409', async () => {
    const p = await t.createPrisoner(facility.id);
    const key = randomUUID();
    const all = await Promise.all(Array.from({ length: 10 }, () => register(p.id, key)));
    for (const r of all) expect([201, 409]).toContain(r.status);
    const firsts = all.filter((r) => r.status === 201 && !r.headers['idempotent-replayed']);
    expect(firsts).toHaveLength(1);
    for (const r of all.filter((r) => r.status === 409))
      expect(r.body.code).toBe('IDEMPOTENCY_IN_FLIGHT');
    expect((await allowance(p.id)).parcelsReceived).toBe(1);
  });

  it('forgets a key after 24 hours of the use case’s clock (not the database’s)', async () => {
    const p = await t.createPrisoner(facility.id);
    const card = await newCard(p.id);
    await fund(p.id, 10_000);
    const charge = (key: string) =>
      t.http
        .post(`${API}/charges`)
        .set('x-api-key', shopKey)
        .set('idempotency-key', key)
        .send({ cardNumber: card.cardNumber, amountMinor: 100, currency: 'KZT', items: tea(100) })
        .expect(201);
    const key = randomUUID();
    const start = Date.now() + 60_000;
    const at = (ms: number) => new Date(start + ms);
    try {
      t.setNow(at(0));
      const first = await charge(key);
      t.setNow(at(24 * 3_600_000 - 1_000));
      const replay = await charge(key);
      expect(replay.headers['idempotent-replayed']).toBe('true');
      expect(replay.body.id).toBe(first.body.id);
      t.setNow(at(24 * 3_600_000 + 1_000));
      const fresh = await charge(key);
      expect(fresh.headers['idempotent-replayed']).toBeUndefined();
      expect(fresh.body.id).not.toBe(first.body.id);
      const [row] = await t.sql<{ created_at: Date; expires_at: Date }>(
        'SELECT created_at, expires_at FROM idempotency_keys WHERE key = $1',
        [key],
      );
      expect(row.created_at.toISOString()).toBe(at(24 * 3_600_000 + 1_000).toISOString());
      expect(row.expires_at.toISOString()).toBe(at(48 * 3_600_000 + 1_000).toISOString());
    } finally {
      t.setNow(null);
    }
  });

  describe('a serialization failure or deadlock is retried, not answered', () => {
    let moves: PrisonerMovesService;
    let original: PrisonerMovesService['changeConditions'];
    let calls = 0;

    beforeAll(() => {
      moves = t.app.get(PrisonerMovesService);
      original = moves.changeConditions.bind(moves);
    });
    afterEach(() => {
      moves.changeConditions = original;
    });

    /** The use case hits a real 40001 from PostgreSQL on its first `failures` runs. */
    const failFirst = (failures: number, sqlState = '40001') => {
      calls = 0;
      const uow = t.app.get(UnitOfWork);
      moves.changeConditions = async (...args) => {
        calls++;
        const result = await original(...args); // its writes, then the failure: all must go
        if (calls <= failures)
          await uow.query(
            `DO $$ BEGIN RAISE EXCEPTION 'forced by the test' USING ERRCODE = '${sqlState}'; END $$`,
          );
        return result;
      };
    };
    const change = (id: string, conditions: string) =>
      t.http
        .post(`${API}/prisoners/${id}/conditions`)
        .set(admin())
        .send({ conditions, reason: 'six months of good behaviour' });
    const historyOf = async (id: string) =>
      (await t.http.get(`${API}/prisoners/${id}/history`).set(admin()).expect(200)).body
        .conditions as unknown[];

    it('runs the use case again after 40001 and 40P01 and answers its first success', async () => {
      for (const state of ['40001', '40P01']) {
        const p = await t.createPrisoner(facility.id);
        failFirst(2, state);
        const res = await change(p.id, 'facilitated').expect(200);
        expect(res.body.conditions).toBe('facilitated');
        expect(calls).toBe(3);
        // one move in history: the failed attempts left nothing
        expect(await historyOf(p.id)).toHaveLength(2);
      }
    });

    it('answers 409 only when every attempt failed, having tried a bounded number of times', async () => {
      const p = await t.createPrisoner(facility.id);
      failFirst(1_000);
      const res = await change(p.id, 'facilitated').expect(409);
      expect(res.body.code).toBe('CONCURRENT_UPDATE');
      expect(calls).toBe(MAX_ATTEMPTS);
      expect(await historyOf(p.id)).toHaveLength(1);
    });

    it('does not retry a real conflict: a personal number taken answers 409 at once', async () => {
      const p = await t.createPrisoner(facility.id);
      const res = await t.http
        .post(`${API}/facilities/${facility.id}/prisoners`)
        .set(admin())
        .send({
          personalNumber: (await prisoner(p.id)).personalNumber,
          fullName: 'Twin',
          securityLevel: 'medium',
        })
        .expect(409);
      expect(res.body.code).toBe('PERSONAL_NUMBER_TAKEN');
    });
  });

  const prisoner = async (id: string) =>
    (await t.http.get(`${API}/prisoners/${id}`).set(admin()).expect(200)).body as {
      personalNumber: string;
    };

  const newCard = async (prisonerId: string) => {
    const res = await t.http.post(`${API}/prisoners/${prisonerId}/cards`).set(admin()).expect(201);
    t.secrets.add(res.body.cardNumber);
    return res.body as { id: string; cardNumber: string };
  };
  const fund = (prisonerId: string, amountMinor: number) =>
    t.http
      .post(`${API}/prisoners/${prisonerId}/cash-deposits`)
      .set(admin())
      .set('idempotency-key', randomUUID())
      .send({ amountMinor, currency: 'KZT', receiptNumber: uniq('R-') })
      .expect(201);
  const chargeOf = async (amountMinor: number) => {
    const p = await t.createPrisoner(facility.id);
    const card = await newCard(p.id);
    await fund(p.id, 100_000);
    const res = await t.http
      .post(`${API}/charges`)
      .set('x-api-key', shopKey)
      .set('idempotency-key', randomUUID())
      .send({ cardNumber: card.cardNumber, amountMinor, currency: 'KZT', items: tea(amountMinor) })
      .expect(201);
    return res.body as { id: string };
  };
  const tea = (unitPriceMinor: number) => [{ description: 'tea', quantity: 1, unitPriceMinor }];
  const linkRequest = async () => {
    const p = await t.createPrisoner(facility.id);
    const r = await t.createRelative();
    const res = await t.http
      .post(`${API}/relatives/me/links`)
      .auth(r.token, { type: 'bearer' })
      .send({
        facilityId: facility.id,
        prisonerPersonalNumber: (await prisoner(p.id)).personalNumber,
        relationship: 'parent',
      })
      .expect(201);
    return res.body as { id: string };
  };
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
  /** A local date `days` after today in Almaty (where the test facility is). */
  const almatyDate = (days: number) =>
    new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Almaty' }).format(
      new Date(Date.now() + days * 86_400_000),
    );
  /** A relative linked to a new prisoner of the facility, and a room of their own to book. */
  const visitBooker = async () => {
    const p = await t.createPrisoner(facility.id);
    await t.linkRelative(relative, p);
    await t.http
      .post(`${API}/facilities/${facility.id}/visit-rooms`)
      .set(admin())
      .send({ name: uniq('Room ') })
      .expect(201);
    return p.id;
  };
  const longVisit = async () => {
    const res = await t.http
      .post(`${API}/long-visits`)
      .set(bearer(relative.token))
      .send({
        prisonerId: await visitBooker(),
        startDate: almatyDate(5),
        days: 1,
        visitors: [{ fullName: 'A Visitor', relationship: 'spouse' }],
      })
      .expect(201);
    return res.body as { id: string };
  };

  /** One case per POST use case: how to call it once. The walk below fails on a route without one. */
  /** A contact of a new prisoner of the facility, pending; its id. */
  const contactOf = async (prisonerId?: string, phoneNumber = '+77015550142'): Promise<string> => {
    const id = prisonerId ?? (await t.createPrisoner(facility.id)).id;
    const res = await t.http
      .post(`${API}/prisoners/${id}/contacts`)
      .set(admin())
      .send({ phoneNumber, name: 'Brother', relationship: 'sibling' })
      .expect(201);
    return res.body.id;
  };
  /** A payphone in a facility where it is day now (the phones are open), with a prisoner able to call. */
  const callable = async () => {
    const zone = [
      'Asia/Tokyo',
      'Asia/Almaty',
      'Europe/London',
      'America/New_York',
      'America/Los_Angeles',
    ].find((z) => DateTime.now().setZone(z).hour >= 9 && DateTime.now().setZone(z).hour < 17)!;
    const f = await t.createFacility({ timeZone: zone });
    const phone = (await t.createTerminal(f.id, 'payphone')).apiKey;
    const p = await t.createPrisoner(f.id);
    await fund(p.id, 100_000);
    const contact = await contactOf(p.id, '+77015550143');
    await t.http.post(`${API}/contacts/${contact}/approve`).set(admin()).expect(200);
    return { phone, prisonerId: p.id, number: '+77015550143' };
  };

  const CASES: Record<string, () => Promise<Call>> = {
    'POST /api/v1/prisoners/:id/contacts': async () => ({
      path: `/prisoners/${(await t.createPrisoner(facility.id)).id}/contacts`,
      headers: admin(),
      body: { phoneNumber: '+77015550140', name: 'Mother', relationship: 'parent' },
      other: { phoneNumber: '+77015550141', name: 'Mother', relationship: 'parent' },
    }),
    'POST /api/v1/contacts/:id/approve': async () => ({
      path: `/contacts/${await contactOf()}/approve`,
      headers: admin(),
      body: {},
    }),
    'POST /api/v1/contacts/:id/reject': async () => ({
      path: `/contacts/${await contactOf()}/reject`,
      headers: admin(),
      body: { reason: 'unknown' },
      other: { reason: 'not a relative' },
    }),
    'POST /api/v1/contacts/:id/remove': async () => ({
      path: `/contacts/${await contactOf()}/remove`,
      headers: admin(),
      body: {},
    }),
    'POST /api/v1/payphones/:terminalId/bookings': async () => ({
      path: `/payphones/${(await t.createTerminal(facility.id, 'payphone')).id}/bookings`,
      headers: admin(),
      body: {
        prisonerId: (await t.createPrisoner(facility.id)).id,
        startsAt: '2099-03-01T10:00:00+05:00',
        minutes: 15,
      },
    }),
    'POST /api/v1/payphone-bookings/:id/cancel': async () => {
      const phone = await t.createTerminal(facility.id, 'payphone');
      const b = await t.http
        .post(`${API}/payphones/${phone.id}/bookings`)
        .set(admin())
        .send({
          prisonerId: (await t.createPrisoner(facility.id)).id,
          startsAt: '2099-03-01T11:00:00+05:00',
          minutes: 15,
        })
        .expect(201);
      return {
        path: `/payphone-bookings/${b.body.id}/cancel`,
        headers: admin(),
        body: { reason: 'moved' },
        other: { reason: 'moved again' },
      };
    },
    'POST /api/v1/calls': async () => {
      const c = await callable();
      return {
        path: '/calls',
        headers: { 'x-api-key': c.phone },
        body: { prisonerId: c.prisonerId, dialedNumber: c.number },
        other: { prisonerId: c.prisonerId, dialedNumber: '+77015550144' },
      };
    },
    'POST /api/v1/calls/:id/end': async () => {
      const c = await callable();
      const call = await t.http
        .post(`${API}/calls`)
        .set('x-api-key', c.phone)
        .send({ prisonerId: c.prisonerId, dialedNumber: c.number })
        .expect(201);
      expect(call.body.outcome).toBe('authorized');
      return {
        path: `/calls/${call.body.id}/end`,
        headers: { 'x-api-key': c.phone },
        body: { durationSeconds: 61 },
        other: { durationSeconds: 62 },
      };
    },
    'POST /api/v1/facilities': async () => ({
      path: '/facilities',
      headers: admin(),
      body: { code: uniq('F-'), name: 'Colony', timeZone: 'Asia/Almaty' },
      other: { code: uniq('F-'), name: 'Colony', timeZone: 'Asia/Almaty' },
    }),
    'POST /api/v1/facilities/:facilityId/prisoners': async () => ({
      path: `/facilities/${facility.id}/prisoners`,
      headers: admin(),
      body: { personalNumber: uniq('P'), fullName: 'A B', securityLevel: 'medium' },
      other: { personalNumber: uniq('P'), fullName: 'A B', securityLevel: 'medium' },
    }),
    'POST /api/v1/prisoners/:id/conditions': async () => ({
      path: `/prisoners/${(await t.createPrisoner(facility.id)).id}/conditions`,
      headers: admin(),
      body: { conditions: 'facilitated', reason: 'good behaviour' },
      other: { conditions: 'strict', reason: 'violation' },
    }),
    'POST /api/v1/prisoners/:id/transfer': async () => ({
      path: `/prisoners/${(await t.createPrisoner(facility.id)).id}/transfer`,
      headers: admin(),
      body: { toFacilityId: other.id },
      other: { toFacilityId: randomUUID() },
    }),
    'POST /api/v1/facilities/:facilityId/parcels': async () => ({
      path: `/facilities/${facility.id}/parcels`,
      headers: { 'x-api-key': intakeKey },
      body: {
        prisonerId: (await t.createPrisoner(facility.id)).id,
        senderName: 'Mother',
        weightGrams: 3000,
        items: [parcelItem],
      },
      other: { prisonerId: randomUUID(), senderName: 'Mother', weightGrams: 1, items: [] },
    }),
    'POST /api/v1/parcels/:id/status': async () => {
      const p = await t.createPrisoner(facility.id);
      const parcel = await register(p.id).expect(201);
      return {
        path: `/parcels/${parcel.body.id}/status`,
        headers: admin(),
        body: { status: 'inspected' },
        other: { status: 'handed-over' },
      };
    },
    'POST /api/v1/staff': async () => ({
      path: '/staff',
      headers: admin(),
      body: {
        username: uniq('u').toLowerCase(),
        password: 'a-long-enough-password',
        fullName: 'New Officer',
        roles: ['intake-officer'],
        facilityIds: [facility.id],
      },
      other: {
        username: uniq('u').toLowerCase(),
        password: 'another-long-password',
        fullName: 'New Officer',
        roles: ['intake-officer'],
        facilityIds: [facility.id],
      },
    }),
    'POST /api/v1/relatives': async () => {
      const email = `${uniq('r').toLowerCase()}@example.kz`;
      return {
        path: '/relatives',
        headers: {},
        body: { email, password: 'relative-password-1', fullName: 'R', phone: '+77011234567' },
        other: { email, password: 'relative-password-2', fullName: 'R', phone: '+77011234567' },
      };
    },
    'POST /api/v1/relatives/me/links': async () => {
      const p = await t.createPrisoner(facility.id);
      const number = (await prisoner(p.id)).personalNumber;
      return {
        path: '/relatives/me/links',
        headers: bearer(relative.token),
        body: { facilityId: facility.id, prisonerPersonalNumber: number, relationship: 'parent' },
        other: { facilityId: facility.id, prisonerPersonalNumber: number, relationship: 'child' },
      };
    },
    'POST /api/v1/links/:id/approve': async () => ({
      path: `/links/${(await linkRequest()).id}/approve`,
      headers: admin(),
      body: {},
      other: { note: 'seen the documents' },
    }),
    'POST /api/v1/links/:id/reject': async () => ({
      path: `/links/${(await linkRequest()).id}/reject`,
      headers: admin(),
      body: { reason: 'no documents' },
      other: { reason: 'another reason' },
    }),
    'POST /api/v1/policy-versions': async () => ({
      path: '/policy-versions',
      headers: admin(),
      body: {
        facilityId: facility.id,
        effectiveFrom: new Date(Date.now() + 30 * 86_400_000).toISOString(),
        reason: 'Order No. 1',
        values: { 'payphones.closeTime': '22:00' },
      },
      other: {
        facilityId: facility.id,
        effectiveFrom: new Date(Date.now() + 30 * 86_400_000).toISOString(),
        reason: 'Order No. 2',
        values: { 'payphones.closeTime': '22:00' },
      },
    }),
    'POST /api/v1/policy-versions/:id/publish': async () => {
      const draft = await t.http
        .post(`${API}/policy-versions`)
        .set(admin())
        .send({
          facilityId: facility.id,
          effectiveFrom: new Date(Date.now() + 60 * 86_400_000).toISOString(),
          reason: 'Order No. 3',
          values: { 'payphones.closeTime': '21:30' },
        })
        .expect(201);
      return { path: `/policy-versions/${draft.body.id}/publish`, headers: admin(), body: {} };
    },
    'POST /api/v1/cards/:id/block': async () => ({
      path: `/cards/${(await newCard((await t.createPrisoner(facility.id)).id)).id}/block`,
      headers: admin(),
      body: { reason: 'lost' },
      other: { reason: 'stolen' },
    }),
    'POST /api/v1/cards/:id/unblock': async () => {
      const card = await newCard((await t.createPrisoner(facility.id)).id);
      await t.http.post(`${API}/cards/${card.id}/block`).set(admin()).send({}).expect(200);
      return { path: `/cards/${card.id}/unblock`, headers: admin(), body: {} };
    },
    'POST /api/v1/charges': async () => {
      const p = await t.createPrisoner(facility.id);
      const card = await newCard(p.id);
      await fund(p.id, 10_000);
      const body = { cardNumber: card.cardNumber, amountMinor: 700, currency: 'KZT' };
      return {
        path: '/charges',
        headers: { 'x-api-key': shopKey },
        body: { ...body, items: tea(700) },
        other: { ...body, amountMinor: 800, items: tea(800) },
      };
    },
    'POST /api/v1/charges/:id/refunds': async () => ({
      path: `/charges/${(await chargeOf(900)).id}/refunds`,
      headers: { 'x-api-key': shopKey },
      body: { amountMinor: 100, reason: 'spoiled' },
      other: { amountMinor: 200, reason: 'spoiled' },
    }),
    'POST /api/v1/prisoners/:id/cash-deposits': async () => {
      const receiptNumber = uniq('R-');
      return {
        path: `/prisoners/${(await t.createPrisoner(facility.id)).id}/cash-deposits`,
        headers: admin(),
        body: { amountMinor: 5_000, currency: 'KZT', receiptNumber },
        other: { amountMinor: 5_001, currency: 'KZT', receiptNumber },
      };
    },
    'POST /api/v1/deposits': async () => {
      const p = await t.createPrisoner(facility.id);
      await t.linkRelative(relative, p);
      return {
        path: '/deposits',
        headers: bearer(relative.token),
        body: { prisonerId: p.id, amountMinor: 2_000, currency: 'KZT' },
        other: { prisonerId: p.id, amountMinor: 2_001, currency: 'KZT' },
      };
    },
    'POST /api/v1/facilities/:facilityId/visit-rooms': async () => ({
      path: `/facilities/${facility.id}/visit-rooms`,
      headers: admin(),
      body: { name: uniq('Room '), capacity: 2 },
      other: { name: uniq('Room '), capacity: 3 },
    }),
    'POST /api/v1/visit-rooms/:id/closures': async () => {
      const room = await t.http
        .post(`${API}/facilities/${facility.id}/visit-rooms`)
        .set(admin())
        .send({ name: uniq('Room ') })
        .expect(201);
      return {
        path: `/visit-rooms/${room.body.id}/closures`,
        headers: admin(),
        body: { fromDate: '2099-01-01', toDate: '2099-01-02', reason: 'repairs' },
        other: { fromDate: '2099-01-01', toDate: '2099-01-03', reason: 'repairs' },
      };
    },
    'POST /api/v1/long-visits': async () => {
      const prisonerId = await visitBooker();
      const visitors = [{ fullName: 'A Visitor', relationship: 'spouse' }];
      return {
        path: '/long-visits',
        headers: bearer(relative.token),
        body: { prisonerId, startDate: almatyDate(7), days: 1, visitors },
        other: { prisonerId, startDate: almatyDate(8), days: 1, visitors },
      };
    },
    'POST /api/v1/long-visits/:id/approve': async () => ({
      path: `/long-visits/${(await longVisit()).id}/approve`,
      headers: admin(),
      body: {},
    }),
    'POST /api/v1/long-visits/:id/reject': async () => ({
      path: `/long-visits/${(await longVisit()).id}/reject`,
      headers: admin(),
      body: { reason: 'visitor banned' },
      other: { reason: 'another reason' },
    }),
    'POST /api/v1/long-visits/:id/cancel': async () => ({
      path: `/long-visits/${(await longVisit()).id}/cancel`,
      headers: admin(),
      body: { reason: 'room needed' },
      other: { reason: 'another reason' },
    }),
    'POST /api/v1/deposits/reconcile': async () => ({
      path: '/deposits/reconcile',
      headers: admin(),
      body: {},
    }),
    // care: each case in a facility of its own (the reform's national defaults apply)
    'POST /api/v1/prisoners/:id/disabilities': async () => ({
      path: `/prisoners/${(await t.createPrisoner(facility.id)).id}/disabilities`,
      headers: admin(),
      body: { kind: 'blind', note: 'needs a guide' },
      other: { kind: 'deaf', note: 'needs a guide' },
    }),
    'POST /api/v1/disabilities/:id/end': async () => ({
      path: `/disabilities/${(await careObjects(t, (await t.createFacility()).id)).disabilityId}/end`,
      headers: admin(),
      body: { reason: 'walks again' },
      other: { reason: 'moved' },
    }),
    'POST /api/v1/facilities/:facilityId/care/orderlies': async () => {
      const f = (await t.createFacility()).id;
      return {
        path: `/facilities/${f}/care/orderlies`,
        headers: admin(),
        body: { prisonerId: (await t.createPrisoner(f)).id },
        other: { prisonerId: (await t.createPrisoner(f)).id },
      };
    },
    'POST /api/v1/facilities/:facilityId/care/orderlies/:positionId/dismiss': async () => {
      const f = (await t.createFacility()).id;
      return {
        path: `/facilities/${f}/care/orderlies/${(await careObjects(t, f)).positionId}/dismiss`,
        headers: admin(),
        body: { reason: 'asked to leave' },
        other: { reason: 'released early' },
      };
    },
    'POST /api/v1/orderly-assignments': async () => {
      const f = (await t.createFacility()).id;
      const { orderlyId } = await careObjects(t, f);
      const needy = (await t.createPrisoner(f)).id;
      await new CareCalls(t).disability(needy, 'deaf').expect(201);
      return {
        path: '/orderly-assignments',
        headers: admin(),
        body: { orderlyPrisonerId: orderlyId, assistedPrisonerId: needy },
        other: { orderlyPrisonerId: orderlyId, assistedPrisonerId: randomUUID() },
      };
    },
    'POST /api/v1/orderly-assignments/:id/end': async () => ({
      path: `/orderly-assignments/${(await careObjects(t, (await t.createFacility()).id)).assignmentId}/end`,
      headers: admin(),
      body: { reason: 'no longer needed' },
      other: { reason: 'moved' },
    }),
    'POST /api/v1/facilities/:facilityId/care/payroll': async () => ({
      path: `/facilities/${facility.id}/care/payroll`,
      headers: admin(),
      body: { month: '2020-01' },
      other: { month: '2020-02' },
    }),
  };

  /** Routes whose answer holds a secret shown once: a retry learns it succeeded, never the secret. */
  const SECRET: Record<string, () => Promise<Call>> = {
    'POST /api/v1/prisoners/:id/cards': async () => ({
      path: `/prisoners/${(await t.createPrisoner(facility.id)).id}/cards`,
      headers: admin(),
      body: {},
    }),
    'POST /api/v1/facilities/:facilityId/terminals': async () => ({
      path: `/facilities/${facility.id}/terminals`,
      headers: admin(),
      body: { kind: 'parcel-intake', name: uniq('Counter ') },
      other: { kind: 'parcel-intake', name: uniq('Counter ') },
    }),
  };

  it('declares every POST a use case (or says why not), and the table below covers each', () => {
    const posts = declaredRoutes(t).filter((r) => r.method === 'POST');
    expect(posts.filter((r) => !r.useCase).map((r) => r.path)).toEqual([]);
    const useCases = posts.filter((r) => r.useCase && !('notAUseCase' in r.useCase));
    const uncovered = useCases
      .map((r) => `POST ${r.path}`)
      .filter((r) => !(r in CASES) && !(r in SECRET));
    expect(uncovered).toEqual([]);
    const secret = useCases.filter((r) => 'secretAnswer' in r.useCase! && r.useCase.secretAnswer);
    expect(secret.map((r) => `POST ${r.path}`).sort()).toEqual(Object.keys(SECRET).sort());
    // what is not a use case is few and named
    expect(posts.filter((r) => r.useCase && 'notAUseCase' in r.useCase).map((r) => r.path)).toEqual(
      expect.arrayContaining(['/api/v1/auth/staff/login', '/api/v1/webhooks/stripe']),
    );
  });

  it('refuses a body with fields on every write that takes none, naming them; nothing or {} is no body', async () => {
    const writes = declaredRoutes(t).filter(
      (r) => ['POST', 'PUT', 'PATCH'].includes(r.method) && !r.takesBody,
    );
    // the Stripe webhook reads its raw body itself (signed bytes)
    expect(writes.filter((r) => !r.noBody).map((r) => `${r.method} ${r.path}`)).toEqual([
      'POST /api/v1/webhooks/stripe',
    ]);
    expect(writes.filter((r) => r.noBody).length).toBeGreaterThanOrEqual(7);
    const admin = { authorization: `Bearer ${t.adminToken}` };
    const reconcile = (body?: object) => {
      const req = t.http
        .post(`${API}/deposits/reconcile`)
        .set(admin)
        .set('idempotency-key', randomUUID());
      return body === undefined ? req : req.send(body);
    };
    const refused = await reconcile({ x: 1 }).expect(400);
    expect(refused.body).toMatchObject({
      code: 'VALIDATION_FAILED',
      errors: [{ field: 'x', message: 'property x should not exist' }],
    });
    await reconcile({}).expect(200);
    await reconcile().expect(200);
    // a publication sent a start of its own is refused, not published with the draft's
    const f = await t.createFacility();
    const draft = await t.http
      .post(`${API}/policy-versions`)
      .set(admin)
      .send({
        facilityId: f.id,
        effectiveFrom: new Date(Date.now() + 3_600_000).toISOString(),
        reason: 'a body on publish',
        values: { 'payphones.maxCallMinutes': 12 },
      })
      .expect(201);
    const publish = t.http
      .post(`${API}/policy-versions/${draft.body.id}/publish`)
      .set(admin)
      .set('idempotency-key', randomUUID());
    const sent = await publish
      .send({ effectiveFrom: '2033-01-01T00:00:00Z', bogus: 1 })
      .expect(400);
    expect(sent.body.errors.map((e: { field: string }) => e.field)).toEqual([
      'effectiveFrom',
      'bogus',
    ]);
    const v = await t.http.get(`${API}/policy-versions/${draft.body.id}`).set(admin).expect(200);
    expect(v.body.status).toBe('draft');
  });

  it.each(Object.keys(CASES))(
    '%s: the same key and body replay the first answer and status; another body → 422',
    async (route) => {
      const call = await CASES[route]();
      const key = randomUUID();
      const first = await post(call, key);
      expect([200, 201]).toContain(first.status);
      if (first.body?.clientSecret) t.secrets.add(first.body.clientSecret);
      const again = await post(call, key);
      expect(again.status).toBe(first.status);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(again.body).toEqual(first.body);
      if (call.other) {
        const reused = await post(call, key, call.other).expect(422);
        expect(reused.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
      }
    },
  );

  it.each(Object.keys(SECRET))(
    '%s: a retry with the key does the work once and never shows the secret again',
    async (route) => {
      const call = await SECRET[route]();
      const key = randomUUID();
      const first = await post(call, key).expect(201);
      t.secrets.add(first.body.cardNumber ?? first.body.apiKey);
      const again = await post(call, key).expect(422);
      expect(again.body.code).toBe('IDEMPOTENCY_ANSWER_NOT_KEPT');
      expect(JSON.stringify(again.body)).not.toContain(first.body.cardNumber ?? first.body.apiKey);
      const kept = await t.sql<{ body: unknown }>(
        'SELECT response_body AS body FROM idempotency_keys WHERE key = $1',
        [key],
      );
      expect(kept).toEqual([{ body: null }]);
      if (call.other) await post(call, key, call.other).expect(422);
    },
  );
});
