import { API, TestApp } from '../support/test-app';

interface Decision {
  id: string;
  outcome: 'accepted' | 'refused';
  reasons: Array<{ code: string; message: string }>;
  allowance: {
    parcelsAllowed: number;
    parcelsReceived: number;
    parcelsRemaining: number;
    periodStart: string;
  } | null;
  policyVersionIds: string[];
  status: string | null;
}

describe('parcel intake: the 20 kg rule, the yearly allowance, the parcel’s life', () => {
  let t: TestApp;
  let facility: { id: string };
  let intakeKey: string;
  const item = { category: 'food', description: 'tea, sugar', quantity: 2 };

  beforeAll(async () => {
    t = await TestApp.start();
    facility = await t.createFacility({ timeZone: 'Asia/Almaty' });
    intakeKey = (await t.createTerminal(facility.id, 'parcel-intake', 'Counter 1')).apiKey;
  });
  afterAll(() => t.close());

  const register = async (
    body: Record<string, unknown>,
    key = intakeKey,
    facilityId = facility.id,
  ) => t.http.post(`${API}/facilities/${facilityId}/parcels`).set('x-api-key', key).send(body);
  const decide = async (body: Record<string, unknown>) => {
    const res = await register(body);
    expect(res.status).toBe(201);
    return res.body as Decision;
  };

  it('accepts 20 000 g and refuses 20 001 g under the reform, naming the rule and the version', async () => {
    const p = await t.createPrisoner(facility.id, { securityLevel: 'medium' });
    const ok = await decide({
      prisonerId: p.id,
      senderName: 'Mother',
      weightGrams: 20000,
      items: [item],
    });
    expect(ok).toMatchObject({ outcome: 'accepted', reasons: [], status: 'received' });
    const over = await decide({
      prisonerId: p.id,
      senderName: 'Mother',
      weightGrams: 20001,
      items: [item],
    });
    expect(over.outcome).toBe('refused');
    expect(over.reasons.map((r) => r.code)).toEqual(['OVERWEIGHT']);
    expect(over.status).toBeNull();
    const policy = await t.http
      .get(`${API}/facilities/${facility.id}/policy`)
      .set('x-api-key', intakeKey)
      .expect(200);
    expect(over.policyVersionIds).toContain(policy.body.sources['parcels.maxWeightGrams']);
    // the refusal is stored too
    const stored = await t.http
      .get(`${API}/parcels/${over.id}`)
      .set('x-api-key', intakeKey)
      .expect(200);
    expect(stored.body).toMatchObject({ outcome: 'refused', weightGrams: 20001 });
  });

  it('refuses 14 001 g for an instant in 2019, under the baseline', async () => {
    const p = await t.createPrisoner(facility.id);
    t.setNow('2019-06-03T10:00:00+06:00');
    try {
      const d = await decide({
        prisonerId: p.id,
        senderName: 'Sister',
        weightGrams: 14001,
        items: [item],
      });
      expect(d.reasons.map((r) => r.code)).toEqual(['OVERWEIGHT']);
      expect(d.reasons[0].message).toContain('14000');
      const ok = await decide({
        prisonerId: p.id,
        senderName: 'Sister',
        weightGrams: 14000,
        items: [item],
      });
      expect(ok.outcome).toBe('accepted');
      expect(ok.allowance?.periodStart).toBe('2018-12-31T18:00:00.000Z'); // 1 January 2019, Almaty (UTC+6)
    } finally {
      t.setNow(null);
    }
  });

  it('lists every reason, not just the first', async () => {
    const p = await t.createPrisoner(facility.id);
    const d = await decide({
      prisonerId: p.id,
      senderName: 'Friend',
      weightGrams: 25000,
      items: [
        item,
        { category: 'alcohol', description: 'vodka', quantity: 1 },
        { category: 'mobile-phones', description: 'phone', quantity: 1 },
      ],
    });
    expect(d.reasons.map((r) => r.code).sort()).toEqual(['OVERWEIGHT', 'PROHIBITED_ITEM']);
    expect(d.reasons.find((r) => r.code === 'PROHIBITED_ITEM')?.message).toContain(
      'alcohol, mobile-phones',
    );
  });

  it('takes exactly the places left when 12 counters register at once: 3 accepted, 9 QUOTA_EXCEEDED', async () => {
    // medium security, ordinary conditions: 6 parcels a year (the baseline's illustrative default)
    const p = await t.createPrisoner(facility.id, {
      securityLevel: 'medium',
      conditions: 'ordinary',
    });
    for (let i = 0; i < 3; i++)
      await decide({ prisonerId: p.id, senderName: 'Mother', weightGrams: 1000, items: [item] });
    const before = await t.http
      .get(`${API}/prisoners/${p.id}/parcel-allowance`)
      .set('x-api-key', intakeKey)
      .expect(200);
    expect(before.body).toMatchObject({
      parcelsAllowed: 6,
      parcelsReceived: 3,
      parcelsRemaining: 3,
    });

    const keys = [
      intakeKey,
      ...(
        await Promise.all([1, 2, 3].map(() => t.createTerminal(facility.id, 'parcel-intake')))
      ).map((x) => x.apiKey),
    ];
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        register(
          { prisonerId: p.id, senderName: `Sender ${i}`, weightGrams: 1000, items: [item] },
          keys[i % keys.length],
        ),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(Array(12).fill(201));
    const outcomes = results.map((r) => r.body as Decision);
    expect(outcomes.filter((d) => d.outcome === 'accepted')).toHaveLength(3);
    const refused = outcomes.filter((d) => d.outcome === 'refused');
    expect(refused).toHaveLength(9);
    expect(refused.every((d) => d.reasons.map((r) => r.code).join() === 'QUOTA_EXCEEDED')).toBe(
      true,
    );
    const after = await t.http
      .get(`${API}/prisoners/${p.id}/parcel-allowance`)
      .set('x-api-key', intakeKey)
      .expect(200);
    expect(after.body).toMatchObject({ parcelsReceived: 6, parcelsRemaining: 0 });
    expect(after.body.small).toMatchObject({
      parcelsAllowed: 6,
      parcelsReceived: 0,
      maxWeightGrams: 5000,
    });
  });

  it('keeps small parcels to their own weight and allowance', async () => {
    const p = await t.createPrisoner(facility.id, {
      securityLevel: 'extreme',
      conditions: 'ordinary',
    });
    const heavy = await decide({
      prisonerId: p.id,
      kind: 'small-parcel',
      senderName: 'Wife',
      weightGrams: 5001,
      items: [],
    });
    expect(heavy.reasons.map((r) => r.code)).toEqual(['OVERWEIGHT']);
    const codes: string[] = [];
    for (let i = 0; i < 4; i++) {
      codes.push(
        (
          await decide({
            prisonerId: p.id,
            kind: 'small-parcel',
            senderName: 'Wife',
            weightGrams: 500,
            items: [],
          })
        ).outcome,
      );
    }
    expect(codes).toEqual(['accepted', 'accepted', 'accepted', 'refused']); // extreme, ordinary: 3 a year
    const big = await decide({
      prisonerId: p.id,
      senderName: 'Wife',
      weightGrams: 3000,
      items: [],
    });
    expect(big.outcome).toBe('accepted');
  });

  it('refuses a prisoner held elsewhere, or nowhere, the same way', async () => {
    const other = await t.createFacility();
    const elsewhere = await t.createPrisoner(other.id);
    const a = await decide({
      prisonerId: elsewhere.id,
      senderName: 'X',
      weightGrams: 100,
      items: [],
    });
    const b = await decide({
      prisonerId: '5f0c6b8e-1d2a-4c3b-9e8f-7a6b5c4d3e2f',
      senderName: 'X',
      weightGrams: 100,
      items: [],
    });
    for (const d of [a, b]) {
      expect(d.outcome).toBe('refused');
      expect(d.reasons.map((r) => r.code)).toEqual(['PRISONER_NOT_IN_FACILITY']);
      expect(d.allowance).toBeNull();
    }
  });

  it('answers bad input with 400 and stores nothing', async () => {
    const p = await t.createPrisoner(facility.id);
    const count = async () =>
      Number((await t.sql<{ n: string }>('SELECT count(*) AS n FROM parcels'))[0].n);
    const before = await count();
    const good = { prisonerId: p.id, senderName: 'Mother', weightGrams: 1000, items: [item] };
    const cases: Array<[string, Record<string, unknown>]> = [
      ['zero weight', { ...good, weightGrams: 0 }],
      ['negative weight', { ...good, weightGrams: -5 }],
      ['fractional weight', { ...good, weightGrams: 1000.5 }],
      ['absurd weight', { ...good, weightGrams: 1_000_001 }],
      ['weight as text', { ...good, weightGrams: '1000' }],
      ['unknown kind', { ...good, kind: 'crate' }],
      ['empty sender', { ...good, senderName: '   ' }],
      ['no sender', { ...good, senderName: undefined }],
      ['bad prisoner id', { ...good, prisonerId: 'abc' }],
      ['items not a list', { ...good, items: 'food' }],
      ['item without category', { ...good, items: [{ description: 'x', quantity: 1 }] }],
      ['item with zero quantity', { ...good, items: [{ ...item, quantity: 0 }] }],
      ['unknown field', { ...good, priority: 'high' }],
    ];
    for (const [name, body] of cases) {
      const res = await register(body);
      expect({ name, status: res.status }).toEqual({ name, status: 400 });
    }
    expect(await count()).toBe(before);
  });

  it('lets neither a payphone key nor another facility’s intake key register here', async () => {
    const p = await t.createPrisoner(facility.id);
    const payphone = await t.createTerminal(facility.id, 'payphone');
    const other = await t.createFacility();
    const otherIntake = await t.createTerminal(other.id, 'parcel-intake');
    const body = { prisonerId: p.id, senderName: 'X', weightGrams: 100, items: [] };
    expect((await register(body, payphone.apiKey)).status).toBe(403);
    expect((await register(body, otherIntake.apiKey)).status).toBe(404);
    const officerElsewhere = await t.createStaff(['intake-officer'], [other.id]);
    await t.http
      .post(`${API}/facilities/${facility.id}/parcels`)
      .auth(officerElsewhere.token, { type: 'bearer' })
      .send(body)
      .expect(404);
  });

  it('follows the parcel’s life; returning before inspection gives the place back, seizing does not', async () => {
    const p = await t.createPrisoner(facility.id, {
      securityLevel: 'extreme',
      conditions: 'ordinary',
    }); // 3 a year
    const officer = await t.createStaff(['intake-officer'], [facility.id]);
    const as = { authorization: `Bearer ${officer.token}` };
    const d1 = await decide({ prisonerId: p.id, senderName: 'A', weightGrams: 100, items: [item] });
    const d2 = await decide({ prisonerId: p.id, senderName: 'B', weightGrams: 100, items: [item] });
    const d3 = await decide({ prisonerId: p.id, senderName: 'C', weightGrams: 100, items: [item] });
    expect(
      (await decide({ prisonerId: p.id, senderName: 'D', weightGrams: 100, items: [item] }))
        .reasons[0].code,
    ).toBe('QUOTA_EXCEEDED');

    // d1: inspected, handed over; nothing more after that
    await t.http
      .post(`${API}/parcels/${d1.id}/status`)
      .set(as)
      .send({ status: 'inspected' })
      .expect(200);
    await t.http
      .post(`${API}/parcels/${d1.id}/status`)
      .set(as)
      .send({ status: 'handed-over' })
      .expect(200);
    const late = await t.http
      .post(`${API}/parcels/${d1.id}/status`)
      .set(as)
      .send({ status: 'seized', note: 'x', seizedItems: [item] })
      .expect(422);
    expect(late.body.code).toBe('ILLEGAL_TRANSITION');
    // d2: items seized (with the reason and the items): still counts
    await t.http
      .post(`${API}/parcels/${d2.id}/status`)
      .set(as)
      .send({ status: 'seized' })
      .expect(400);
    await t.http
      .post(`${API}/parcels/${d2.id}/status`)
      .set(as)
      .send({
        status: 'seized',
        note: 'a phone inside a loaf',
        seizedItems: [{ category: 'mobile-phones', description: 'phone', quantity: 1 }],
      })
      .expect(200);
    // d3: returned to the sender before inspection: the place comes back
    await t.http
      .post(`${API}/parcels/${d3.id}/status`)
      .set(as)
      .send({ status: 'returned', note: 'refused by the prisoner' })
      .expect(200);
    const allowance = await t.http
      .get(`${API}/prisoners/${p.id}/parcel-allowance`)
      .set(as)
      .expect(200);
    expect(allowance.body).toMatchObject({
      parcelsAllowed: 3,
      parcelsReceived: 2,
      parcelsRemaining: 1,
    });
    expect(
      (await decide({ prisonerId: p.id, senderName: 'E', weightGrams: 100, items: [item] }))
        .outcome,
    ).toBe('accepted');

    const history = await t.http.get(`${API}/parcels/${d2.id}`).set(as).expect(200);
    expect(
      history.body.history.map(
        (h: { fromStatus: string; toStatus: string }) => `${h.fromStatus}→${h.toStatus}`,
      ),
    ).toEqual(['received→seized']);
    expect(history.body.history[0].seizedItems[0].category).toBe('mobile-phones');
    // a refused parcel has no life after intake; an intake terminal does not move parcels
    const refused = await decide({
      prisonerId: p.id,
      senderName: 'F',
      weightGrams: 100,
      items: [item],
    });
    await t.http
      .post(`${API}/parcels/${refused.id}/status`)
      .set(as)
      .send({ status: 'inspected' })
      .expect(422);
    await t.http
      .post(`${API}/parcels/${d3.id}/status`)
      .set('x-api-key', intakeKey)
      .send({ status: 'inspected' })
      .expect(403);
    // two officers moving the same parcel at once: one wins
    const d6 = (
      await decide({
        prisonerId: (await t.createPrisoner(facility.id)).id,
        senderName: 'G',
        weightGrams: 1,
        items: [],
      })
    ).id;
    const race = await Promise.all(
      [0, 1, 2, 3].map(() =>
        t.http.post(`${API}/parcels/${d6}/status`).set(as).send({ status: 'inspected' }),
      ),
    );
    expect(race.map((r) => r.status).sort()).toEqual([200, 422, 422, 422]);
  });

  it('lists a prisoner’s parcels and the facility’s parcels of a local day, paginated', async () => {
    const f = await t.createFacility({ timeZone: 'Asia/Aqtobe' });
    const key = (await t.createTerminal(f.id, 'parcel-intake')).apiKey;
    const p = await t.createPrisoner(f.id);
    try {
      for (let i = 0; i < 3; i++) {
        t.setNow(`2026-03-10T18:3${i}:00Z`); // 23:3x in Aqtobe, 10 March
        await register(
          { prisonerId: p.id, senderName: `S${i}`, weightGrams: 100 + i, items: [] },
          key,
          f.id,
        );
      }
      t.setNow('2026-03-10T19:30:00Z'); // 00:30, 11 March
      await register(
        { prisonerId: p.id, senderName: 'next day', weightGrams: 999, items: [] },
        key,
        f.id,
      );
    } finally {
      t.setNow(null);
    }
    const day = await t.http
      .get(`${API}/facilities/${f.id}/parcels`)
      .query({ date: '2026-03-10' })
      .set('x-api-key', key)
      .expect(200);
    expect(day.body.items.map((x: { senderName: string }) => x.senderName)).toEqual([
      'S0',
      'S1',
      'S2',
    ]);
    const next = await t.http
      .get(`${API}/facilities/${f.id}/parcels`)
      .query({ date: '2026-03-11' })
      .set('x-api-key', key)
      .expect(200);
    expect(next.body.items).toHaveLength(1);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: { body: { items: Array<{ id: string }>; nextCursor: string | null } } =
        await t.http
          .get(`${API}/prisoners/${p.id}/parcels`)
          .query({ limit: '2', ...(cursor ? { cursor } : {}) })
          .set('x-api-key', key)
          .expect(200);
      seen.push(...res.body.items.map((x) => x.id));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(4);
    await t.http
      .get(`${API}/facilities/${f.id}/parcels`)
      .query({ date: '10.03.2026' })
      .set('x-api-key', key)
      .expect(400);
  });
});
