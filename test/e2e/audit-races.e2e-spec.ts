import { Client } from 'pg';
import { UnitOfWork } from '../../src/common/database/unit-of-work';
import { AuditService } from '../../src/modules/audit/audit.service';
import { API, TestApp } from '../support/test-app';

interface Page {
  items: Array<{ id: string; seq: number }>;
  nextCursor: string | null;
}

/**
 * Runs `n` writers side by side, each writing one audited transaction after another (in the
 * app's process, through its unit of work and audit writer: the HTTP layer adds nothing to the
 * race, only time) until `stop()` says so or `total` transactions were written.
 */
function writers(
  t: TestApp,
  facilityIds: string[],
  n: number,
  until: { total?: number; stop?: () => boolean },
): Promise<number> {
  const uow = t.app.get(UnitOfWork);
  const audit = t.app.get(AuditService);
  let started = 0;
  const one = async (): Promise<void> => {
    for (;;) {
      if (until.stop?.()) return;
      if (until.total !== undefined && started >= until.total) return;
      const k = ++started;
      await uow.run(async () => {
        audit.record({
          action: 'test.race',
          targetType: 'test',
          targetId: `race-${k}`,
          facilityId: facilityIds[k % facilityIds.length],
        });
      });
    }
  };
  return Promise.all(Array.from({ length: n }, one)).then(() => started);
}

/** A reader of the whole trail that pages on from where it stopped, as an archiver would. */
class Follower {
  private cursor: string | null = null;
  readonly seen: string[] = [];

  constructor(
    private readonly t: TestApp,
    private readonly limit = 7,
  ) {}

  /** One page; the number of events it brought. */
  async page(): Promise<number> {
    const res = await this.t.http
      .get(`${API}/audit-events`)
      .query({ limit: String(this.limit), ...(this.cursor ? { cursor: this.cursor } : {}) })
      .auth(this.t.adminToken, { type: 'bearer' })
      .expect(200);
    const page = res.body as Page;
    this.seen.push(...page.items.map((e) => e.id));
    // at the end of the trail for now, it keeps its place and asks again from there
    if (page.nextCursor) this.cursor = page.nextCursor;
    return page.items.length;
  }

  /** Pages until a page comes back empty (bounded, should a cursor never move on). */
  async drain(): Promise<void> {
    for (let i = 0; i < 200 && (await this.page()) > 0; i++);
  }

  /**
   * Pages until it has seen `eventId`, the event of a transaction that began after every one of
   * interest had ended. An empty page alone does not say a follower has caught up: a transaction
   * open anywhere in the database (a periodic job's, say) holds the list back until it ends.
   */
  async catchUpTo(eventId: string): Promise<void> {
    for (let i = 0; i < 2000 && !this.seen.includes(eventId); i++) {
      if ((await this.page()) === 0) await new Promise((r) => setTimeout(r, 10));
    }
  }

  duplicates(): string[] {
    return this.seen.filter((id, i) => this.seen.indexOf(id) !== i);
  }
}

describe('the audit trail under concurrent writes', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await TestApp.start();
  });
  afterAll(() => t.close());

  it('verifies 40 times during 8-way concurrent writes without a false alarm', async () => {
    const f = await t.createFacility();
    await t.createPrisoner(f.id);
    let done = false;
    const writing = writers(t, [f.id], 8, { stop: () => done });
    const alarms: unknown[] = [];
    try {
      for (let i = 0; i < 40; i++) {
        const v = await t.http
          .get(`${API}/audit/verify`)
          .auth(t.adminToken, { type: 'bearer' })
          .expect(200);
        if (!v.body.ok)
          alarms.push({
            i,
            firstBrokenEventId: v.body.firstBrokenEventId,
            broken: v.body.chains.filter((c: { ok: boolean }) => !c.ok),
          });
      }
    } finally {
      done = true;
      await writing;
    }
    expect(alarms).toEqual([]);
  }, 180_000);

  it('lets a follower page through 250 concurrent writes and see each event exactly once', async () => {
    const a = await t.createFacility();
    const b = await t.createFacility();
    const follower = new Follower(t);
    await follower.drain();
    const before = new Set(follower.seen);
    let finished = false;
    const writing = writers(t, [a.id, b.id], 10, { total: 250 }).finally(() => (finished = true));
    while (!finished) await follower.page();
    await writing;
    const uow = t.app.get(UnitOfWork);
    await uow.run(async () => {
      t.app.get(AuditService).record({
        action: 'test.caught-up',
        targetType: 'test',
        targetId: 'caught-up',
        facilityId: a.id,
      });
    });
    const [marker] = await t.sql<{ id: string }>(
      `SELECT id FROM audit_events WHERE facility_id = $1 AND action = 'test.caught-up'`,
      [a.id],
    );
    await follower.catchUpTo(marker.id);
    expect(follower.seen).toContain(marker.id);

    const all = await t.sql<{ id: string }>(
      `SELECT id FROM audit_events WHERE facility_id = ANY($1::uuid[]) AND action = 'test.race'`,
      [[a.id, b.id]],
    );
    expect(all).toHaveLength(250);
    expect(follower.duplicates()).toEqual([]);
    const mine = new Set(follower.seen.filter((id) => !before.has(id)));
    expect(all.map((r) => r.id).filter((id) => !mine.has(id))).toEqual([]);
  }, 180_000);

  it('pages in the numeric order of transaction ids, also where they gain a digit', async () => {
    const f = await t.createFacility();
    for (let i = 0; i < 3; i++) await t.createPrisoner(f.id);
    const events = await t.sql<{ id: string }>(
      `SELECT id FROM audit_events WHERE facility_id = $1 ORDER BY seq`,
      [f.id],
    );
    expect(events.length).toBeGreaterThanOrEqual(3);
    // Give them transaction ids around 100 (long ended, so below any horizon): 98, 99, 100, ...
    // Not part of the hash: the chains still verify. As text, '100' sorts before '98'.
    await t.sql(`BEGIN;
      SET LOCAL session_replication_role = replica;
      UPDATE audit_events e SET tx_id = (98 + n.i)::text::xid8
        FROM (SELECT id, row_number() OVER (ORDER BY seq) - 1 AS i
                FROM audit_events WHERE facility_id = '${f.id}') n
       WHERE e.id = n.id;
      COMMIT`);
    const seen: string[] = [];
    let cursor: string | null = null;
    for (let i = 0; i < 20; i++) {
      const res = await t.http
        .get(`${API}/audit-events`)
        .query({ facilityId: f.id, limit: '2', ...(cursor ? { cursor } : {}) })
        .auth(t.adminToken, { type: 'bearer' })
        .expect(200);
      const page = res.body as Page;
      if (page.items.length === 0) break;
      seen.push(...page.items.map((e) => e.id));
      cursor = page.nextCursor;
    }
    expect(seen).toEqual(events.map((e) => e.id));
  });

  it('shows an event that took its seq first but committed last, after the ones that overtook it', async () => {
    const slow = await t.createFacility();
    const fast = await t.createFacility();
    await t.createPrisoner(slow.id);
    await t.createPrisoner(fast.id);
    const follower = new Follower(t, 500);
    await follower.drain();
    // the slow facility's appends, once inserted, wait for a lock this test holds
    await t.sql(`CREATE FUNCTION test_hold_append() RETURNS trigger LANGUAGE plpgsql AS $$
                 BEGIN PERFORM pg_advisory_xact_lock_shared(4242); RETURN NULL; END $$`);
    await t.sql(`CREATE TRIGGER test_hold_append AFTER INSERT ON audit_events FOR EACH ROW
                 WHEN (NEW.facility_id = '${slow.id}') EXECUTE FUNCTION test_hold_append()`);
    const lock = new Client({ connectionString: t.env.DATABASE_URL });
    await lock.connect();
    try {
      await lock.query('SELECT pg_advisory_lock(4242)');
      const held = t.createPrisoner(slow.id);
      for (let i = 0; i < 500; i++) {
        const waiting = await t.sql(
          `SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND objid = 4242 AND NOT granted`,
        );
        if (waiting.length) break;
        await new Promise((r) => setTimeout(r, 20));
      }
      // sequences are not transactional: the held event's seq is at most this
      const [taken] = await t.sql<{ n: string }>(
        `SELECT last_value AS n FROM audit_events_seq_seq`,
      );
      const overtaking = await t.createPrisoner(fast.id); // a later seq, committed first
      const [ev] = await t.sql<{ seq: string }>(
        `SELECT seq FROM audit_events WHERE target_id = $1`,
        [overtaking.id],
      );
      expect(Number(ev.seq)).toBeGreaterThan(Number(taken.n));
      await follower.drain();
      await lock.query('SELECT pg_advisory_unlock(4242)');
      const p = await held;
      await follower.drain();
      const [heldEvent] = await t.sql<{ id: string }>(
        `SELECT id FROM audit_events WHERE target_id = $1`,
        [p.id],
      );
      const [overtook] = await t.sql<{ id: string }>(
        `SELECT id FROM audit_events WHERE target_id = $1`,
        [overtaking.id],
      );
      expect(follower.seen).toEqual(expect.arrayContaining([heldEvent.id, overtook.id]));
      expect(follower.duplicates()).toEqual([]);
    } finally {
      await lock.end();
      await t.sql(`DROP TRIGGER test_hold_append ON audit_events`);
    }
  });
});
