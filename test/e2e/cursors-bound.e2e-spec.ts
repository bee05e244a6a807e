import { API, TestApp } from '../support/test-app';

/**
 * A cursor is bound to the list and filter it came from (signed over them): used on another list,
 * or on the same list under another filter, it is refused with 400 INVALID_CURSOR instead of
 * giving a wrong page; on its own list it pages as before.
 */
describe('cursors are bound to their list', () => {
  let t: TestApp;
  let A: string;
  let B: string;
  const admin = () => ({ authorization: `Bearer ${t.adminToken}` });
  const get = (path: string, query: Record<string, string | number>) =>
    t.http.get(`${API}${path}`).query(query).set(admin());
  const refused = async (path: string, query: Record<string, string | number>) => {
    const res = await get(path, query).expect(400);
    expect(res.body).toMatchObject({ code: 'INVALID_CURSOR', errors: [{ field: 'cursor' }] });
  };

  beforeAll(async () => {
    t = await TestApp.start();
    A = (await t.createFacility()).id;
    B = (await t.createFacility()).id;
    for (let i = 0; i < 3; i++) {
      await t.createPrisoner(A);
      await t.createPrisoner(B);
    }
  });
  afterAll(() => t.close());

  it('pages its own list, and is refused on another facility’s list or another list', async () => {
    const first = await get(`/facilities/${A}/prisoners`, { limit: 2 }).expect(200);
    const cursor = first.body.nextCursor as string;
    expect(cursor).toEqual(expect.any(String));
    const next = await get(`/facilities/${A}/prisoners`, { limit: 2, cursor }).expect(200);
    expect(next.body.items).toHaveLength(1);
    // B's prisoners from A's position: a wrong page before, refused now
    await refused(`/facilities/${B}/prisoners`, { limit: 2, cursor });
    // the facilities' directory is another list
    await refused('/facilities', { limit: 2, cursor });
  });

  it('is refused under another filter of the same list', async () => {
    const first = await get('/policy-versions', { limit: 1, status: 'published' }).expect(200);
    const cursor = first.body.nextCursor as string;
    await get('/policy-versions', { limit: 1, status: 'published', cursor }).expect(200);
    await refused('/policy-versions', { limit: 1, status: 'draft', cursor });
    await refused('/policy-versions', { limit: 1, cursor });
  });

  it('refuses a cursor whose position was edited', async () => {
    const first = await get('/facilities', { limit: 1 }).expect(200);
    const c = JSON.parse(Buffer.from(first.body.nextCursor, 'base64url').toString('utf8'));
    const edited = Buffer.from(JSON.stringify({ ...c, k: `${c.k}~` })).toString('base64url');
    await refused('/facilities', { limit: 1, cursor: edited });
  });

  it('takes a limit written in decimal digits only, and refuses an empty filter', async () => {
    for (const limit of ['0x10', '1e2', ' 5', '5 ', '+5', '', '5.0']) {
      const res = await get('/facilities', { limit }).expect(400);
      expect(res.body.errors).toEqual(
        expect.arrayContaining([expect.objectContaining({ field: 'limit' })]),
      );
    }
    await get('/facilities', { limit: '007' }).expect(200);
    await get('/audit/export', { fromSeq: '1e2' }).expect(400);
    await get(`/facilities/${A}/long-visits/availability`, {
      from: '2030-01-01',
      to: '2030-01-02',
      visitors: '0x2',
    }).expect(400);
    for (const filter of ['targetId', 'action']) {
      const res = await get('/audit-events', { [filter]: '' }).expect(400);
      expect(res.body.errors).toEqual([expect.objectContaining({ field: filter })]);
    }
  });
});
