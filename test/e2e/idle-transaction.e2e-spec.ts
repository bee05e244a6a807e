import { DataSource } from 'typeorm';
import { UnitOfWork } from '../../src/common/database/unit-of-work';
import { AuditService } from '../../src/modules/audit/audit.service';
import { API, TestApp } from '../support/test-app';

describe('a transaction of the app left idle', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await TestApp.start();
  });
  afterAll(() => t.close());

  const listed = async (targetId: string): Promise<boolean> => {
    const res = await t.http
      .get(`${API}/audit-events`)
      .query({ targetId, limit: '10' })
      .auth(t.adminToken, { type: 'bearer' })
      .expect(200);
    return (res.body.items as unknown[]).length > 0;
  };

  it('is bounded on every connection of the pool by DB_IDLE_IN_TRANSACTION_SECONDS (60 s)', async () => {
    const ds = t.app.get(DataSource);
    const shown = await Promise.all(
      Array.from({ length: 4 }, () =>
        ds.query(`SELECT current_setting('idle_in_transaction_session_timeout') AS v`),
      ),
    );
    expect(shown.map((r: Array<{ v: string }>) => r[0].v)).toEqual([
      '1min',
      '1min',
      '1min',
      '1min',
    ]);
  });

  it('is ended by PostgreSQL, rolled back, and no longer holds the audit list', async () => {
    const f = await t.createFacility();
    // a request stuck half-way: its transaction has written (it holds an id) and waits on nothing
    const runner = t.app.get(DataSource).createQueryRunner();
    await runner.connect();
    // (the pool's own bound is a minute; this session's is a second, for the test's sake)
    await runner.query(`SET idle_in_transaction_session_timeout = '1s'`);
    await runner.startTransaction();
    await runner.query(
      `INSERT INTO idempotency_keys (scope, key, request_hash, response_status, response_body, expires_at)
       VALUES ('test-idle', 'k', 'h', 200, '{}', now() + interval '1 hour')`,
    );
    // an event committed after it is held back while it stays open: the list waits for it
    await t.app.get(UnitOfWork).run(async () => {
      t.app.get(AuditService).record({
        action: 'test.after-idle',
        targetType: 'test',
        targetId: 'after-idle',
        facilityId: f.id,
      });
    });
    expect(await listed('after-idle')).toBe(false);

    let shown = false;
    for (let i = 0; i < 100 && !shown; i++) {
      await new Promise((r) => setTimeout(r, 100));
      shown = await listed('after-idle');
    }
    expect(shown).toBe(true);
    await expect(runner.query('SELECT 1')).rejects.toThrow();
    await runner.release().catch(() => undefined);
    expect(await t.sql(`SELECT 1 FROM idempotency_keys WHERE scope = 'test-idle'`)).toEqual([]);
    // the pool goes on with healthy connections
    await t.http
      .get(`${API}/facilities/${f.id}`)
      .auth(t.adminToken, { type: 'bearer' })
      .expect(200);
  });
});
