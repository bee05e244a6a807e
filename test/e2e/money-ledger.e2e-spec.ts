import { randomUUID } from 'node:crypto';
import { moneyCalls } from '../support/money';
import { API, TestApp } from '../support/test-app';

interface Decision {
  id: string;
  outcome: 'approved' | 'declined';
  reasons: Array<{ code: string }>;
  balanceAfterMinor: number | null;
}
interface Line {
  entryId: string;
  kind: string;
  amountMinor: number;
  balanceAfterMinor: number;
}

describe('the ledger: statements, what a facility sees after a transfer', () => {
  let t: TestApp;
  let facility: { id: string };
  let shopKey: string;
  const admin = () => ({ authorization: `Bearer ${t.adminToken}` });

  beforeAll(async () => {
    t = await TestApp.start();
    facility = await t.createFacility({ timeZone: 'Asia/Almaty' });
    shopKey = (await t.createTerminal(facility.id, 'commissary', 'Shop till')).apiKey;
  });
  afterAll(() => t.close());
  const { issueCard, cash, charge } = moneyCalls(
    () => t,
    () => shopKey,
  );

  const statement = (prisonerId: string, query: Record<string, string | number> = {}) =>
    t.http.get(`${API}/prisoners/${prisonerId}/account/statement`).query(query).set(admin());

  it('pages a statement like every list: limit, cursor, { items, nextCursor }; every line once, in order', async () => {
    const p = await t.createPrisoner(facility.id);
    const card = await issueCard(p.id);
    await cash(p.id, 10_000).expect(201);
    for (const amount of [100, 200, 300, 400, 500, 600])
      expect(((await charge(card.cardNumber, amount).expect(201)).body as Decision).outcome).toBe(
        'approved',
      );
    const all = (await statement(p.id).expect(200)).body as { items: Line[]; nextCursor: null };
    expect(all.nextCursor).toBeNull();
    expect(all.items.map((l) => [l.kind, l.amountMinor, l.balanceAfterMinor])).toEqual([
      ['cash-deposit', 10_000, 10_000],
      ['charge', -100, 9_900],
      ['charge', -200, 9_700],
      ['charge', -300, 9_400],
      ['charge', -400, 9_000],
      ['charge', -500, 8_500],
      ['charge', -600, 7_900],
    ]);
    const pages: Line[][] = [];
    let cursor: string | null | undefined;
    do {
      const res = await statement(p.id, { limit: 3, ...(cursor ? { cursor } : {}) }).expect(200);
      pages.push(res.body.items as Line[]);
      cursor = res.body.nextCursor as string | null;
    } while (cursor);
    expect(pages.map((pg) => pg.length)).toEqual([3, 3, 1]);
    expect(pages.flat()).toEqual(all.items);
    // a page that ends exactly at the last line says so
    const exact = await statement(p.id, { limit: 7 }).expect(200);
    expect(exact.body.nextCursor).toBeNull();
    expect((await statement(p.id, { limit: 501 }).expect(400)).body.code).toBe('VALIDATION_FAILED');
    expect((await statement(p.id, { cursor: 'not-ours' }).expect(400)).body.code).toBe(
      'INVALID_CURSOR',
    );
  });

  it('refuses a reversed range (to before from) with 400 naming to; from = to is an empty page', async () => {
    const p = await t.createPrisoner(facility.id);
    const res = await statement(p.id, {
      from: '2026-03-01T00:00:00+05:00',
      to: '2026-02-28T23:59:59+05:00',
    }).expect(400);
    expect(res.body.errors).toEqual([expect.objectContaining({ field: 'to' })]);
    const same = await statement(p.id, {
      from: '2026-03-01T00:00:00+05:00',
      to: '2026-02-28T19:00:00Z',
    }).expect(200);
    expect(same.body.items).toEqual([]);
  });

  it('after a transfer, a refund at the old facility does not show the balance paid in at the new one', async () => {
    const p = await t.createPrisoner(facility.id);
    const card = await issueCard(p.id);
    await cash(p.id, 5_000).expect(201);
    const c = (await charge(card.cardNumber, 1_000).expect(201)).body as Decision;
    const other = await t.createFacility();
    await t.http
      .post(`${API}/prisoners/${p.id}/transfer`)
      .set(admin())
      .send({ toFacilityId: other.id })
      .expect((r) => expect(r.status).toBeLessThan(300));
    await cash(p.id, 70_000).expect(201); // paid in at the new facility
    const refund = (
      who: { 'x-api-key': string } | { authorization: string },
      amountMinor: number,
    ) =>
      t.http
        .post(`${API}/charges/${c.id}/refunds`)
        .set(who)
        .set('idempotency-key', randomUUID())
        .send({ amountMinor, reason: 'returned after the move' });
    const atOldTill = await refund({ 'x-api-key': shopKey }, 400).expect(201);
    expect(atOldTill.body).toMatchObject({ remainingMinor: 600, balanceAfterMinor: null });
    const oldOperator = await t.createStaff(['commissary-operator'], [facility.id]);
    const byOldOperator = await refund(
      { authorization: `Bearer ${oldOperator.token}` },
      100,
    ).expect(201);
    expect(byOldOperator.body.balanceAfterMinor).toBeNull();
    // whoever may see the new facility sees the balance
    const byNational = await refund(admin(), 100).expect(201);
    expect(byNational.body.balanceAfterMinor).toBe(5_000 - 1_000 + 70_000 + 600);
  });
});
