import { API, TestApp } from '../support/test-app';

describe('a facility’s time: its zone never changes, its history takes the use case’s clock', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await TestApp.start();
  });
  afterAll(() => t.close());

  it('refuses to change a facility’s time zone, in the database and through the API', async () => {
    const f = await t.createFacility({ timeZone: 'Asia/Almaty' });
    await expect(
      t.sql(`UPDATE facilities SET time_zone = 'Asia/Aqtobe' WHERE id = $1`, [f.id]),
    ).rejects.toThrow(/time zone of facility .* cannot change/);
    // other columns may still be written, and writing the same zone again is no change
    await t.sql(`UPDATE facilities SET time_zone = 'Asia/Almaty', name = 'Renamed' WHERE id = $1`, [
      f.id,
    ]);
    // no route changes a facility
    for (const method of ['patch', 'put'] as const) {
      const res = await t.http[method](`${API}/facilities/${f.id}`)
        .auth(t.adminToken, { type: 'bearer' })
        .send({ timeZone: 'Asia/Aqtobe' });
      expect({ method, status: res.status, code: res.body.code }).toEqual({
        method,
        status: 404,
        code: 'ROUTE_NOT_FOUND',
      });
    }
    const [row] = await t.sql<{ time_zone: string }>(
      `SELECT time_zone FROM facilities WHERE id = $1`,
      [f.id],
    );
    expect(row.time_zone).toBe('Asia/Almaty');
  });
});
