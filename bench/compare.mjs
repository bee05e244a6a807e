// node bench/compare.mjs <checkout A> <checkout B> [rounds] [seconds] [facilities]
// Charges on two builds at once, interleaved: both servers start (each on its own embedded
// PostgreSQL, each checkout built beforehand), the same wallets are set up on each, then rounds of
// A then B, B then A, … (50 connections, `seconds` each). On a shared 2-core virtual machine the
// speed drifts by ±15 % within minutes and the second run of a pair is slower than the first (the
// other cluster's checkpoints), so one run of each side says little: the medians of alternating
// runs do. Prints every run and each side's median requests per second and CPU per charge.
import autocannon from 'autocannon';
import os from 'node:os';
import path from 'node:path';
import { chargeRequests, setupWallets } from './charges-setup.mjs';
import { current, serverCpu, withServer } from './server.mjs';

const [rootA, rootB] = process.argv.slice(2, 4).map((r) => r && path.resolve(r));
if (!rootA || !rootB) throw new Error('usage: node bench/compare.mjs <checkout A> <checkout B> [rounds] [seconds] [facilities]');
const rounds = Number(process.argv[4] ?? 6);
const seconds = Number(process.argv[5] ?? 10);
const facilities = Number(process.argv[6] ?? 1);

async function load(side, duration, connections = 50) {
  let i = 0;
  const { base, cards, pids } = side;
  Object.assign(current, pids);
  const c0 = serverCpu();
  const r = await autocannon({ ...chargeRequests(base, () => cards[i++ % cards.length]), connections, duration });
  const c1 = serverCpu();
  const n = r.requests.total;
  return {
    requestsPerSecond: Math.round(r.requests.average),
    cpuMsPerCharge: { server: +((c1.server - c0.server) / n).toFixed(2), postgres: +((c1.postgres - c0.postgres) / n).toFixed(2) },
    wrong: r.non2xx + r.errors + r.timeouts,
  };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

async function side(root, fn) {
  return withServer(
    async ({ base, auth, pids }) => {
      const { cards } = await setupWallets(base, auth, { facilities, wallets: 1000, tag: 'cmp', balanceMinor: 5_000_000 });
      await fn({ name: root === rootA ? 'A' : 'B', root, base, cards, pids, runs: [] });
    },
    { root },
  );
}

await side(rootA, (A) =>
  side(rootB, async (B) => {
    console.log(`A ${rootA}\nB ${rootB}\n${rounds} rounds of ${seconds} s, 1 000 wallets in ${facilities} facilities`);
    await load(A, 3, 10); // warm-up
    await load(B, 3, 10);
    for (let k = 0; k < rounds; k++) {
      for (const s of k % 2 ? [B, A] : [A, B]) {
        const r = await load(s, seconds);
        s.runs.push(r);
        console.log(JSON.stringify({ side: s.name, round: k + 1, load: +os.loadavg()[0].toFixed(1), ...r }));
      }
    }
    for (const s of [A, B]) {
      const m = (f) => +median(s.runs.map(f)).toFixed(2);
      console.log(
        `${s.name}: median ${m((r) => r.requestsPerSecond)} charges/s, CPU ms per charge server ${m((r) => r.cpuMsPerCharge.server)} / PostgreSQL ${m((r) => r.cpuMsPerCharge.postgres)}, wrong answers ${s.runs.reduce((n, r) => n + r.wrong, 0)}`,
      );
    }
  }),
);
