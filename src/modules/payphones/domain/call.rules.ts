/** Why a call is refused; a decision lists every reason that applies. */
export const CALL_REASONS = [
  'PRISONER_NOT_IN_FACILITY',
  'NUMBER_NOT_APPROVED',
  'OUTSIDE_HOURS',
  'INSUFFICIENT_FUNDS',
  'ALLOWANCE_EXHAUSTED',
  'CALL_IN_PROGRESS',
  'PHONE_BOOKED',
] as const;
export type CallReasonCode = (typeof CALL_REASONS)[number];

export interface CallReason {
  code: CallReasonCode;
  message: string;
}

/** What the decision reads, for a prisoner held in the terminal's facility. */
export interface CallFacts {
  numberApproved: boolean;
  /** A defence lawyer's number: exempt from the month's calls. */
  legal: boolean;
  open: boolean;
  /** Seconds left until closing time (0 when closed). */
  secondsToClose: number;
  maxCallMinutes: number;
  tariffMinorPerMinute: number;
  /** Balance less open holds. */
  availableMinor: number;
  callsPerMonth: number;
  /** Calls of this month that count against it. */
  callsThisMonth: number;
  callInProgress: boolean;
  /** This phone is booked now for someone else. */
  phoneBookedForOther: boolean;
  /** Seconds until this phone's next booking by someone else (null: none before closing). */
  secondsToNextBooking: number | null;
}

export interface CallDecision {
  reasons: CallReason[];
  /** 0 when denied. */
  maxDurationSeconds: number;
  /** What the call may cost at most: the hold placed on the card (0 when denied or free). */
  holdMinor: number;
}

/** The most whole minutes `available` pays at `tariff` (unbounded when calls are free). */
function minutesPaid(availableMinor: number, tariff: number): number {
  return tariff === 0 ? Number.POSITIVE_INFINITY : Math.floor(availableMinor / tariff);
}

/**
 * Authorise or deny a call. Authorised: it may last the smallest of the longest call, the time
 * to closing, what the card pays at the tariff, the time to this phone's next booking by someone
 * else; the hold is the price of every started minute of that.
 */
export function decideCall(f: CallFacts): CallDecision {
  const reasons: CallReason[] = [];
  const add = (code: CallReasonCode, message: string) => reasons.push({ code, message });
  if (!f.numberApproved)
    add('NUMBER_NOT_APPROVED', 'The number is not on the prisoner’s approved list');
  if (!f.open) add('OUTSIDE_HOURS', 'The payphones are closed now (facility time)');
  const paid = minutesPaid(f.availableMinor, f.tariffMinorPerMinute);
  if (paid < 1) add('INSUFFICIENT_FUNDS', `The card’s available balance does not pay one minute`);
  if (!f.legal && f.callsThisMonth >= f.callsPerMonth)
    add('ALLOWANCE_EXHAUSTED', `The month’s ${f.callsPerMonth} calls are used`);
  if (f.callInProgress) add('CALL_IN_PROGRESS', 'The prisoner is on another call');
  if (f.phoneBookedForOther) add('PHONE_BOOKED', 'This phone is booked for someone else now');
  if (reasons.length > 0) return { reasons, maxDurationSeconds: 0, holdMinor: 0 };

  const max = Math.min(
    f.maxCallMinutes * 60,
    f.secondsToClose,
    paid * 60,
    f.secondsToNextBooking ?? Number.POSITIVE_INFINITY,
  );
  return {
    reasons,
    maxDurationSeconds: max,
    holdMinor: Math.ceil(max / 60) * f.tariffMinorPerMinute,
  };
}

/**
 * What a call that lasted `durationSeconds` costs: every started minute at the tariff of its
 * authorisation, never more than was held for it.
 */
export function callCost(
  durationSeconds: number,
  tariffMinorPerMinute: number,
  heldMinor: number,
): number {
  return Math.min(Math.ceil(durationSeconds / 60) * tariffMinorPerMinute, heldMinor);
}

/**
 * Whether an authorised call takes a place of the month's calls: calls to a legal contact do not,
 * nor calls that ended without connecting (0 seconds), nor calls cancelled by a transfer or release.
 */
export function countsAgainstAllowance(c: {
  legal: boolean;
  status: 'in-progress' | 'ended' | 'unreported' | 'cancelled';
  durationSeconds: number | null;
}): boolean {
  if (c.legal || c.status === 'cancelled') return false;
  return !(c.status === 'ended' && c.durationSeconds === 0);
}

/**
 * A call in progress that its terminal has not reported this long after its end-by is closed
 * `unreported` (its hold released, nothing charged).
 */
export const UNREPORTED_GRACE_SECONDS = 120;

/**
 * The ledger's hold outlives the call's grace by this much, so a late report or the closing job
 * finds it open; should both fail, the ledger lets it expire then.
 */
export const HOLD_MARGIN_SECONDS = 3600;
