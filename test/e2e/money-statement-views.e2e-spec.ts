import { randomUUID } from 'node:crypto';
import { moneyCalls } from '../support/money';
import { API, Relative, TestApp } from '../support/test-app';

interface Line {
  entryId?: string;
  kind: string;
  amountMinor: number;
  balanceAfterMinor: number;
  description?: string | null;
  depositId?: string;
  paymentIntentId?: string | null;
  createdAt: string;
}

/**
 * A statement as its reader may see it: staff of the facility see every line whole (descriptions
 * with refund reasons and payment references); a linked relative sees amounts, dates, kinds and
 * running balances, and the references of their own deposits only — not staff's reasons, not
 * another relative's PaymentIntent, not the numbers the prisoner called.
 */
describe('money: what a statement shows to staff and to a relative', () => {
  let t: TestApp;
  let facilityId: string;
  let shopKey: string;
  let prisoner: { id: string; facilityId: string };
  let mine: Relative;
  let other: Relative;
  let myDeposit: { id: string; paymentIntentId: string };
  let theirDeposit: { id: string; paymentIntentId: string };
  const money = moneyCalls(
    () => t,
    () => shopKey,
  );
  const REASON = 'staff note: returned by officer Sadykov, damaged packet';

  async function deposit(r: Relative, amountMinor: number) {
    const res = await t.http
      .post(`${API}/deposits`)
      .auth(r.token, { type: 'bearer' })
      .set('idempotency-key', randomUUID())
      .send({ prisonerId: prisoner.id, amountMinor, currency: 'KZT' })
      .expect(201);
    await t.stripe.pay(res.body.paymentIntentId);
    return { id: res.body.id as string, paymentIntentId: res.body.paymentIntentId as string };
  }
  const statementAs = async (token: string) =>
    (
      await t.http
        .get(`${API}/prisoners/${prisoner.id}/account/statement`)
        .auth(token, { type: 'bearer' })
        .expect(200)
    ).body.items as Line[];

  beforeAll(async () => {
    t = await TestApp.start();
    facilityId = (await t.createFacility()).id;
    shopKey = (await t.createTerminal(facilityId, 'commissary')).apiKey;
    prisoner = await t.createPrisoner(facilityId);
    const card = await money.issueCard(prisoner.id);
    mine = await t.createRelative();
    other = await t.createRelative();
    await t.linkRelative(mine, prisoner);
    await t.linkRelative(other, prisoner);
    myDeposit = await deposit(mine, 50_000);
    theirDeposit = await deposit(other, 30_000);
    await money.cash(prisoner.id, 10_000, 'RC-778').expect(201);
    const charge = await money.charge(card.cardNumber, 4_000).expect(201);
    await t.http
      .post(`${API}/charges/${charge.body.id}/refunds`)
      .set('x-api-key', shopKey)
      .set('idempotency-key', randomUUID())
      .send({ amountMinor: 1_000, reason: REASON })
      .expect(201);
  });
  afterAll(() => t.close());

  it('shows staff every line whole', async () => {
    const lines = await statementAs(t.adminToken);
    expect(lines.map((l) => l.kind)).toEqual([
      'stripe-deposit',
      'stripe-deposit',
      'cash-deposit',
      'charge',
      'refund',
    ]);
    expect(lines.every((l) => typeof l.entryId === 'string')).toBe(true);
    expect(lines[4].description).toContain(REASON);
    expect(lines[0]).toMatchObject({
      depositId: myDeposit.id,
      paymentIntentId: myDeposit.paymentIntentId,
    });
    expect(lines[1]).toMatchObject({
      depositId: theirDeposit.id,
      paymentIntentId: theirDeposit.paymentIntentId,
    });
  });

  it('shows a relative amounts, dates, kinds and their own deposits’ references only', async () => {
    const lines = await statementAs(mine.token);
    expect(lines.map((l) => [l.kind, l.amountMinor, l.balanceAfterMinor])).toEqual([
      ['stripe-deposit', 50_000, 50_000],
      ['stripe-deposit', 30_000, 80_000],
      ['cash-deposit', 10_000, 90_000],
      ['charge', -4_000, 86_000],
      ['refund', 1_000, 87_000],
    ]);
    const text = JSON.stringify(lines);
    expect(text).not.toContain(REASON);
    expect(text).not.toContain(theirDeposit.paymentIntentId);
    expect(text).not.toContain(theirDeposit.id);
    expect(text).not.toContain('RC-778');
    for (const l of lines) {
      expect(l).not.toHaveProperty('description');
      expect(l).not.toHaveProperty('entryId');
      expect(typeof l.createdAt).toBe('string');
    }
    expect(lines[0]).toMatchObject({
      depositId: myDeposit.id,
      paymentIntentId: myDeposit.paymentIntentId,
    });
    expect(lines[1]).not.toHaveProperty('paymentIntentId');
    // and the other relative sees theirs, not this one's
    const theirs = JSON.stringify(await statementAs(other.token));
    expect(theirs).toContain(theirDeposit.paymentIntentId);
    expect(theirs).not.toContain(myDeposit.paymentIntentId);
  });
});
