import { randomUUID } from 'node:crypto';
import { QueryFailedError } from 'typeorm';
import { UnitOfWork } from '../../src/common/database/unit-of-work';
import { scratchRowInsert } from '../support/database';
import { TestApp } from '../support/test-app';

// The unit of work's two tools for hot paths, on real PostgreSQL: prepared statements and writes
// deferred to one statement before COMMIT.
describe('the unit of work: prepared statements and deferred writes', () => {
  let t: TestApp;
  let uow: UnitOfWork;
  beforeAll(async () => {
    t = await TestApp.start();
    uow = t.app.get(UnitOfWork);
  });
  afterAll(() => t.close());

  const key = () => `uow-test-${randomUUID()}`;
  const insertKey = (k: string) => `${scratchRowInsert('uow-test', k)} RETURNING key`;

  it('runs a prepared statement in the transaction, again and again, and outside one as usual', async () => {
    const sql = 'SELECT $1::int + 1 AS n';
    const inTx = await uow.run(async () => [
      await uow.query<{ n: number }>(sql, [1], { prepare: true }),
      await uow.query<{ n: number }>(sql, [2], { prepare: true }),
    ]);
    expect(inTx.map((rows) => rows[0].n)).toEqual([2, 3]);
    // the same text on other connections, and outside any transaction (an ordinary query then)
    const many = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        uow.run(() => uow.query<{ n: number }>(sql, [i], { prepare: true })),
      ),
    );
    expect(many.map((rows) => rows[0].n)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    expect((await uow.query<{ n: number }>(sql, [9], { prepare: true }))[0].n).toBe(10);
  });

  it('raises what TypeORM raises from a prepared statement, so constraint checks still work', async () => {
    const k = key();
    await uow.run(() => uow.query(insertKey(k), [], { prepare: true }));
    const err = await uow
      .run(() => uow.query(insertKey(k), [], { prepare: true }))
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(QueryFailedError);
    expect((err as QueryFailedError & { driverError: { code: string } }).driverError.code).toBe(
      '23505',
    );
  });

  it('sends the deferred writes as one statement after the work, each with its own parameters', async () => {
    const [a, b] = [key(), key()];
    const seen: unknown[] = [];
    const defer = (k: string) =>
      uow.defer({
        build: ({ param, name }) => ({
          ctes: [
            `${name('k')} AS (INSERT INTO idempotency_keys (scope, key, request_hash, response_status, response_body, expires_at)
               VALUES ('uow-test', ${param(k)}, 'h', ${param(201)}::int, '{}', now() + interval '1 hour') RETURNING key)`,
          ],
          result: `SELECT key FROM ${name('k')}`,
        }),
        check: (v) => seen.push(v),
        prepare: true,
      });
    await uow.run(async () => {
      defer(a);
      defer(b);
      // deferred: not written yet while the work runs
      expect(
        await uow.query(`SELECT 1 FROM idempotency_keys WHERE key = ANY($1)`, [[a, b]]),
      ).toEqual([]);
    });
    expect(seen).toEqual([a, b]);
    const stored = await t.sql<{ key: string; response_status: number }>(
      `SELECT key, response_status FROM idempotency_keys WHERE key = ANY($1) ORDER BY key`,
      [[a, b]],
    );
    expect(stored).toHaveLength(2);
    expect(stored.every((r) => r.response_status === 201)).toBe(true);
  });

  it('rolls everything back when the deferred statement fails, or when the work throws first', async () => {
    const [a, b] = [key(), key()];
    await expect(
      uow.run(async () => {
        await uow.query(insertKey(a), []);
        uow.defer({
          build: ({ name }) => ({
            ctes: [`${name('x')} AS (${insertKey(a)})`], // the same key again: a unique violation
            result: `SELECT count(*) FROM ${name('x')}`,
          }),
        });
      }),
    ).rejects.toBeInstanceOf(QueryFailedError);
    let built = false;
    await expect(
      uow.run(async () => {
        uow.defer({
          build: ({ name }) => {
            built = true;
            return { ctes: [`${name('x')} AS (${insertKey(b)})`], result: 'SELECT 1' };
          },
        });
        throw new Error('the work failed');
      }),
    ).rejects.toThrow('the work failed');
    expect(built).toBe(false);
    expect(await t.sql(`SELECT 1 FROM idempotency_keys WHERE key = ANY($1)`, [[a, b]])).toEqual([]);
  });

  it('reads in one snapshot that writes nothing, and only in a transaction of its own', async () => {
    const k = key();
    const count = async () =>
      (
        await uow.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM idempotency_keys WHERE key = $1`,
          [k],
        )
      )[0].n;
    const seen = await uow.snapshot(async () => {
      const before = await count();
      await t.sql(insertKey(k)); // committed meanwhile, by another connection
      return [before, await count()];
    });
    expect(seen).toEqual([0, 0]);
    expect(await count()).toBe(1);
    const write = await uow.snapshot(() => uow.query(insertKey(key()))).catch((e: unknown) => e);
    expect((write as { driverError?: { code: string } }).driverError?.code).toBe('25006');
    await expect(uow.run(() => uow.snapshot(count))).rejects.toThrow(/inside a transaction/);
  });
});
