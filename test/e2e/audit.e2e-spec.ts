import { UnitOfWork } from '../../src/common/database/unit-of-work';
import { AuditService } from '../../src/modules/audit/audit.service';
import { Client } from 'pg';
import { API, TestApp } from '../support/test-app';

interface AuditEvent {
  id: string;
  seq: number;
  facilityId: string | null;
  chainKey: string;
  chainSeq: number;
  action: string;
  actorKind: string;
  actorId: string | null;
  targetId: string | null;
  requestId: string | null;
  summary: Record<string, unknown>;
  prevHash: string;
  hash: string;
}

describe('the audit trail: written with every change, chained, append-only, verifiable', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await TestApp.start();
  });
  // this file breaks chains on purpose
  afterAll(() => t.close({ auditIntact: false }));

  const events = async (
    query: Record<string, string>,
    token = t.adminToken,
  ): Promise<AuditEvent[]> => {
    const res = await t.http
      .get(`${API}/audit-events`)
      .query({ limit: '500', ...query })
      .auth(token, { type: 'bearer' })
      .expect(200);
    return res.body.items as AuditEvent[];
  };

  it('refuses a reversed range (to before from) with 400 naming to', async () => {
    const res = await t.http
      .get(`${API}/audit-events`)
      .query({ from: '2026-03-01T00:00:00Z', to: '2026-02-01T00:00:00Z' })
      .auth(t.adminToken, { type: 'bearer' })
      .expect(400);
    expect(res.body.errors).toEqual([expect.objectContaining({ field: 'to' })]);
  });

  it('records who did what, under which request, in the facility’s chain', async () => {
    const f = await t.createFacility();
    const res = await t.http
      .post(`${API}/facilities/${f.id}/prisoners`)
      .set('x-request-id', 'audit-req-1')
      .auth(t.adminToken, { type: 'bearer' })
      .send({ personalNumber: 'AUD-000001', fullName: 'Audited Person', securityLevel: 'medium' })
      .expect(201);
    const me = await t.http.get(`${API}/staff/me`).auth(t.adminToken, { type: 'bearer' });
    const [e] = await events({ facilityId: f.id, action: 'prisoner.register' });
    expect(e).toMatchObject({
      facilityId: f.id,
      chainSeq: 1,
      actorKind: 'staff',
      actorId: me.body.id,
      targetId: res.body.id,
      requestId: 'audit-req-1',
      summary: { personalNumber: 'AUD-000001', securityLevel: 'medium', conditions: 'ordinary' },
    });
    expect(e.prevHash).toBe('0'.repeat(64));
    const national = await events({ national: 'true', action: 'facility.create', targetId: f.id });
    expect(national).toHaveLength(1);
  });

  it('writes nothing when the change fails, and nothing for reads', async () => {
    const before = await t.sql<{ n: string }>('SELECT count(*) AS n FROM audit_events');
    const f = await t.createFacility();
    const p = await t.createPrisoner(f.id);
    const mid = await t.sql<{ n: string }>('SELECT count(*) AS n FROM audit_events');
    await t.http
      .post(`${API}/prisoners/${p.id}/conditions`)
      .auth(t.adminToken, { type: 'bearer' })
      .send({ conditions: 'ordinary', reason: 'same' })
      .expect(422);
    await t.http.get(`${API}/prisoners/${p.id}`).auth(t.adminToken, { type: 'bearer' }).expect(200);
    const after = await t.sql<{ n: string }>('SELECT count(*) AS n FROM audit_events');
    expect(Number(mid[0].n) - Number(before[0].n)).toBe(2);
    expect(after[0].n).toBe(mid[0].n);
  });

  it('records a transfer in both facilities’ chains, and stays consistent under concurrent writes', async () => {
    const a = await t.createFacility();
    const b = await t.createFacility();
    const ps = await Promise.all(Array.from({ length: 6 }, () => t.createPrisoner(a.id)));
    // transfers a→b and b→a at the same time lock both chains: a fixed lock order means no deadlock
    const back = await Promise.all(Array.from({ length: 6 }, () => t.createPrisoner(b.id)));
    const results = await Promise.all([
      ...ps.map((p) =>
        t.http
          .post(`${API}/prisoners/${p.id}/transfer`)
          .auth(t.adminToken, { type: 'bearer' })
          .send({ toFacilityId: b.id }),
      ),
      ...back.map((p) =>
        t.http
          .post(`${API}/prisoners/${p.id}/transfer`)
          .auth(t.adminToken, { type: 'bearer' })
          .send({ toFacilityId: a.id }),
      ),
    ]);
    expect(results.map((r) => r.status)).toEqual(Array(12).fill(200));
    const inA = await events({ facilityId: a.id });
    const inB = await events({ facilityId: b.id });
    expect(inA.filter((e) => e.action === 'prisoner.transfer-out')).toHaveLength(6);
    expect(inA.filter((e) => e.action === 'prisoner.transfer-in')).toHaveLength(6);
    expect(inB.filter((e) => e.action === 'prisoner.transfer-in')).toHaveLength(6);
    // each lane of each facility is a gapless chain (in commit order: the list goes by
    // transaction, and a lane by commit)
    for (const facilityEvents of [inA, inB]) {
      for (const lane of new Set(facilityEvents.map((e) => e.chainKey))) {
        const chain = facilityEvents
          .filter((e) => e.chainKey === lane)
          .sort((x, y) => x.chainSeq - y.chainSeq);
        chain.forEach((e, i) => {
          expect(e.chainSeq).toBe(i + 1);
          if (i > 0) expect(e.prevHash).toBe(chain[i - 1].hash);
        });
      }
    }
    const v = await t.http
      .get(`${API}/audit/verify`)
      .auth(t.adminToken, { type: 'bearer' })
      .expect(200);
    expect(v.body).toMatchObject({ ok: true, firstBrokenEventId: null });
    expect(v.body.eventsChecked).toBeGreaterThan(30);
  });

  it('chains several events of one transaction, on one chain and on several, in one statement', async () => {
    const f = await t.createFacility();
    const uow = t.app.get(UnitOfWork);
    const audit = t.app.get(AuditService);
    await uow.run(async () => {
      for (const n of [1, 2, 3])
        audit.record({
          action: 'test.step',
          targetType: 'test',
          targetId: `step-${n}`,
          facilityId: f.id,
        });
      audit.record({
        action: 'test.step',
        targetType: 'test',
        targetId: 'national',
        facilityId: null,
      });
    });
    const mine = (await events({ facilityId: f.id })).filter((e) => e.action === 'test.step');
    expect(mine.map((e) => e.targetId)).toEqual(['step-1', 'step-2', 'step-3']);
    expect(mine.map((e) => e.chainSeq)).toEqual([
      mine[0].chainSeq,
      mine[0].chainSeq + 1,
      mine[0].chainSeq + 2,
    ]);
    expect(mine[1].prevHash).toBe(mine[0].hash);
    expect(mine[2].prevHash).toBe(mine[1].hash);
    const verify = await t.http
      .get(`${API}/audit/verify`)
      .auth(t.adminToken, { type: 'bearer' })
      .expect(200);
    expect(verify.body.ok).toBe(true);
  });

  it('rolls the whole transaction back when a deferred write finds it wrote the wrong thing', async () => {
    const f = await t.createFacility();
    const uow = t.app.get(UnitOfWork);
    const audit = t.app.get(AuditService);
    await expect(
      uow.run(async () => {
        audit.record({
          action: 'test.doomed',
          targetType: 'test',
          targetId: 'doomed',
          facilityId: f.id,
        });
        uow.defer({
          build: () => ({ ctes: [], result: 'SELECT 0' }),
          check: () => {
            throw new Error('wrote nothing');
          },
        });
      }),
    ).rejects.toThrow('wrote nothing');
    expect(await t.sql(`SELECT 1 FROM audit_events WHERE target_id = 'doomed'`)).toHaveLength(0);
  });

  it('writes a facility in lanes: a write goes to a free lane, and waits when every lane is taken', async () => {
    const f = await t.createFacility();
    await t.createPrisoner(f.id); // the facility's lanes exist from its first event
    const db = new Client({ connectionString: t.env.DATABASE_URL });
    await db.connect();
    try {
      // another transaction holds the first lane: the next write goes to the next one
      await db.query('BEGIN');
      await db.query('SELECT 1 FROM audit_chain_heads WHERE chain_key = $1 FOR UPDATE', [f.id]);
      const p = await t.createPrisoner(f.id);
      // (read in SQL: the list holds events back while this older transaction is open)
      const lane = (id: string) =>
        t.sql<{ chainKey: string; chainSeq: string }>(
          `SELECT chain_key AS "chainKey", chain_seq AS "chainSeq" FROM audit_events WHERE target_id = $1`,
          [id],
        );
      const [e] = await lane(p.id);
      expect(e).toEqual({ chainKey: `${f.id}#1`, chainSeq: '1' });
      // every lane held: a write waits for one, and goes through when it is let go
      await db.query(`SELECT 1 FROM audit_chain_heads WHERE chain_key LIKE $1 || '%' FOR UPDATE`, [
        f.id,
      ]);
      let done = false;
      const waiting = t.createPrisoner(f.id).then((x) => ((done = true), x));
      await new Promise((r) => setTimeout(r, 300));
      expect(done).toBe(false);
      await db.query('COMMIT');
      const q = await waiting;
      const [e2] = await events({ facilityId: f.id, targetId: q.id });
      expect(e2.chainKey.startsWith(f.id)).toBe(true);
    } finally {
      await db.query('ROLLBACK').catch(() => undefined);
      await db.end();
    }
    const v = await t.http
      .get(`${API}/audit/verify`)
      .auth(t.adminToken, { type: 'bearer' })
      .expect(200);
    const lanes = v.body.chains.filter((c: { facilityId: string }) => c.facilityId === f.id);
    expect(lanes).toHaveLength(8);
    expect(lanes.every((c: { ok: boolean }) => c.ok)).toBe(true);
  });

  it('pages oldest first and filters by time', async () => {
    const f = await t.createFacility();
    for (let i = 0; i < 5; i++) await t.createPrisoner(f.id);
    const all = await events({ facilityId: f.id });
    expect(all).toHaveLength(5);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: { body: { items: AuditEvent[]; nextCursor: string | null } } = await t.http
        .get(`${API}/audit-events`)
        .query({ facilityId: f.id, limit: '2', ...(cursor ? { cursor } : {}) })
        .auth(t.adminToken, { type: 'bearer' })
        .expect(200);
      seen.push(...res.body.items.map((e: AuditEvent) => e.id));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(all.map((e) => e.id));
    const future = await events({ facilityId: f.id, from: '2999-01-01T00:00:00Z' });
    expect(future).toHaveLength(0);
    await t.http
      .get(`${API}/audit-events`)
      .query({ from: 'yesterday' })
      .auth(t.adminToken, { type: 'bearer' })
      .expect(400);
  });

  it('shows a scoped auditor their facilities only; other roles cannot read it', async () => {
    const a = await t.createFacility();
    const b = await t.createFacility();
    await t.createPrisoner(a.id);
    await t.createPrisoner(b.id);
    const auditorA = await t.createStaff(['auditor'], [a.id]);
    const mine = await events({}, auditorA.token);
    expect(new Set(mine.map((e) => e.facilityId))).toEqual(new Set([a.id]));
    await t.http
      .get(`${API}/audit-events`)
      .query({ facilityId: b.id })
      .auth(auditorA.token, { type: 'bearer' })
      .expect(404);
    const v = await t.http
      .get(`${API}/audit/verify`)
      .auth(auditorA.token, { type: 'bearer' })
      .expect(200);
    expect([...new Set(v.body.chains.map((c: { facilityId: string }) => c.facilityId))]).toEqual([
      a.id,
    ]);
    const admin = await t.createStaff(['admin'], []);
    await t.http.get(`${API}/audit-events`).auth(admin.token, { type: 'bearer' }).expect(403);
  });

  it('is refused UPDATE, DELETE and TRUNCATE by the database itself', async () => {
    const [e] = await events({});
    await expect(
      t.sql(`UPDATE audit_events SET summary = '{}' WHERE id = $1`, [e.id]),
    ).rejects.toThrow(/append-only/);
    await expect(t.sql(`DELETE FROM audit_events WHERE id = $1`, [e.id])).rejects.toThrow(
      /append-only/,
    );
    await expect(t.sql(`TRUNCATE audit_events`)).rejects.toThrow(/append-only/);
  });

  it('detects an event altered behind the triggers’ back, naming it', async () => {
    const f = await t.createFacility();
    const p1 = await t.createPrisoner(f.id);
    await t.createPrisoner(f.id);
    const [target] = await events({ facilityId: f.id, targetId: p1.id });
    // a superuser switching triggers off, as a dishonest administrator could
    await t.sql(`
      BEGIN;
      SET LOCAL session_replication_role = replica;
      UPDATE audit_events SET summary = summary || '{"fullName":"Someone Else"}' WHERE id = '${target.id}';
      COMMIT;`);
    const v = await t.http
      .get(`${API}/audit/verify`)
      .auth(t.adminToken, { type: 'bearer' })
      .expect(200);
    expect(v.body.ok).toBe(false);
    expect(v.body.firstBrokenEventId).toBe(target.id);
    const chain = v.body.chains.find((c: { chainKey: string }) => c.chainKey === target.chainKey);
    expect(chain.ok).toBe(false);
  });

  it('detects a deleted last event through the chain head', async () => {
    const f = await t.createFacility();
    await t.createPrisoner(f.id);
    const p2 = await t.createPrisoner(f.id);
    const [last] = await events({ facilityId: f.id, targetId: p2.id });
    t.auditDeletedOnPurpose.add(last.requestId!);
    await t.sql(`
      BEGIN;
      SET LOCAL session_replication_role = replica;
      DELETE FROM audit_events WHERE id = '${last.id}';
      COMMIT;`);
    const v = await t.http
      .get(`${API}/audit/verify`)
      .auth(t.adminToken, { type: 'bearer' })
      .expect(200);
    const chain = v.body.chains.find((c: { chainKey: string }) => c.chainKey === last.chainKey);
    expect(chain.ok).toBe(false);
    expect(v.body.ok).toBe(false);
  });
});
