import { verifyWorld } from './support/checks';
import { Op, payDeposits, redeliver, retryUnanswered, send, workload } from './support/load';
import { Rig, startRig } from './support/rig';
import { seededRng } from './support/seed';

/**
 * kill -9 in the middle of 200 concurrent charges, deposits (paid at Stripe, credited by signed
 * webhooks) and parcel intakes; the server is started again; every request that got no answer is
 * sent again with its Idempotency-Key and every webhook not acknowledged delivered again (then all
 * of them once more). Nothing acknowledged is lost, nothing happens twice.
 */
describe('kill -9 mid-load', () => {
  let rig: Rig;

  beforeAll(async () => {
    rig = await startRig({ world: { prisoners: 12, fundMinor: 20_000, relatives: true } });
  });

  afterAll(async () => {
    await rig?.stop();
  });

  it('200 concurrent requests, SIGKILL after a seeded number of answers: each effect once', async () => {
    const { stripe, cluster, world } = rig;
    let server = rig.server;
    const rng = seededRng('kill -9 mid-load');
    const ops = workload(rng, world, 200, { charge: 45, deposit: 25, parcel: 30 });
    const killAfter = rng.int(30, 120);
    let answered = 0;
    let answeredAtKill = -1;
    const first = async (o: Op): Promise<void> => {
      const out = await send(server.url, o, 60_000);
      if (out.status === 0) return;
      answered++;
      if (answered === killAfter) {
        answeredAtKill = answered;
        server.signal('SIGKILL');
      }
      if (o.kind === 'deposit' && o.answer) await payDeposits(stripe, [o]);
    };
    await Promise.all(ops.map(first));
    if (server.alive) server.signal('SIGKILL');
    const exit = await server.exited;
    expect(exit.signal).toBe('SIGKILL');
    const unanswered = ops.filter((o) => o.tries[0].status === 0).length;
    const answeredFirst = ops.length - unanswered;

    server = await rig.restart('A after kill -9');
    const retry = await retryUnanswered(() => server.url, ops);
    await payDeposits(stripe, ops);
    const webhooks = await redeliver(stripe);
    const found = await verifyWorld(server.url, cluster, world, ops);
    const report = {
      fault: 'kill -9',
      seed: rng.seed,
      killAfterAnswers: killAfter,
      answeredAtKill,
      answeredBeforeRestart: answeredFirst,
      unanswered,
      ...retry,
      webhooks,
      ...found,
      problems: found.problems.slice(0, 20),
      serverErrors: server.errors().length,
      serverLog: server.saveLog(`kill9-${rng.seed}`),
    };
    console.log(JSON.stringify(report));
    expect(found.problems).toEqual([]);
    expect(unanswered).toBeGreaterThan(0);
  });
});
