// Sends the day's events in their order over `connections` keep-alive connections, as fast as the
// server answers: an event goes as soon as a connection is free, and one that follows another
// (a refund, a call's end, a webhook) waits for that one's answer first.
import { performance } from 'node:perf_hooks';
import { Pool } from 'undici';

const KEEP = new Set(['charge', 'call', 'deposit']);
// kinds whose answer says what was decided: counted by outcome (approved, declined, …)
const DECIDED = new Set(['charge', 'call', 'parcel', 'webhook', 'visit']);

/** Per label: latencies (ms), answers by status, unexpected answers, transport errors. */
export class Stats {
  constructor() {
    this.byLabel = new Map();
  }

  of(label) {
    let s = this.byLabel.get(label);
    if (!s) this.byLabel.set(label, (s = { label, latencies: [], statuses: {}, outcomes: {}, unexpected: 0, errors: 0, samples: [] }));
    return s;
  }

  record(label, ms, status, expected, body, outcome) {
    const s = this.of(label);
    if (outcome) s.outcomes[outcome] = (s.outcomes[outcome] ?? 0) + 1;
    s.latencies.push(ms);
    s.statuses[status] = (s.statuses[status] ?? 0) + 1;
    if (!expected) {
      s.unexpected++;
      if (s.samples.length < 3) s.samples.push(`${status} ${String(body).slice(0, 300)}`);
    }
  }
}

export async function replay(base, events, build, { connections, onProgress }) {
  const pool = new Pool(base, { connections, pipelining: 1, keepAliveTimeout: 60_000 });
  const stats = new Stats();
  let inFlight = 0;
  let freed;
  let skipped = 0;

  async function send(e) {
    if (e.after) await e.after.done;
    const req = await build(e);
    if (!req) {
      skipped++;
      return;
    }
    const t0 = performance.now();
    try {
      const res = await pool.request({ method: req.method, path: req.path, headers: req.headers, body: req.body });
      const text = await res.body.text();
      const ms = performance.now() - t0;
      const expected = req.expect.includes(res.statusCode);
      let body = null;
      try {
        if (KEEP.has(e.kind) || DECIDED.has(e.kind)) body = text ? JSON.parse(text) : null;
      } catch {
        body = null;
      }
      stats.record(req.label, ms, res.statusCode, expected, text, body?.outcome ?? body?.result ?? body?.code);
      req.onHeaders?.(res.headers);
      // only what a later event needs is kept (a charge's, a call's, a deposit's answer)
      e.result = { status: res.statusCode, body: KEEP.has(e.kind) ? body : null };
    } catch (err) {
      stats.of(req.label).errors++;
      stats.of(req.label).samples.push(String(err));
      e.result = { status: 0, body: null };
    }
  }

  const t0 = performance.now();
  for (let i = 0; i < events.length; i++) {
    const e = events[i];
    while (inFlight >= connections) await new Promise((r) => (freed = r));
    inFlight++;
    e.done = send(e).finally(() => {
      inFlight--;
      freed?.();
    });
    if (onProgress && i % 20_000 === 0) onProgress(i, performance.now() - t0);
  }
  await Promise.all(events.map((e) => e.done));
  const wallMs = performance.now() - t0;
  await pool.close();
  return { stats, wallMs, skipped };
}
