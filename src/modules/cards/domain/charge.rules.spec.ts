import { ChargeFacts, decideCharge } from './charge.rules';

const facts: ChargeFacts = {
  cardUsableHere: true,
  cardActive: true,
  amountMinor: 1_000,
  balanceMinor: 5_000,
  spentThisMonthMinor: 0,
  monthlyLimitMinor: 10_000,
};
const codes = (f: Partial<ChargeFacts>) => decideCharge({ ...facts, ...f }).map((r) => r.code);

describe('a charge to a prisoner card', () => {
  it('goes through on an active card with the money and the monthly room for it', () => {
    expect(decideCharge(facts)).toEqual([]);
  });

  describe('the balance', () => {
    it('may be spent to the last tiyn', () => {
      expect(codes({ amountMinor: 5_000, balanceMinor: 5_000 })).toEqual([]);
    });

    it('refuses one tiyn more than the balance, saying both', () => {
      const [reason] = decideCharge({ ...facts, amountMinor: 5_001, balanceMinor: 5_000 });
      expect(reason.code).toBe('INSUFFICIENT_FUNDS');
      expect(reason.message).toContain('5000');
      expect(reason.message).toContain('5001');
    });
  });

  describe('the monthly limit', () => {
    it('counts what was spent this month with the charge, up to the limit exactly', () => {
      expect(codes({ spentThisMonthMinor: 9_000, amountMinor: 1_000 })).toEqual([]);
    });

    it('refuses a charge that takes the month one tiyn over, saying spent, limit and amount', () => {
      const [reason] = decideCharge({ ...facts, spentThisMonthMinor: 9_001, amountMinor: 1_000 });
      expect(reason.code).toBe('MONTHLY_LIMIT');
      expect(reason.message).toContain('9001');
      expect(reason.message).toContain('10000');
      expect(reason.message).toContain('1000 more');
    });

    it('refuses a single charge over the limit in a month with nothing spent yet', () => {
      expect(codes({ balanceMinor: 20_000, amountMinor: 10_001 })).toEqual(['MONTHLY_LIMIT']);
    });
  });

  it('is refused on a blocked card', () => {
    const reasons = decideCharge({ ...facts, cardActive: false });
    expect(reasons).toEqual([{ code: 'CARD_BLOCKED', message: expect.stringMatching(/blocked/) }]);
  });

  it('gives every reason found, blocked first, then funds, then the limit', () => {
    expect(codes({ cardActive: false, amountMinor: 6_000, spentThisMonthMinor: 5_000 })).toEqual([
      'CARD_BLOCKED',
      'INSUFFICIENT_FUNDS',
      'MONTHLY_LIMIT',
    ]);
  });

  it('stops at an unknown card (or one not held here): nothing else about it is told', () => {
    const reasons = decideCharge({
      ...facts,
      cardUsableHere: false,
      cardActive: false,
      amountMinor: 99_999,
    });
    expect(reasons).toEqual([
      { code: 'UNKNOWN_CARD', message: expect.stringMatching(/No such card/) },
    ]);
  });
});
