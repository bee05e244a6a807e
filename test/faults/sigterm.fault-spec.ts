import { FaultCluster } from './support/cluster';
import { call, must } from './support/http';
import { Op, send } from './support/load';
import { Rig, startRig } from './support/rig';
import { seededRng } from './support/seed';
import { ServerConfig, ServerProcess } from './support/server';
import { until } from './support/wait';
import { World } from './support/world';

/**
 * SIGTERM drains: requests in flight finish, new ones get 503 (problem+json), the process exits by
 * itself before its deadline; past the deadline it exits anyway, and what it cut off is retried.
 * Requests are held "in flight" by a row lock the test takes on the prisoner's wallet.
 */
describe('SIGTERM drains the server', () => {
  let rig: Rig;
  let cluster: FaultCluster;
  let cfg: ServerConfig;
  let server: ServerProcess;
  let world: World;
  const FUND = 1_000_000;

  beforeAll(async () => {
    rig = await startRig({
      env: { SHUTDOWN_TIMEOUT_SECONDS: '60' },
      world: { prisoners: 2, fundMinor: FUND, relatives: false },
    });
    ({ cluster, cfg, server, world } = rig);
  });

  afterAll(async () => {
    await rig?.stop();
  });

  const chargesOn = (prisonerIdx: number, amounts: number[], rngKey: () => string): Op[] =>
    amounts.map((amountMinor, n) => ({
      n,
      kind: 'charge',
      prisoner: world.prisoners[prisonerIdx],
      key: rngKey(),
      path: '/charges',
      apiKey: world.shopKey,
      amountMinor,
      body: {
        cardNumber: world.prisoners[prisonerIdx].cardNumber,
        amountMinor,
        currency: 'KZT',
        items: [{ description: 'tea', quantity: 1, unitPriceMinor: amountMinor }],
      },
      tries: [],
      differing: [],
    }));

  /** Holds the wallet's row lock in a transaction of the test's own, so charges on it wait. */
  const lockWallet = async (prisonerId: string) => {
    const c = await cluster.connect();
    await c.query('BEGIN');
    await c.query(
      `SELECT 1 FROM ledger_accounts WHERE prisoner_id = $1 AND kind = 'prisoner-wallet' FOR UPDATE`,
      [prisonerId],
    );
    return {
      release: async () => {
        await c.query('COMMIT');
        await c.end();
      },
    };
  };
  const waitingOnLocks = async (): Promise<number> =>
    Number(
      (
        await cluster.sql<{ n: string }>(
          `SELECT count(*) AS n FROM pg_stat_activity
            WHERE application_name = 'prisoner-services' AND wait_event_type = 'Lock'`,
        )
      )[0].n,
    );
  const balance = async (base: string, prisonerId: string): Promise<number> =>
    (await must(200, base, 'GET', `/prisoners/${prisonerId}/account`, { token: world.adminToken }))
      .body.balanceMinor as number;
  const chargesStored = async (prisonerId: string): Promise<number> =>
    Number(
      (
        await cluster.sql<{ n: string }>(
          `SELECT count(*) AS n FROM charges WHERE prisoner_id = $1`,
          [prisonerId],
        )
      )[0].n,
    );

  it('lets requests in flight finish, answers new ones 503 problem+json, and exits 0 by itself', async () => {
    const rng = seededRng('SIGTERM drain');
    const p = world.prisoners[0];
    const ops = chargesOn(
      0,
      Array.from({ length: rng.int(3, 8) }, () => rng.int(1, 50) * 100),
      rng.uuid,
    );
    const lock = await lockWallet(p.id);
    const inFlight = ops.map((o) => send(server.url, o, 120_000));
    await until(
      `${ops.length} charges waiting on the wallet`,
      async () => (await waitingOnLocks()) >= ops.length,
    );

    server.signal('SIGTERM');
    await until(
      'readiness answers 503',
      async () => (await call(server.url, 'GET', '/health/ready')).status === 503,
    );
    const late = await call(server.url, 'POST', '/charges', {
      apiKey: world.shopKey,
      key: rng.uuid(),
      body: ops[0].body,
    });
    const lateRead = await call(server.url, 'GET', `/prisoners/${p.id}/account`, {
      token: world.adminToken,
    });
    for (const a of [late, lateRead]) {
      expect(a.status).toBe(503);
      if (a.status !== 503) continue;
      expect(a.contentType).toContain('application/problem+json');
      expect(a.body).toMatchObject({ status: 503, code: 'SERVICE_UNAVAILABLE' });
    }
    expect(server.alive).toBe(true);

    await lock.release();
    const answers = await Promise.all(inFlight);
    expect(answers.map((a) => a.status)).toEqual(ops.map(() => 201));
    expect(ops.map((o) => o.answer?.body.outcome)).toEqual(ops.map(() => 'approved'));
    // exit code 0: it stopped by itself, not at its deadline (which exits 1)
    expect(await server.exited).toEqual({ code: 0, signal: null });

    server = await rig.restart('A again');
    const spent = ops.reduce((s, o) => s + o.amountMinor, 0);
    expect(await balance(server.url, p.id)).toBe(FUND - spent);
    expect(await chargesStored(p.id)).toBe(ops.length);
    console.log(
      JSON.stringify({
        fault: 'SIGTERM drain',
        seed: rng.seed,
        inFlight: ops.length,
        finished: ops.length,
        refusedWith503: 2,
        exit: 0,
      }),
    );
  });

  it('past its deadline exits anyway; the requests it cut off, retried with their keys, count once', async () => {
    const rng = seededRng('SIGTERM deadline');
    await server.kill();
    server = await rig.restart('B (3 s deadline)', {
      ...cfg,
      env: { SHUTDOWN_TIMEOUT_SECONDS: '3' },
    });
    const p = world.prisoners[1];
    const before = await balance(server.url, p.id);
    const storedBefore = await chargesStored(p.id);
    const ops = chargesOn(
      1,
      Array.from({ length: rng.int(2, 6) }, () => rng.int(1, 50) * 100),
      rng.uuid,
    );
    const lock = await lockWallet(p.id);
    const inFlight = ops.map((o) => send(server.url, o, 120_000));
    await until(
      `${ops.length} charges waiting on the wallet`,
      async () => (await waitingOnLocks()) >= ops.length,
    );
    server.signal('SIGTERM');
    const exit = await server.exited;
    const cut = await Promise.all(inFlight);
    await lock.release();
    // it gave up at its deadline (exit 1), and none of the requests held on the lock was answered
    expect(exit).toEqual({ code: 1, signal: null });
    expect(cut.map((a) => a.status)).toEqual(ops.map(() => 0));

    server = await rig.restart('B again');
    await until('the cut-off transactions are gone', async () => (await waitingOnLocks()) === 0);
    for (const o of ops) await send(server.url, o);
    expect(ops.map((o) => o.answer?.body.outcome)).toEqual(ops.map(() => 'approved'));
    const spent = ops.reduce((s, o) => s + o.amountMinor, 0);
    expect(await balance(server.url, p.id)).toBe(before - spent);
    expect(await chargesStored(p.id)).toBe(storedBefore + ops.length);
    const rec = await must(200, server.url, 'GET', '/ledger/reconciliation', {
      token: world.adminToken,
    });
    expect(rec.body).toMatchObject({ ok: true, mismatches: [] });
    const audit = await must(200, server.url, 'GET', '/audit/verify', { token: world.adminToken });
    expect(audit.body).toMatchObject({ ok: true });
    console.log(
      JSON.stringify({
        fault: 'SIGTERM past deadline',
        seed: rng.seed,
        inFlight: ops.length,
        cutOff: ops.length,
        retried: ops.length,
        exit: 1,
      }),
    );
  });
});
