import { Client } from 'pg';
import { API, TestApp } from '../support/test-app';

interface Policy {
  facilityId: string;
  at: string;
  values: Record<string, unknown>;
  sources: Record<string, string>;
  validUntil: string | null;
}

describe('versioned policies: the baseline, the reform, the MCI, overrides and their resolution', () => {
  let t: TestApp;
  let almaty: { id: string };
  let aqtobe: { id: string };
  const bearer = () => ({ authorization: `Bearer ${t.adminToken}` });

  beforeAll(async () => {
    t = await TestApp.start();
    almaty = await t.createFacility({ timeZone: 'Asia/Almaty' });
    aqtobe = await t.createFacility({ timeZone: 'Asia/Aqtobe' });
  });
  afterAll(() => t.close());

  const policy = async (
    facilityId: string,
    at?: string,
    headers: Record<string, string> = bearer(),
  ): Promise<Policy> => {
    const res = await t.http
      .get(`${API}/facilities/${facilityId}/policy`)
      .query(at ? { at } : {})
      .set(headers)
      .expect(200);
    return res.body as Policy;
  };

  it('lists the catalog, with at least every key api.md names', async () => {
    const res = await t.http.get(`${API}/policy-catalog`).set(bearer()).expect(200);
    const keys = res.body.map((e: { key: string }) => e.key);
    for (const k of [
      'parcels.maxWeightGrams',
      'parcels.perYear',
      'parcels.smallMaxWeightGrams',
      'parcels.smallPerYear',
      'parcels.prohibitedCategories',
      'payphones.openTime',
      'payphones.closeTime',
      'payphones.maxCallMinutes',
      'payphones.tariffMinorPerMinute',
      'finance.mciMinor',
      'cards.monthlySpendingLimitMci',
      'cards.maxDepositMinor',
      'visits.long.maxDays',
      'visits.long.perYear',
      'visits.long.requiredDocuments',
    ]) {
      expect(keys).toContain(k);
    }
    expect(res.body.find((e: { key: string }) => e.key === 'parcels.perYear')).toMatchObject({
      byLevel: true,
      unit: expect.any(String),
    });
  });

  it('resolves 2019 to the baseline and today to the reform, naming the versions', async () => {
    const before = await policy(almaty.id, '2019-06-01T12:00:00+06:00');
    expect(before.values['parcels.maxWeightGrams']).toBe(14000);
    expect(before.values['payphones.closeTime']).toBe('18:00');
    expect(before.values['visits.long.requiredDocuments']).toContain('aids-centre-certificate');
    const now = await policy(almaty.id);
    expect(now.values['parcels.maxWeightGrams']).toBe(20000);
    expect(now.values['payphones.closeTime']).toBe('21:00');
    expect(now.values['visits.long.requiredDocuments']).not.toContain('aids-centre-certificate');
    expect(now.values['payphones.openTime']).toBe('08:00'); // the reform did not touch it: still the baseline's
    expect(now.sources['payphones.openTime']).toBe(before.sources['payphones.openTime']);
    expect(now.sources['parcels.maxWeightGrams']).not.toBe(
      before.sources['parcels.maxWeightGrams'],
    );
    const reform = await t.http
      .get(`${API}/policy-versions/${now.sources['parcels.maxWeightGrams']}`)
      .set(bearer())
      .expect(200);
    expect(reform.body).toMatchObject({
      status: 'published',
      effectiveOn: '2020-01-01',
      sourceFile: '2020-01-01-reform.json',
    });
  });

  it('changes the MCI at local midnight of 1 April 2020 in each facility’s own zone', async () => {
    // Almaty was UTC+6 in 2020, Aqtobe UTC+5
    const mci = async (f: string, at: string) => (await policy(f, at)).values['finance.mciMinor'];
    expect(await mci(almaty.id, '2020-03-31T23:59:00+06:00')).toBe(265100);
    expect(await mci(almaty.id, '2020-04-01T00:00:00+06:00')).toBe(277800);
    expect(await mci(aqtobe.id, '2020-03-31T23:59:00+05:00')).toBe(265100);
    expect(await mci(aqtobe.id, '2020-04-01T00:00:00+05:00')).toBe(277800);
    // the same instant, two answers: it is already April in Almaty, not yet in Aqtobe
    expect(await mci(aqtobe.id, '2020-04-01T00:00:00+06:00')).toBe(265100);
  });

  it('follows Almaty’s move from UTC+6 to UTC+5 on 2024-03-01 (instants on both sides)', async () => {
    const mci = async (f: string, at: string) => (await policy(f, at)).values['finance.mciMinor'];
    // 1 Jan 2024 began at 18:00Z in Almaty (still UTC+6) and at 19:00Z in Aqtobe
    expect(await mci(almaty.id, '2023-12-31T18:30:00Z')).toBe(369200);
    expect(await mci(aqtobe.id, '2023-12-31T18:30:00Z')).toBe(345000);
    // 1 Jan 2025 began at 19:00Z in both: Almaty is UTC+5 since March 2024
    expect(await mci(almaty.id, '2024-12-31T18:30:00Z')).toBe(369200);
    expect(await mci(almaty.id, '2024-12-31T19:00:00Z')).toBe(393200);
    const validUntil = (await policy(almaty.id, '2024-06-01T00:00:00Z')).validUntil;
    expect(validUntil).toBe('2024-12-31T19:00:00.000Z');
  });

  it('keeps a future facility override invisible today, names it in validUntil, applies it after, and nowhere else', async () => {
    const effectiveFrom = new Date(Date.now() + 30 * 24 * 3600 * 1000);
    effectiveFrom.setUTCMilliseconds(0);
    const draft = await t.http
      .post(`${API}/policy-versions`)
      .set(bearer())
      .send({
        facilityId: almaty.id,
        effectiveFrom: effectiveFrom.toISOString(),
        reason: 'Order of the facility head No. 17: payphones until 22:00',
        values: { 'payphones.closeTime': '22:00' },
      })
      .expect(201);
    expect(draft.body.status).toBe('draft');
    const unpublished = await policy(
      almaty.id,
      new Date(effectiveFrom.getTime() + 1000).toISOString(),
    );
    expect(unpublished.values['payphones.closeTime']).toBe('21:00'); // drafts never apply
    await t.http.post(`${API}/policy-versions/${draft.body.id}/publish`).set(bearer()).expect(200);

    const today = await policy(almaty.id);
    expect(today.values['payphones.closeTime']).toBe('21:00');
    expect(today.validUntil).toBe(effectiveFrom.toISOString());
    const justBefore = await policy(almaty.id, new Date(effectiveFrom.getTime() - 1).toISOString());
    expect(justBefore.values['payphones.closeTime']).toBe('21:00');
    const after = await policy(almaty.id, effectiveFrom.toISOString());
    expect(after.values['payphones.closeTime']).toBe('22:00');
    expect(after.sources['payphones.closeTime']).toBe(draft.body.id);
    expect(after.values['parcels.maxWeightGrams']).toBe(20000); // the rest stays national
    const elsewhere = await policy(aqtobe.id, effectiveFrom.toISOString());
    expect(elsewhere.values['payphones.closeTime']).toBe('21:00');
    expect((await policy(aqtobe.id)).validUntil).not.toBe(effectiveFrom.toISOString());
  });

  it('answers 304 to a matching ETag, 200 with a new ETag once the policy changed', async () => {
    const f = await t.createFacility({ timeZone: 'Asia/Almaty' });
    const term = await t.createTerminal(f.id, 'payphone');
    const first = await t.http
      .get(`${API}/facilities/${f.id}/policy`)
      .set('x-api-key', term.apiKey)
      .expect(200);
    const etag = first.headers.etag as string;
    expect(etag).toMatch(/^"[A-Za-z0-9_-]+"$/);
    const again = await t.http
      .get(`${API}/facilities/${f.id}/policy`)
      .set('x-api-key', term.apiKey)
      .set('if-none-match', etag)
      .expect(304);
    expect(again.text).toBe('');
    await t.http
      .get(`${API}/facilities/${f.id}/policy`)
      .set('x-api-key', term.apiKey)
      .set('if-none-match', '"other"')
      .expect(200);

    const v = await t.http
      .post(`${API}/policy-versions`)
      .set(bearer())
      .send({
        facilityId: f.id,
        effectiveFrom: new Date(Date.now() + 86_400_000).toISOString(),
        reason: 'x',
        values: { 'payphones.maxCallMinutes': 10 },
      })
      .expect(201);
    await t.http.post(`${API}/policy-versions/${v.body.id}/publish`).set(bearer()).expect(200);
    // validUntil moved: a new answer, a new ETag
    const changed = await t.http
      .get(`${API}/facilities/${f.id}/policy`)
      .set('x-api-key', term.apiKey)
      .set('if-none-match', etag)
      .expect(200);
    expect(changed.headers.etag).not.toBe(etag);
  });

  it('refuses to change a published version, through the API and in SQL', async () => {
    const f = await t.createFacility();
    const v = await t.http
      .post(`${API}/policy-versions`)
      .set(bearer())
      .send({
        facilityId: f.id,
        effectiveOn: '2099-01-01',
        reason: 'later',
        values: { 'payphones.maxCallMinutes': 12 },
      })
      .expect(201);
    await t.http
      .patch(`${API}/policy-versions/${v.body.id}`)
      .set(bearer())
      .send({ reason: 'edited while a draft' })
      .expect(200);
    await t.http.post(`${API}/policy-versions/${v.body.id}/publish`).set(bearer()).expect(200);
    const edit = await t.http
      .patch(`${API}/policy-versions/${v.body.id}`)
      .set(bearer())
      .send({ values: { 'payphones.maxCallMinutes': 99 } })
      .expect(422);
    expect(edit.body.code).toBe('POLICY_VERSION_PUBLISHED');
    await t.http.post(`${API}/policy-versions/${v.body.id}/publish`).set(bearer()).expect(422);
    await expect(
      t.sql(`UPDATE policy_versions SET values = '{}' WHERE id = $1`, [v.body.id]),
    ).rejects.toThrow(/immutable/);
    await expect(t.sql(`DELETE FROM policy_versions WHERE id = $1`, [v.body.id])).rejects.toThrow(
      /immutable/,
    );
    const loaded = await t.sql<{ id: string }>(
      `SELECT id FROM policy_versions WHERE source_file = '2020-01-01-reform.json'`,
    );
    await expect(
      t.sql(`UPDATE policy_versions SET reason = 'x' WHERE id = $1`, [loaded[0].id]),
    ).rejects.toThrow(/immutable/);
  });

  it('never lets a publication rewrite the past', async () => {
    const f = await t.createFacility();
    const v = await t.http
      .post(`${API}/policy-versions`)
      .set(bearer())
      .send({
        facilityId: f.id,
        effectiveOn: '2019-01-01',
        reason: 'backdated',
        values: { 'parcels.maxWeightGrams': 30000 },
      })
      .expect(201);
    const res = await t.http
      .post(`${API}/policy-versions/${v.body.id}/publish`)
      .set(bearer())
      .expect(422);
    expect(res.body.code).toBe('EFFECTIVE_IN_PAST');
    expect((await policy(f.id, '2019-06-01T00:00:00Z')).values['parcels.maxWeightGrams']).toBe(
      14000,
    );
  });

  it('refuses a publication with less lead than POLICY_MIN_LEAD_SECONDS, by the database’s clock', async () => {
    const f = await t.createFacility();
    const dbNow = async () =>
      (await t.sql<{ now: Date }>('SELECT clock_timestamp() AS now'))[0].now.getTime();
    const v = await t.http
      .post(`${API}/policy-versions`)
      .set(bearer())
      .send({
        facilityId: f.id,
        effectiveFrom: new Date((await dbNow()) + 10_000).toISOString(),
        reason: 'in ten seconds',
        values: { 'payphones.maxCallMinutes': 9 },
      })
      .expect(201);
    const publish = () => t.http.post(`${API}/policy-versions/${v.body.id}/publish`).set(bearer());
    const soon = await publish().expect(422);
    expect(soon.body.code).toBe('POLICY_LEAD_TOO_SHORT');
    expect(soon.body.errors).toEqual([
      { field: 'effectiveFrom', message: 'must be at least 60 s after now' },
    ]);
    // the use case's clock a year back does not make the lead longer: the database's clock decides
    t.setNow(new Date((await dbNow()) - 365 * 86_400_000));
    try {
      expect((await publish().expect(422)).body.code).toBe('POLICY_LEAD_TOO_SHORT');
    } finally {
      t.setNow(null);
    }
    expect(
      (await t.http.get(`${API}/policy-versions/${v.body.id}`).set(bearer())).body.status,
    ).toBe('draft');
    await t.http
      .patch(`${API}/policy-versions/${v.body.id}`)
      .set(bearer())
      .send({ effectiveFrom: new Date((await dbNow()) + 120_000).toISOString() })
      .expect(200);
    await publish().expect(200);
  });

  it('judges the lead once the publication’s turn has come, not before it waited', async () => {
    const f = await t.createFacility();
    const dbNow = async () =>
      (await t.sql<{ now: Date }>('SELECT clock_timestamp() AS now'))[0].now.getTime();
    const start = (await dbNow()) + 62_000;
    const v = await t.http
      .post(`${API}/policy-versions`)
      .set(bearer())
      .send({
        facilityId: f.id,
        effectiveFrom: new Date(start).toISOString(),
        reason: 'just over the lead',
        values: { 'payphones.maxCallMinutes': 11 },
      })
      .expect(201);
    // another publication of this facility's scope holds it (as a long one would)
    const other = new Client({ connectionString: t.env.DATABASE_URL });
    await other.connect();
    try {
      await other.query('BEGIN');
      await other.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [
        `policy-publish:${f.id}`,
      ]);
      const publishing = t.http.post(`${API}/policy-versions/${v.body.id}/publish`).set(bearer());
      const answer = publishing.then((r) => r);
      for (let i = 0; i < 200; i++) {
        const waiting = await t.sql(
          `SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND NOT granted`,
        );
        if (waiting.length) break;
        await new Promise((r) => setTimeout(r, 20));
      }
      // by the time its turn comes, less than the lead is left
      while ((await dbNow()) < start - 59_000) await new Promise((r) => setTimeout(r, 100));
      await other.query('COMMIT');
      const res = await answer;
      expect(res.status).toBe(422);
      expect(res.body.code).toBe('POLICY_LEAD_TOO_SHORT');
    } finally {
      await other.end();
    }
    expect(
      (await t.http.get(`${API}/policy-versions/${v.body.id}`).set(bearer())).body.status,
    ).toBe('draft');
  });

  it('validates versions against the catalog, naming the key', async () => {
    const bad = await t.http
      .post(`${API}/policy-versions`)
      .set(bearer())
      .send({
        effectiveOn: '2099-01-01',
        reason: 'bad',
        values: {
          'parcels.maxWeightGrams': -5,
          'payphones.closeTime': '25:00',
          'parcels.perYear': { medium: 6 },
          'no.such.key': 1,
          'cards.monthlySpendingLimitMci': {
            minimum: 1,
            medium: 1.234,
            maximum: 1,
            extreme: 1,
            mixed: 1,
            full: 1,
          },
        },
      })
      .expect(400);
    const fields = bad.body.errors.map((e: { field: string }) => e.field);
    expect(fields).toEqual(
      expect.arrayContaining([
        'values.parcels.maxWeightGrams',
        'values.payphones.closeTime',
        'values.parcels.perYear',
        'values.no.such.key',
        'values.cards.monthlySpendingLimitMci',
      ]),
    );
    expect(JSON.stringify(bad.body.errors)).toContain('parcels.perYear.extreme: missing');
    for (const body of [
      {
        effectiveOn: '2099-01-01',
        effectiveFrom: '2099-01-01T00:00:00Z',
        reason: 'both',
        values: { 'payphones.maxCallMinutes': 1 },
      },
      { reason: 'neither', values: { 'payphones.maxCallMinutes': 1 } },
      {
        effectiveOn: '2099-02-30',
        reason: 'no such day',
        values: { 'payphones.maxCallMinutes': 1 },
      },
      {
        effectiveFrom: '2099-01-01T00:00:00',
        reason: 'no offset',
        values: { 'payphones.maxCallMinutes': 1 },
      },
      { effectiveOn: '2099-01-01', reason: 'empty', values: {} },
      { effectiveOn: '2099-01-01', reason: 'list', values: [] },
    ]) {
      const res = await t.http.post(`${API}/policy-versions`).set(bearer()).send(body);
      expect({ body: body.reason, status: res.status }).toEqual({ body: body.reason, status: 400 });
    }
  });

  it('keeps facility policy admins to their facilities and out of national versions', async () => {
    const a = await t.createFacility();
    const b = await t.createFacility();
    const pa = await t.createStaff(['policy-admin'], [a.id]);
    const values = { 'payphones.maxCallMinutes': 10 };
    await t.http
      .post(`${API}/policy-versions`)
      .set({ authorization: `Bearer ${pa.token}` })
      .send({ effectiveOn: '2099-01-01', reason: 'x', values })
      .expect(403);
    await t.http
      .post(`${API}/policy-versions`)
      .set({ authorization: `Bearer ${pa.token}` })
      .send({ facilityId: b.id, effectiveOn: '2099-01-01', reason: 'x', values })
      .expect(404);
    const own = await t.http
      .post(`${API}/policy-versions`)
      .set({ authorization: `Bearer ${pa.token}` })
      .send({ facilityId: a.id, effectiveOn: '2099-01-01', reason: 'x', values })
      .expect(201);
    const listB = await t.http
      .get(`${API}/policy-versions`)
      .query({ facilityId: b.id })
      .set({ authorization: `Bearer ${pa.token}` })
      .expect(404);
    expect(listB.body.code).toBe('NOT_FOUND');
    const mine = await t.http
      .get(`${API}/policy-versions`)
      .query({ status: 'draft' })
      .set({ authorization: `Bearer ${pa.token}` })
      .expect(200);
    expect(
      mine.body.items.every(
        (v: { facilityId: string | null }) => v.facilityId === null || v.facilityId === a.id,
      ),
    ).toBe(true);
    expect(mine.body.items.map((v: { id: string }) => v.id)).toContain(own.body.id);
  });

  it('lists history newest first, filtered by key, paginated', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: {
        body: {
          items: Array<{ id: string; createdAt: string; values: object }>;
          nextCursor: string | null;
        };
      } = await t.http
        .get(`${API}/policy-versions`)
        .query({ key: 'finance.mciMinor', limit: '5', ...(cursor ? { cursor } : {}) })
        .set(bearer())
        .expect(200);
      for (const v of res.body.items) expect(Object.keys(v.values)).toContain('finance.mciMinor');
      seen.push(...res.body.items.map((v) => v.id));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(14);
    expect(new Set(seen).size).toBe(14);
  });

  it('explains what changed between two instants, and by which version', async () => {
    const res = await t.http
      .get(`${API}/facilities/${aqtobe.id}/policy/changes`)
      .query({ from: '2019-06-01T00:00:00+05:00', to: '2020-06-01T00:00:00+05:00' })
      .set(bearer())
      .expect(200);
    const byKey = (k: string) => res.body.changes.filter((c: { key: string }) => c.key === k);
    expect(byKey('parcels.maxWeightGrams')).toEqual([
      expect.objectContaining({ at: '2019-12-31T19:00:00.000Z', from: 14000, to: 20000 }),
    ]);
    expect(byKey('payphones.closeTime')[0]).toMatchObject({ from: '18:00', to: '21:00' });
    expect(
      byKey('finance.mciMinor').map((c: { from: number; to: number }) => [c.from, c.to]),
    ).toEqual([
      [252500, 265100],
      [265100, 277800],
    ]);
    const docs = byKey('visits.long.requiredDocuments')[0];
    expect(docs.from).toContain('aids-centre-certificate');
    expect(docs.to).not.toContain('aids-centre-certificate');
    await t.http
      .get(`${API}/facilities/${aqtobe.id}/policy/changes`)
      .query({ from: '2021-01-01T00:00:00Z', to: '2020-01-01T00:00:00Z' })
      .set(bearer())
      .expect(400);
    await t.http
      .get(`${API}/facilities/${aqtobe.id}/policy/changes`)
      .query({ from: 'last year', to: '2020-01-01T00:00:00Z' })
      .set(bearer())
      .expect(400);
  });

  it('tells a second app instance about a publication (NOTIFY), without a restart', async () => {
    const f = await t.createFacility();
    const twin = await t.startTwin();
    try {
      const at = '2098-06-01T00:00:00Z';
      const read = async () =>
        (
          await twin.http
            .get(`${API}/facilities/${f.id}/policy`)
            .query({ at })
            .set(bearer())
            .expect(200)
        ).body as Policy;
      expect((await read()).values['payphones.maxCallMinutes']).toBe(15); // cached in the twin now
      const v = await t.http
        .post(`${API}/policy-versions`)
        .set(bearer())
        .send({
          facilityId: f.id,
          effectiveOn: '2098-01-01',
          reason: 'x',
          values: { 'payphones.maxCallMinutes': 7 },
        })
        .expect(201);
      await t.http.post(`${API}/policy-versions/${v.body.id}/publish`).set(bearer()).expect(200);
      let seen: unknown;
      for (let i = 0; i < 250 && seen !== 7; i++) {
        seen = (await read()).values['payphones.maxCallMinutes'];
        if (seen !== 7) await new Promise((r) => setTimeout(r, 20));
      }
      expect(seen).toBe(7);
    } finally {
      await twin.close();
    }
  });
});
