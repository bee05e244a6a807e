import { randomUUID } from 'node:crypto';
import { DomainEvent, UnitOfWork } from '../../src/common/database/unit-of-work';
import { scratchRowInsert } from '../support/database';
import { API, TestApp } from '../support/test-app';

class Happened extends DomainEvent {
  readonly name = 'test.happened';
  constructor(readonly key: string) {
    super();
  }
}
class Followed extends DomainEvent {
  readonly name = 'test.followed';
  constructor(readonly key: string) {
    super();
  }
}

// Modules react to each other through the unit of work's events, in the raising transaction.
describe('domain events of the unit of work', () => {
  let t: TestApp;
  let uow: UnitOfWork;
  beforeAll(async () => {
    t = await TestApp.start();
    uow = t.app.get(UnitOfWork);
  });
  afterAll(() => t.close());

  const keyRow = (k: string) => scratchRowInsert('events-test', k);
  const stored = async (...keys: string[]) =>
    (
      await t.sql<{ key: string }>(
        `SELECT key FROM idempotency_keys WHERE scope = 'events-test' AND key = ANY($1) ORDER BY key`,
        [keys],
      )
    ).map((r) => r.key);

  it('runs handlers in the raising transaction before COMMIT, cascading, and rolls back with them', async () => {
    const seen: string[] = [];
    uow.on(Happened, async (e) => {
      seen.push(`happened ${e.key}`);
      // the handler sees the use case's uncommitted work, and adds to it
      expect(
        await uow.query(`SELECT 1 FROM idempotency_keys WHERE key = $1`, [e.key]),
      ).toHaveLength(1);
      await uow.query(keyRow(`${e.key}-handled`));
      if (e.key.startsWith('fail')) throw new Error('the consumer refuses');
      uow.publish(new Followed(e.key));
    });
    uow.on(Followed, async (e) => {
      seen.push(`followed ${e.key}`);
    });

    const ok = `ok-${randomUUID()}`;
    await uow.run(async () => {
      await uow.query(keyRow(ok));
      uow.publish(new Happened(ok));
      expect(seen).toEqual([]); // not yet: after the use case's own work
    });
    expect(seen).toEqual([`happened ${ok}`, `followed ${ok}`]);
    expect(await stored(ok, `${ok}-handled`)).toEqual([ok, `${ok}-handled`]);

    const fail = `fail-${randomUUID()}`;
    await expect(
      uow.run(async () => {
        await uow.query(keyRow(fail));
        uow.publish(new Happened(fail));
      }),
    ).rejects.toThrow('the consumer refuses');
    expect(await stored(fail, `${fail}-handled`)).toEqual([]);
    expect(() => uow.publish(new Happened('outside'))).toThrow(/outside a transaction/);
  });

  it('moves a prisoner’s links with them on transfer: the new facility’s officers see and decide them', async () => {
    const a = await t.createFacility();
    const b = await t.createFacility();
    const officerA = await t.createStaff(['visits-officer'], [a.id]);
    const officerB = await t.createStaff(['visits-officer'], [b.id]);
    const p = await t.createPrisoner(a.id);
    const approvedBy = await t.createRelative();
    const approved = await t.linkRelative(approvedBy, p);
    const asking = await t.createRelative();
    const number = (
      await t.http.get(`${API}/prisoners/${p.id}`).auth(t.adminToken, { type: 'bearer' })
    ).body.personalNumber as string;
    const pending = await t.http
      .post(`${API}/relatives/me/links`)
      .auth(asking.token, { type: 'bearer' })
      .send({ facilityId: a.id, prisonerPersonalNumber: number, relationship: 'sibling' })
      .expect(201);
    // someone asked at B for the number before the prisoner arrived: no prisoner there then
    const early = await t.http
      .post(`${API}/relatives/me/links`)
      .auth(approvedBy.token, { type: 'bearer' })
      .send({ facilityId: b.id, prisonerPersonalNumber: number, relationship: 'parent' })
      .expect(201);

    await t.http
      .post(`${API}/prisoners/${p.id}/transfer`)
      .auth(t.adminToken, { type: 'bearer' })
      .send({ toFacilityId: b.id })
      .expect(200);

    const linksOf = async (facilityId: string, token: string) =>
      (
        await t.http
          .get(`${API}/facilities/${facilityId}/links`)
          .auth(token, { type: 'bearer' })
          .expect(200)
      ).body.items as Array<{ id: string; status: string }>;
    const atB = await linksOf(b.id, officerB.token);
    expect(atB.map((l) => l.id).sort()).toEqual([approved, pending.body.id, early.body.id].sort());
    expect(atB.find((l) => l.id === approved)?.status).toBe('approved');
    // the request made before the prisoner arrived duplicates the link that followed: closed
    expect(atB.find((l) => l.id === early.body.id)?.status).toBe('rejected');
    expect(await linksOf(a.id, officerA.token)).toEqual([]);
    // B's officer decides what was pending at A
    await t.http
      .post(`${API}/links/${pending.body.id}/approve`)
      .auth(officerB.token, { type: 'bearer' })
      .send({})
      .expect(200);
    await t.http
      .post(`${API}/links/${approved}/reject`)
      .auth(officerA.token, { type: 'bearer' })
      .send({ reason: 'not ours any more' })
      .expect(404);
  });
});
