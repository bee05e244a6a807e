import { moneyCalls } from '../support/money';
import { API, TestApp } from '../support/test-app';

/**
 * Every state-changing action leaves a trail. Unblocking a card that is not blocked changes
 * nothing and is refused (422 CARD_NOT_BLOCKED), as blocking a blocked card is; a checkpoint an
 * auditor takes (a GET that keeps a signed record) is an audit event, which the checkpoint covers.
 */
describe('audit: no state change without a trail', () => {
  let t: TestApp;
  let facilityId: string;
  const admin = () => ({ authorization: `Bearer ${t.adminToken}` });
  const money = moneyCalls(
    () => t,
    () => '',
  );
  const eventsOf = (targetId: string) =>
    t.sql<{ action: string; actor_id: string | null; summary: Record<string, unknown> }>(
      `SELECT action, actor_id, summary FROM audit_events WHERE target_id = $1 ORDER BY seq`,
      [targetId],
    );

  beforeAll(async () => {
    t = await TestApp.start();
    facilityId = (await t.createFacility()).id;
  });
  afterAll(() => t.close());

  it('refuses to unblock a card that is not blocked, and audits a real unblock', async () => {
    const p = await t.createPrisoner(facilityId);
    const card = await money.issueCard(p.id);
    const res = await t.http.post(`${API}/cards/${card.id}/unblock`).set(admin()).expect(422);
    expect(res.body).toMatchObject({ code: 'CARD_NOT_BLOCKED', status: 422 });
    expect((await eventsOf(card.id)).map((e) => e.action)).toEqual(['card.issue']);
    await t.http.post(`${API}/cards/${card.id}/block`).set(admin()).send({}).expect(200);
    await t.http.post(`${API}/cards/${card.id}/unblock`).set(admin()).expect(200);
    expect((await eventsOf(card.id)).map((e) => e.action)).toEqual([
      'card.issue',
      'card.block',
      'card.unblock',
    ]);
  });

  it('records a checkpoint taken by an auditor as an event the checkpoint itself covers', async () => {
    const auditor = await t.createStaff(['auditor'], []);
    const cp = (
      await t.http
        .get(`${API}/audit/checkpoint`)
        .auth(auditor.token, { type: 'bearer' })
        .expect(200)
    ).body as { id: string; chains: Array<{ chainKey: string; length: number }> };
    const events = await eventsOf(cp.id);
    expect(events).toEqual([
      expect.objectContaining({ action: 'audit.checkpoint', actor_id: auditor.id }),
    ]);
    // the event is inside what the checkpoint signed: every head it names is the head now
    const heads = await t.sql<{ chain_key: string; last_seq: string }>(
      'SELECT chain_key, last_seq FROM audit_chain_heads ORDER BY chain_key',
    );
    expect(cp.chains.map((c) => [c.chainKey, c.length])).toEqual(
      heads.map((h) => [h.chain_key, Number(h.last_seq)]),
    );
    const verify = await t.http
      .get(`${API}/audit/consistency`)
      .query({ from: cp.id })
      .auth(auditor.token, { type: 'bearer' })
      .expect(200);
    expect(verify.body).toMatchObject({ ok: true });
  });
});
