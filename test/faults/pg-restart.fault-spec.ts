import { verifyWorld } from './support/checks';
import { Answer, call, Outcome } from './support/http';
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
import { until } from './support/wait';
import { daytimeZone } from './support/world';

/**
 * PostgreSQL restarted (a fast shutdown, then started again on the same port) under a steady load
 * of charges, deposits, parcel intakes, payphone calls (authorised, then their end reported) and
 * long-visit bookings from 16 clients: while it is down, readiness answers 503
 * and every request a clear 503 problem (no hang, no 500); the server's pool recovers by itself (the
 * server is not restarted); every request refused or unanswered is sent again with its key.
 */
describe('PostgreSQL restart under load', () => {
  let rig: Rig;

  beforeAll(async () => {
    rig = await startRig({
      world: {
        prisoners: 10,
        fundMinor: 20_000,
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

  it('answers 503 while it is down, recovers by itself, loses nothing acknowledged', async () => {
    const { cluster, stripe, server, world } = rig;
    const rng = seededRng('PostgreSQL restart');
    const ops = workload(rng, world, 200, {
      charge: 35,
      deposit: 20,
      parcel: 20,
      call: 15,
      visit: 10,
    });
    const stopAfter = rng.int(20, 80);
    /** Requests answered 503 while the database is down before it is started again. */
    const downFor = rng.int(10, 40);
    const CLIENTS = 16;

    let answered = 0;
    const at: { phase: 'up' | 'stopping' | 'down' | 'starting' | 'back' } = { phase: 'up' };
    const duringOutage: Outcome[] = [];
    const readiness: number[] = [];
    let restarted: Promise<void> | undefined;
    let stopped: Promise<void> | undefined;
    let refusedWhileDown = 0;

    const onAnswer = (o: Op, out: Outcome): void => {
      if (at.phase !== 'up' && at.phase !== 'back') duringOutage.push(out);
      if (out.status !== 0) answered++;
      if (at.phase === 'up' && answered >= stopAfter) {
        at.phase = 'stopping';
        stopped = cluster.stop().then(() => {
          if (at.phase === 'stopping') at.phase = 'down';
        });
      }
      // a 503 once the stop is under way counts: PostgreSQL refuses new connections from the moment a
      // fast shutdown begins, and on a quiet machine the whole outage can fall inside cluster.stop()
      const refusing = at.phase === 'stopping' || at.phase === 'down';
      if (refusing && out.status === 503 && ++refusedWhileDown >= downFor) {
        at.phase = 'starting';
        restarted = (async () => {
          await stopped;
          readiness.push((await call(server.url, 'GET', '/health/ready')).status);
          await cluster.restart();
          at.phase = 'back';
        })();
      }
      void o;
    };

    // 16 clients, each sending the next request when it has its answer (or gave up on it)
    let next = 0;
    const client = async (): Promise<void> => {
      while (next < ops.length) {
        const o = ops[next++];
        const out = await send(server.url, o, 60_000);
        onAnswer(o, out);
        if (o.kind === 'deposit' && o.answer) await payDeposits(stripe, [o]);
        // the call is over: its terminal reports the end (the database may be away by now)
        const [end] = endsDue([o]);
        if (end) onAnswer(end, await send(server.url, end, 60_000));
      }
    };
    await Promise.all(Array.from({ length: CLIENTS }, client));
    await stopped;
    if (at.phase === 'down') {
      // the load ran out before enough 503s: start it again now
      readiness.push((await call(server.url, 'GET', '/health/ready')).status);
      await cluster.restart();
      at.phase = 'back';
    }
    await restarted;
    const recoveredFrom = Date.now();
    await until(
      'readiness answers 200 again',
      async () => (await call(server.url, 'GET', '/health/ready')).status === 200,
    );
    const recoveryMs = Date.now() - recoveredFrom;

    const firstTries = ops.map((o) => o.tries[0]);
    const retry = await retryUnanswered(() => server.url, ops);
    const endRetry = await reportEnds(() => server.url, ops);
    await payDeposits(stripe, ops);
    const webhooks = await redeliver(stripe);
    const found = await verifyWorld(server.url, cluster, world, ops);

    const byStatus: Record<string, number> = {};
    for (const t of ops.flatMap((o) => o.tries)) {
      const k =
        t.status === 0
          ? `0 ${'error' in t ? t.error : ''}`
          : t.status >= 400
            ? `${t.status} ${(t as Answer).body?.code}`
            : String(t.status);
      byStatus[k] = (byStatus[k] ?? 0) + 1;
    }
    const report = {
      fault: 'PostgreSQL restart',
      seed: rng.seed,
      stopAfterAnswers: stopAfter,
      answersDuringOutage: duringOutage.length,
      refused503WhileDown: refusedWhileDown,
      readinessWhileDown: readiness,
      recoveryMsAfterStart: recoveryMs,
      firstTryUnanswered: firstTries.filter((t) => t.status !== 201).length,
      ...retry,
      callEnds: endRetry,
      everyTry: byStatus,
      webhooks,
      ...found,
      problems: found.problems.slice(0, 20),
      serverStillUp: server.alive,
      serverErrorLines: server.errors().length,
      serverLog: server.saveLog(`pg-restart-${rng.seed}`),
    };
    console.log(JSON.stringify(report));

    expect(server.alive).toBe(true);
    // an outage answered as designed is warnings, not errors for on-call
    expect(server.errors()).toEqual([]);
    expect(readiness.every((s) => s === 503)).toBe(true);
    // no hang, no 500: every try was answered, and every 5xx is a 503 problem document
    const all = ops.flatMap((o) => [...o.tries, ...(o.end?.tries ?? [])]);
    expect(all.filter((t) => t.status === 0 && 'error' in t && t.error === 'timeout')).toEqual([]);
    const bad = all.filter(
      (t) =>
        t.status >= 500 &&
        (t.status !== 503 || !(t as Answer).contentType.includes('problem+json')),
    );
    expect(bad).toEqual([]);
    const outage = duringOutage.filter((t) => t.status === 503).map((t) => (t as Answer).body.code);
    expect(new Set(outage)).toEqual(new Set(['DATABASE_UNAVAILABLE']));
    expect(refusedWhileDown).toBeGreaterThan(0);
    expect(found.problems).toEqual([]);
    // the load had calls and visits in it, not only their weights
    expect(ops.filter((o) => o.kind === 'call').length).toBeGreaterThan(0);
    expect(ops.filter((o) => o.kind === 'visit').length).toBeGreaterThan(0);
  });
});
