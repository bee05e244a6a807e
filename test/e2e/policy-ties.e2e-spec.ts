import { API, TestApp } from '../support/test-app';

/**
 * Two published versions of one scope that set one key from one moment would tie: resolution
 * would pick one silently. The second publication is refused (409 POLICY_START_TAKEN), also
 * when two administrators publish at the same moment.
 */
describe('policies: one version per scope, key and start', () => {
  let t: TestApp;
  let F: string;
  let G: string;
  const admin = () => ({ authorization: `Bearer ${t.adminToken}` });

  beforeAll(async () => {
    t = await TestApp.start();
    F = (await t.createFacility({ timeZone: 'Asia/Almaty' })).id;
    G = (await t.createFacility({ timeZone: 'Asia/Almaty' })).id;
  });
  afterAll(() => t.close());

  const draft = async (
    facilityId: string | null,
    start: { effectiveFrom: string } | { effectiveOn: string },
    values: Record<string, unknown>,
  ): Promise<string> =>
    (
      await t.http
        .post(`${API}/policy-versions`)
        .set(admin())
        .send({ facilityId, ...start, reason: 'Order 7: tariffs', values })
        .expect(201)
    ).body.id;
  const publish = (id: string) =>
    t.http.post(`${API}/policy-versions/${id}/publish`).set(admin()).send({});

  it('refuses a second version of the same scope, key and start with 409 and its code', async () => {
    const at = { effectiveFrom: '2091-03-01T00:00:00+05:00' };
    const first = await draft(F, at, { 'payphones.tariffMinorPerMinute': 2500 });
    await publish(first).expect(200);
    const second = await draft(F, at, {
      'payphones.tariffMinorPerMinute': 3000,
      'payphones.maxCallMinutes': 20,
    });
    const res = await publish(second).expect(409);
    expect(res.body).toMatchObject({ code: 'POLICY_START_TAKEN', status: 409 });
    expect(res.body.detail).toContain(first);
    expect(res.body.detail).toContain('payphones.tariffMinorPerMinute');
    expect(res.body.errors).toEqual([expect.objectContaining({ field: 'effectiveFrom' })]);
    // still a draft, and resolution at that moment names the first
    const v = await t.http.get(`${API}/policy-versions/${second}`).set(admin()).expect(200);
    expect(v.body.status).toBe('draft');
    const p = await t.http
      .get(`${API}/facilities/${F}/policy`)
      .query({ at: '2091-03-01T00:00:00+05:00' })
      .set(admin())
      .expect(200);
    expect(p.body.sources['payphones.tariffMinorPerMinute']).toBe(first);
    // a local date that is the same moment in the facility's zone ties too
    const sameDay = await draft(
      F,
      { effectiveOn: '2091-03-01' },
      {
        'payphones.tariffMinorPerMinute': 2600,
      },
    );
    expect((await publish(sameDay).expect(409)).body.code).toBe('POLICY_START_TAKEN');
  });

  it('publishes what does not tie: other keys, another scope, another start', async () => {
    const at = { effectiveFrom: '2091-04-01T00:00:00+05:00' };
    await publish(await draft(F, at, { 'payphones.tariffMinorPerMinute': 2500 })).expect(200);
    await publish(await draft(F, at, { 'payphones.maxCallMinutes': 20 })).expect(200);
    await publish(await draft(G, at, { 'payphones.tariffMinorPerMinute': 2500 })).expect(200);
    await publish(await draft(null, at, { 'payphones.tariffMinorPerMinute': 2400 })).expect(200);
    await publish(
      await draft(
        F,
        { effectiveFrom: '2091-04-01T00:00:01+05:00' },
        {
          'payphones.tariffMinorPerMinute': 2500,
        },
      ),
    ).expect(200);
  });

  it('two administrators publishing tying versions at once: exactly one wins', async () => {
    const at = { effectiveFrom: '2091-05-01T00:00:00+05:00' };
    const ids = await Promise.all(
      [2500, 2600, 2700, 2800].map((tariff) =>
        draft(F, at, { 'payphones.tariffMinorPerMinute': tariff }),
      ),
    );
    const res = await Promise.all(ids.map(publish));
    expect(res.map((r) => r.status).sort()).toEqual([200, 409, 409, 409]);
    for (const r of res.filter((x) => x.status === 409))
      expect(r.body.code).toBe('POLICY_START_TAKEN');
  });
});
