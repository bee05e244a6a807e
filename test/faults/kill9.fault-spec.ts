import { verifyWorld } from './support/checks';
import {
  endsDue,
  Op,
  payDeposits,
  redeliver,
  reportEnds,
  retryUnanswered,
  send,
  workload,
} from './support/load';
import { Rig, startRig } from './support/rig';
import { seededRng } from './support/seed';
import { ServerProcess } from './support/server';
import { daytimeZone } from './support/world';

/**
 * kill -9 in the middle of 240 concurrent charges, deposits (paid at Stripe, credited by signed
 * webhooks), parcel intakes, payphone calls (authorised, then their end reported: a hold on the
 * card, then its capture) and long-visit bookings; the server is started again; every request
 * that got no answer is sent again with its Idempotency-Key, every call's end reported, every
 * webhook not acknowledged delivered again (then all of them once more). Nothing acknowledged is
 * lost, nothing happens twice, no room is overbooked.
 */
describe('kill -9 mid-load', () => {
  let rig: Rig;

  beforeAll(async () => {
    rig = await startRig({
      world: {
        prisoners: 12,
        fundMinor: 40_000,
        relatives: true,
        // the payphones are open now there (and stay open through the test)
        timeZone: daytimeZone(),
        payphone: true,
        visitRooms: 2,
      },
    });
  });

  afterAll(async () => {
    await rig?.stop();
  });

  it('240 concurrent requests, SIGKILL after a seeded number of answers: each effect once', async () => {
    const { stripe, cluster, world } = rig;
    const rng = seededRng('kill -9 mid-load');
    const ops = workload(rng, world, 240, {
      charge: 35,
      deposit: 20,
      parcel: 20,
      call: 20,
      visit: 20,
    });
    const killAfter = rng.int(40, 140);
    let answered = 0;
    let answeredAtKill = -1;
    const server = rig.server;
    const first = async (o: Op): Promise<void> => {
      const out = await send(server.url, o, 60_000);
      if (out.status === 0) return;
      answered++;
      if (answered === killAfter) {
        answeredAtKill = answered;
        server.signal('SIGKILL');
      }
      if (o.kind === 'deposit' && o.answer) await payDeposits(stripe, [o]);
      // the call is over: its terminal reports the end (the server may be gone by now)
      const [end] = endsDue([o]);
      if (end) await send(server.url, end, 60_000);
    };
    await Promise.all(ops.map(first));
    if (server.alive) server.signal('SIGKILL');
    const exit = await server.exited;
    expect(exit.signal).toBe('SIGKILL');
    const unanswered = ops.filter((o) => o.tries[0].status === 0).length;
    const endsUnanswered = endsDue(ops).filter((e) => e.tries[0]?.status === 0).length;
    const answeredFirst = ops.length - unanswered;

    const again: ServerProcess = await rig.restart('A after kill -9');
    const retry = await retryUnanswered(() => again.url, ops);
    const endRetry = await reportEnds(() => again.url, ops);
    await payDeposits(stripe, ops);
    const webhooks = await redeliver(stripe);
    const found = await verifyWorld(again.url, cluster, world, ops);
    const report = {
      fault: 'kill -9',
      seed: rng.seed,
      killAfterAnswers: killAfter,
      answeredAtKill,
      answeredBeforeRestart: answeredFirst,
      unanswered,
      ...retry,
      callEnds: { unansweredAtKill: endsUnanswered, ...endRetry },
      webhooks,
      ...found,
      problems: found.problems.slice(0, 20),
      serverErrors: again.errors().length,
      serverLog: again.saveLog(`kill9-${rng.seed}`),
    };
    console.log(JSON.stringify(report));
    expect(found.problems).toEqual([]);
    expect(unanswered).toBeGreaterThan(0);
  });
});
