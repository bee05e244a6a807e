import { randomUUID } from 'node:crypto';
import { ChainedEvent, ChainVerifier, eventHash } from '../../src/modules/audit/domain/audit-chain';
import { API, TestApp } from '../support/test-app';

interface Line {
  id: string;
  chainKey: string;
  chainSeq: number;
  facilityId: string | null;
  occurredAt: string;
  hash: string;
  prevHash: string;
  [k: string]: unknown;
}

const ndjson = (text: string): Line[] =>
  text
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Line);

describe('the audit export: NDJSON, chain by chain, everything to recompute every hash', () => {
  let t: TestApp;
  let auditor: string;
  beforeAll(async () => {
    t = await TestApp.start();
    auditor = (await t.createStaff(['auditor'], [])).token;
  });
  afterAll(() => t.close());

  const exportOf = async (query: Record<string, string>, token = auditor) => {
    const res = await t.http
      .get(`${API}/audit/export`)
      .query(query)
      .auth(token, { type: 'bearer' })
      .buffer(true)
      .parse((r, done) => {
        let text = '';
        r.setEncoding('utf8');
        r.on('data', (c: string) => (text += c));
        r.on('end', () => done(null, text));
      })
      .expect(200);
    expect(res.headers['content-type']).toMatch(/^application\/x-ndjson/);
    return ndjson(res.body as string);
  };

  it('streams every event of the caller’s chains, each chain in order, verifiable line by line', async () => {
    const f = await t.createFacility();
    const ps = await Promise.all(Array.from({ length: 12 }, () => t.createPrisoner(f.id)));
    const lines = await exportOf({});
    const total = await t.sql<{ n: number }>('SELECT count(*)::int AS n FROM audit_events');
    expect(lines).toHaveLength(total[0].n);
    expect(new Set(lines.map((l) => l.id)).size).toBe(lines.length);
    const byChain = new Map<string, ChainVerifier>();
    let last = '';
    for (const l of lines) {
      // chain by chain: a chain once left never comes back
      if (l.chainKey !== last) expect(byChain.has(l.chainKey)).toBe(false);
      last = l.chainKey;
      if (!byChain.has(l.chainKey)) byChain.set(l.chainKey, new ChainVerifier());
      byChain.get(l.chainKey)!.push({ ...l, occurredAt: new Date(l.occurredAt) } as never);
    }
    for (const [key, v] of byChain) expect({ key, ...v.result() }).toMatchObject({ key, ok: true });
    const mine = lines.filter((l) => l.facilityId === f.id);
    expect(
      mine
        .filter((l) => l.action === 'prisoner.register')
        .map((l) => l.targetId)
        .sort(),
    ).toEqual(ps.map((p) => p.id).sort());
  });

  it('exports one facility, from a position on, and only within the caller’s facilities', async () => {
    const a = await t.createFacility();
    const b = await t.createFacility();
    for (let i = 0; i < 5; i++) await t.createPrisoner(a.id);
    await t.createPrisoner(b.id);
    const all = await exportOf({ facilityId: a.id });
    expect(all.map((l) => [l.chainKey, l.chainSeq])).toEqual([1, 2, 3, 4, 5].map((n) => [a.id, n]));
    const later = await exportOf({ facilityId: a.id, fromSeq: '4' });
    expect(later.map((l) => l.chainSeq)).toEqual([4, 5]);
    expect(later.map((l) => l.id)).toEqual(all.slice(3).map((l) => l.id));
    const scoped = await t.createStaff(['auditor'], [a.id]);
    const theirs = await exportOf({}, scoped.token);
    expect(theirs.map((l) => l.id)).toEqual(all.map((l) => l.id));
    await t.http
      .get(`${API}/audit/export`)
      .query({ facilityId: b.id })
      .auth(scoped.token, { type: 'bearer' })
      .expect(404)
      .expect('content-type', /problem\+json/);
  });

  it.each([
    [{ fromSeq: '0' }],
    [{ fromSeq: '1.5' }],
    [{ fromSeq: 'x' }],
    [{ facilityId: 'not-a-uuid' }],
    [{ national: 'true' }],
  ])('refuses %j with 400', async (query) => {
    const res = await t.http
      .get(`${API}/audit/export`)
      .query(query)
      .auth(auditor, { type: 'bearer' })
      .expect(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
  });

  it('reads page by page: a trail many pages long comes out whole and in order', async () => {
    const f = await t.createFacility();
    await t.createPrisoner(f.id);
    // 2 500 more events in the facility's first lane, linked and hashed as the service does,
    // written directly (pages are 1 000 events)
    const [head] = await t.sql<{ last_hash: string }>(
      'SELECT last_hash FROM audit_chain_heads WHERE chain_key = $1',
      [f.id],
    );
    let prevHash = head.last_hash;
    const rows: ChainedEvent[] = [];
    const hashes: string[] = [];
    for (let seq = 2; seq <= 2501; seq++) {
      const e: ChainedEvent = {
        id: randomUUID(),
        chainKey: f.id,
        chainSeq: seq,
        facilityId: f.id,
        occurredAt: new Date(),
        actorKind: 'system',
        actorId: null,
        action: 'test.bulk',
        targetType: 'test',
        targetId: String(seq),
        requestId: null,
        summary: {},
        policyVersionIds: [],
        prevHash,
      };
      prevHash = eventHash(e);
      rows.push(e);
      hashes.push(prevHash);
    }
    await t.sql(
      `WITH ins AS (
         INSERT INTO audit_events (id, chain_key, chain_seq, facility_id, occurred_at, actor_kind,
                                   action, target_type, target_id, prev_hash, hash)
         SELECT id, $2::text, seq, $2::uuid, at, 'system', 'test.bulk', 'test', seq::text, prev, hash
           FROM unnest($1::uuid[], $3::int[], $4::timestamptz[], $5::text[], $6::text[])
                AS x(id, seq, at, prev, hash)
         RETURNING 1)
       UPDATE audit_chain_heads SET last_seq = 2501, last_hash = $7
        WHERE chain_key = $2::text AND (SELECT count(*) FROM ins) = 2500`,
      [
        rows.map((e) => e.id),
        f.id,
        rows.map((e) => e.chainSeq),
        rows.map((e) => e.occurredAt),
        rows.map((e) => e.prevHash),
        hashes,
        prevHash,
      ],
    );
    const lines = await exportOf({ facilityId: f.id });
    expect(lines.map((l) => l.chainSeq)).toEqual(Array.from({ length: 2501 }, (_, i) => i + 1));
    expect(lines[2500].hash).toBe(prevHash);
  });
});
