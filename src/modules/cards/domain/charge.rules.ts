export type ChargeReasonCode =
  'INSUFFICIENT_FUNDS' | 'MONTHLY_LIMIT' | 'CARD_BLOCKED' | 'UNKNOWN_CARD';

export interface ChargeReason {
  code: ChargeReasonCode;
  message: string;
}

export interface ChargeFacts {
  /** The card is known, and its prisoner is held in the terminal's facility. */
  cardUsableHere: boolean;
  cardActive: boolean;
  amountMinor: number;
  balanceMinor: number;
  spentThisMonthMinor: number;
  monthlyLimitMinor: number;
}

/** Every reason to decline (an unknown card stops there: nothing else is known). */
export function decideCharge(f: ChargeFacts): ChargeReason[] {
  if (!f.cardUsableHere)
    return [{ code: 'UNKNOWN_CARD', message: 'No such card at this facility' }];
  const reasons: ChargeReason[] = [];
  if (!f.cardActive) reasons.push({ code: 'CARD_BLOCKED', message: 'The card is blocked' });
  if (f.amountMinor > f.balanceMinor) {
    reasons.push({
      code: 'INSUFFICIENT_FUNDS',
      message: `Balance ${f.balanceMinor} is less than ${f.amountMinor}`,
    });
  }
  if (f.spentThisMonthMinor + f.amountMinor > f.monthlyLimitMinor) {
    reasons.push({
      code: 'MONTHLY_LIMIT',
      message: `${f.spentThisMonthMinor} spent of ${f.monthlyLimitMinor} this month; ${f.amountMinor} more is over the limit`,
    });
  }
  return reasons;
}
