import { API, TestApp } from '../support/test-app';

describe('terminals and their API keys', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await TestApp.start();
  });
  afterAll(() => t.close());

  it('issues a key once, stores only its hash and prefix, and authenticates with it', async () => {
    const f = await t.createFacility();
    const res = await t.http
      .post(`${API}/facilities/${f.id}/terminals`)
      .auth(t.adminToken, { type: 'bearer' })
      .send({ kind: 'parcel-intake', name: 'Counter 1' })
      .expect(201);
    const { apiKey, keyPrefix, id } = res.body as { apiKey: string; keyPrefix: string; id: string };
    t.secrets.add(apiKey);
    expect(apiKey).toMatch(/^pst_[a-z0-9]{12}_[A-Za-z0-9_-]{43}$/);
    expect(apiKey.startsWith(`pst_${keyPrefix}_`)).toBe(true);
    expect(res.body).toMatchObject({ kind: 'parcel-intake', facilityId: f.id, name: 'Counter 1' });

    const stored = await t.sql<Record<string, string>>('SELECT * FROM terminals WHERE id = $1', [
      id,
    ]);
    // pst_<12-character prefix>_<secret>; the secret (base64url) may itself contain '_'
    const secret = apiKey.slice('pst_'.length + 12 + 1);
    expect(secret).toHaveLength(43);
    expect(JSON.stringify(stored)).not.toContain(secret);
    const list = await t.http
      .get(`${API}/facilities/${f.id}/terminals`)
      .auth(t.adminToken, { type: 'bearer' })
      .expect(200);
    expect(JSON.stringify(list.body)).not.toContain(apiKey);

    const me = await t.http.get(`${API}/terminals/me`).set('x-api-key', apiKey).expect(200);
    expect(me.body).toEqual({ id, kind: 'parcel-intake', facilityId: f.id });
    const rows = await t.sql<{ last_used_at: Date | null }>(
      'SELECT last_used_at FROM terminals WHERE id = $1',
      [id],
    );
    // recorded off the request path: give it a moment
    for (let i = 0; i < 250 && !rows[0].last_used_at; i++) {
      await new Promise((r) => setTimeout(r, 20));
      rows.splice(
        0,
        1,
        ...(await t.sql<{ last_used_at: Date | null }>(
          'SELECT last_used_at FROM terminals WHERE id = $1',
          [id],
        )),
      );
    }
    expect(rows[0].last_used_at).not.toBeNull();
  });

  it('refuses malformed, unknown and tampered keys with 401', async () => {
    const f = await t.createFacility();
    const term = await t.createTerminal(f.id, 'payphone');
    const tampered = term.apiKey.slice(0, -2) + (term.apiKey.endsWith('AA') ? 'BB' : 'AA');
    for (const key of ['nope', tampered, 'pst_aaaaaaaaaaaa_' + 'A'.repeat(43), term.apiKey + 'x']) {
      const res = await t.http.get(`${API}/terminals/me`).set('x-api-key', key);
      expect({ key: key.slice(0, 20), status: res.status }).toEqual({
        key: key.slice(0, 20),
        status: 401,
      });
    }
    // a key and a bearer token at once is ambiguous
    await t.http
      .get(`${API}/terminals/me`)
      .set('x-api-key', term.apiKey)
      .auth(t.adminToken, { type: 'bearer' })
      .expect(401);
  });

  it('revokes a key at once; revoking again is harmless', async () => {
    const f = await t.createFacility();
    const term = await t.createTerminal(f.id, 'commissary');
    await t.http.get(`${API}/facilities/${f.id}`).set('x-api-key', term.apiKey).expect(200);
    await t.http
      .delete(`${API}/terminals/${term.id}`)
      .auth(t.adminToken, { type: 'bearer' })
      .expect(204);
    await t.http.get(`${API}/facilities/${f.id}`).set('x-api-key', term.apiKey).expect(401);
    await t.http
      .delete(`${API}/terminals/${term.id}`)
      .auth(t.adminToken, { type: 'bearer' })
      .expect(204);
    const events = await t.sql('SELECT 1 FROM audit_events WHERE target_id = $1 AND action = $2', [
      term.id,
      'terminal.revoke',
    ]);
    expect(events).toHaveLength(1);
  });

  it('keeps a key to its own facility (404 elsewhere) and off staff routes (403)', async () => {
    const a = await t.createFacility();
    const b = await t.createFacility();
    const term = await t.createTerminal(a.id, 'parcel-intake');
    await t.http.get(`${API}/facilities/${a.id}`).set('x-api-key', term.apiKey).expect(200);
    await t.http.get(`${API}/facilities/${b.id}`).set('x-api-key', term.apiKey).expect(404);
    await t.http.get(`${API}/facilities`).set('x-api-key', term.apiKey).expect(403);
    const p = await t.createPrisoner(a.id);
    await t.http.get(`${API}/prisoners/${p.id}`).set('x-api-key', term.apiKey).expect(403);
  });

  it('validates terminal creation and keeps scoped admins to their facilities', async () => {
    const a = await t.createFacility();
    const b = await t.createFacility();
    const bad = await t.http
      .post(`${API}/facilities/${a.id}/terminals`)
      .auth(t.adminToken, { type: 'bearer' })
      .send({ kind: 'vending', name: '' })
      .expect(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['kind', 'name']);
    const adminA = await t.createStaff(['admin'], [a.id]);
    await t.http
      .post(`${API}/facilities/${b.id}/terminals`)
      .auth(adminA.token, { type: 'bearer' })
      .send({ kind: 'payphone', name: 'x' })
      .expect(404);
    const termB = await t.createTerminal(b.id, 'payphone');
    await t.http
      .delete(`${API}/terminals/${termB.id}`)
      .auth(adminA.token, { type: 'bearer' })
      .expect(404);
    await t.http.get(`${API}/facilities/${b.id}`).set('x-api-key', termB.apiKey).expect(200);
  });

  it('revokes a key in every app instance at once, also one that cached it', async () => {
    const f = await t.createFacility();
    const term = await t.createTerminal(f.id, 'payphone');
    const twin = await t.startTwin();
    try {
      await twin.http.get(`${API}/terminals/me`).set('x-api-key', term.apiKey).expect(200); // cached there now
      await t.http
        .delete(`${API}/terminals/${term.id}`)
        .auth(t.adminToken, { type: 'bearer' })
        .expect(204);
      let status = 200;
      for (let i = 0; i < 250 && status === 200; i++) {
        status = (await twin.http.get(`${API}/terminals/me`).set('x-api-key', term.apiKey)).status;
        if (status === 200) await new Promise((r) => setTimeout(r, 20));
      }
      expect(status).toBe(401);
      // revoked by hand in SQL, behind the API: the instances hear of it too
      const other = await t.createTerminal(f.id, 'commissary');
      await twin.http.get(`${API}/terminals/me`).set('x-api-key', other.apiKey).expect(200);
      await t.sql('UPDATE terminals SET revoked_at = now() WHERE id = $1', [other.id]);
      status = 200;
      for (let i = 0; i < 250 && status === 200; i++) {
        status = (await twin.http.get(`${API}/terminals/me`).set('x-api-key', other.apiKey)).status;
        if (status === 200) await new Promise((r) => setTimeout(r, 20));
      }
      expect(status).toBe(401);
    } finally {
      await twin.close();
    }
  });
});
