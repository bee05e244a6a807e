import { randomUUID } from 'node:crypto';
import { UnitOfWork } from '../../src/common/database/unit-of-work';
import { Money } from '../../src/common/money';
import { House, LedgerService } from '../../src/modules/cards/ledger.service';
import { moneyCalls } from '../support/money';
import { API, TestApp } from '../support/test-app';

interface Decision {
  outcome: 'approved' | 'declined';
  reasons: Array<{ code: string }>;
  balanceAfterMinor: number | null;
}

describe('the ledger’s operations: debit, credit, hold, capture, release; available = balance − open holds', () => {
  let t: TestApp;
  let facility: { id: string };
  let shopKey: string;
  let ledger: LedgerService;
  let uow: UnitOfWork;
  const admin = () => ({ authorization: `Bearer ${t.adminToken}` });
  const kzt = (minor: number) => Money.of(minor, 'KZT');
  const tx = <T>(work: () => Promise<T>) => uow.run(work);
  const shop = (): House => ({ house: 'shop-revenue', facilityId: facility.id });
  const phone = (): House => ({ house: 'phone-revenue', facilityId: facility.id });
  const later = (minutes: number) => new Date(Date.now() + minutes * 60_000);

  beforeAll(async () => {
    t = await TestApp.start();
    facility = await t.createFacility({ timeZone: 'Asia/Almaty' });
    shopKey = (await t.createTerminal(facility.id, 'commissary', 'Shop till')).apiKey;
    ledger = t.app.get(LedgerService);
    uow = t.app.get(UnitOfWork);
  });
  afterAll(() => t.close());
  const { issueCard, cash, charge, account } = moneyCalls(
    () => t,
    () => shopKey,
  );

  const hold = (prisonerId: string, amountMinor: number, expiresAt = later(30)) =>
    tx(() =>
      ledger.hold({
        wallet: prisonerId,
        amount: kzt(amountMinor),
        kind: 'call',
        referenceId: randomUUID(),
        facilityId: facility.id,
        expiresAt,
      }),
    );
  const capture = (holdId: string, amountMinor: number) =>
    tx(() =>
      ledger.capture({
        holdId,
        amount: kzt(amountMinor),
        to: phone(),
        kind: 'call-charge',
        referenceId: randomUUID(),
        facilityId: facility.id,
      }),
    );

  it('counts every entry on one wallet in one transaction, in order, with running balances', async () => {
    const p = await t.createPrisoner(facility.id);
    await cash(p.id, 10_000).expect(201);
    const move = { facilityId: facility.id, kind: 'correction' as const };
    await tx(async () => {
      await ledger.debit({
        ...move,
        wallet: p.id,
        amount: kzt(300),
        to: shop(),
        referenceId: randomUUID(),
      });
      await ledger.debit({
        ...move,
        wallet: p.id,
        amount: kzt(200),
        to: shop(),
        referenceId: randomUUID(),
      });
      await ledger.credit({
        ...move,
        wallet: p.id,
        amount: kzt(50),
        from: shop(),
        referenceId: randomUUID(),
      });
      const h = await ledger.hold({
        wallet: p.id,
        amount: kzt(1_000),
        kind: 'call',
        referenceId: randomUUID(),
        facilityId: facility.id,
        expiresAt: later(30),
      });
      expect(h.availableAfter).toEqual(kzt(10_000 - 300 - 200 + 50 - 1_000));
      const c = await ledger.capture({
        holdId: h.holdId,
        amount: kzt(400),
        to: phone(),
        kind: 'call-charge',
        referenceId: randomUUID(),
        facilityId: facility.id,
      });
      expect(c).toMatchObject({ captured: kzt(400), released: kzt(600), balanceAfter: kzt(9_150) });
    });
    expect(await account(p.id)).toMatchObject({
      balanceMinor: 9_150,
      heldMinor: 0,
      availableMinor: 9_150,
    });
    const s = await t.http
      .get(`${API}/prisoners/${p.id}/account/statement`)
      .set(admin())
      .expect(200);
    expect(
      s.body.items.map((l: { kind: string; amountMinor: number; balanceAfterMinor: number }) => [
        l.kind,
        l.amountMinor,
        l.balanceAfterMinor,
      ]),
    ).toEqual([
      ['cash-deposit', 10_000, 10_000],
      ['correction', -300, 9_700],
      ['correction', -200, 9_500],
      ['correction', 50, 9_550],
      ['call-charge', -400, 9_150],
    ]);
  });

  it('spends and holds only what is available; captures at most the hold and releases the rest, once', async () => {
    const p = await t.createPrisoner(facility.id);
    const card = await issueCard(p.id);
    await cash(p.id, 5_000).expect(201);
    const h = await hold(p.id, 4_000);
    expect(h.availableAfter).toEqual(kzt(1_000));
    expect(await account(p.id)).toMatchObject({
      balanceMinor: 5_000,
      heldMinor: 4_000,
      availableMinor: 1_000,
    });
    const over = (await charge(card.cardNumber, 1_001).expect(201)).body as Decision;
    expect(over.reasons.map((r) => r.code)).toEqual(['INSUFFICIENT_FUNDS']);
    const fits = (await charge(card.cardNumber, 1_000).expect(201)).body as Decision;
    expect(fits).toMatchObject({ outcome: 'approved', balanceAfterMinor: 4_000 });
    const move = {
      facilityId: facility.id,
      kind: 'correction' as const,
      referenceId: randomUUID(),
    };
    await expect(
      tx(() => ledger.debit({ ...move, wallet: p.id, amount: kzt(1), to: shop() })),
    ).rejects.toMatchObject({ code: 'INSUFFICIENT_FUNDS' });
    await expect(hold(p.id, 1)).rejects.toMatchObject({ code: 'INSUFFICIENT_FUNDS' });
    await expect(capture(h.holdId, 4_001)).rejects.toMatchObject({ code: 'CAPTURE_EXCEEDS_HOLD' });
    const done = await capture(h.holdId, 2_500);
    expect(done).toMatchObject({
      captured: kzt(2_500),
      released: kzt(1_500),
      balanceAfter: kzt(1_500),
    });
    expect(await account(p.id)).toMatchObject({
      balanceMinor: 1_500,
      heldMinor: 0,
      availableMinor: 1_500,
    });
    await expect(capture(h.holdId, 1)).rejects.toMatchObject({ code: 'HOLD_CLOSED' });
    await expect(tx(() => ledger.release(h.holdId))).rejects.toMatchObject({ code: 'HOLD_CLOSED' });
    await expect(tx(() => ledger.release(randomUUID()))).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    const released = await hold(p.id, 1_500);
    expect(await tx(() => ledger.release(released.holdId))).toMatchObject({
      captured: kzt(0),
      released: kzt(1_500),
      entryId: null,
    });
    const settled = await t.sql<{
      outcome: string;
      captured_minor: string;
      released_minor: string;
    }>(
      `SELECT s.outcome, s.captured_minor, s.released_minor FROM ledger_hold_settlements s
         JOIN ledger_holds h ON h.id = s.hold_id WHERE h.id = ANY($1::uuid[]) ORDER BY s.captured_minor DESC`,
      [[h.holdId, released.holdId]],
    );
    expect(settled).toEqual([
      { outcome: 'captured', captured_minor: '2500', released_minor: '1500' },
      { outcome: 'released', captured_minor: '0', released_minor: '1500' },
    ]);
    // holds are append-only, and no wallet can hold more than it has, in the database itself
    await expect(
      t.sql(`UPDATE ledger_holds SET amount_minor = 1 WHERE id = $1`, [h.holdId]),
    ).rejects.toThrow(/append-only/);
    await expect(
      t.sql(`UPDATE ledger_accounts SET held_minor = balance_minor + 1 WHERE prisoner_id = $1`, [
        p.id,
      ]),
    ).rejects.toThrow(/check/i);
  });

  it('lets a hold expire: past its expiry it counts for nothing, is settled as expired, and cannot be captured', async () => {
    const p = await t.createPrisoner(facility.id);
    const card = await issueCard(p.id);
    await cash(p.id, 3_000).expect(201);
    const start = new Date();
    t.setNow(start);
    try {
      const h = await hold(p.id, 2_000, new Date(start.getTime() + 10 * 60_000));
      const before = (await charge(card.cardNumber, 2_000).expect(201)).body as Decision;
      expect(before.reasons.map((r) => r.code)).toEqual(['INSUFFICIENT_FUNDS']);
      t.setNow(new Date(start.getTime() + 10 * 60_000));
      expect(await account(p.id)).toMatchObject({ heldMinor: 0, availableMinor: 3_000 });
      const after = (await charge(card.cardNumber, 2_000).expect(201)).body as Decision;
      expect(after).toMatchObject({ outcome: 'approved', balanceAfterMinor: 1_000 });
      const [s] = await t.sql<{ outcome: string; released_minor: string }>(
        `SELECT outcome, released_minor FROM ledger_hold_settlements WHERE hold_id = $1`,
        [h.holdId],
      );
      expect(s).toEqual({ outcome: 'expired', released_minor: '2000' });
      await expect(capture(h.holdId, 100)).rejects.toMatchObject({ code: 'HOLD_CLOSED' });
      await expect(hold(p.id, 100, new Date(start.getTime()))).rejects.toMatchObject({
        code: 'RULE_VIOLATION',
      });
    } finally {
      t.setNow(null);
    }
  });

  it('races 15 shop charges and 15 holds of 5.00 on a 100.00 wallet: exactly 20 win, nothing is overdrawn', async () => {
    const p = await t.createPrisoner(facility.id);
    const card = await issueCard(p.id);
    await cash(p.id, 10_000).expect(201);
    const settled = await Promise.all([
      ...Array.from({ length: 15 }, async () => {
        const res = await charge(card.cardNumber, 500);
        expect(res.status).toBe(201);
        const d = res.body as Decision;
        if (d.outcome === 'declined')
          expect(d.reasons.map((r) => r.code)).toEqual(['INSUFFICIENT_FUNDS']);
        return { what: 'charge', won: d.outcome === 'approved', holdId: null };
      }),
      ...Array.from({ length: 15 }, async () => {
        try {
          const h = await hold(p.id, 500);
          return { what: 'hold', won: true, holdId: h.holdId };
        } catch (err) {
          expect(err).toMatchObject({ code: 'INSUFFICIENT_FUNDS' });
          return { what: 'hold', won: false, holdId: null };
        }
      }),
    ]);
    const charges = settled.filter((s) => s.what === 'charge' && s.won).length;
    const holds = settled.filter((s) => s.what === 'hold' && s.won);
    expect(charges + holds.length).toBe(20);
    expect(await account(p.id)).toEqual(
      expect.objectContaining({
        balanceMinor: 10_000 - 500 * charges,
        heldMinor: 500 * holds.length,
        availableMinor: 0,
      }),
    );
    // the calls end at once: each captures 1.00 and releases the rest
    await Promise.all(holds.map((h) => capture(h.holdId!, 100)));
    expect(await account(p.id)).toEqual(
      expect.objectContaining({
        balanceMinor: 10_000 - 500 * charges - 100 * holds.length,
        heldMinor: 0,
        availableMinor: 400 * holds.length,
      }),
    );
  });
});
