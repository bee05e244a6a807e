import { callCost, CallFacts, countsAgainstAllowance, decideCall } from './call.rules';

const ok: CallFacts = {
  numberApproved: true,
  legal: false,
  open: true,
  secondsToClose: 3 * 3600,
  maxCallMinutes: 15,
  tariffMinorPerMinute: 2500,
  availableMinor: 1_000_000,
  callsPerMonth: 8,
  callsThisMonth: 0,
  callInProgress: false,
  phoneBookedForOther: false,
  secondsToNextBooking: null,
};
const codes = (f: Partial<CallFacts>) => decideCall({ ...ok, ...f }).reasons.map((r) => r.code);

describe('call authorisation', () => {
  it('authorises the longest call when nothing is shorter, holding every started minute', () => {
    expect(decideCall(ok)).toEqual({ reasons: [], maxDurationSeconds: 900, holdMinor: 37_500 });
  });

  it('ends by closing time: a minute before closing gives at most 60 seconds', () => {
    const d = decideCall({ ...ok, secondsToClose: 60 });
    expect(d.maxDurationSeconds).toBe(60);
    expect(d.holdMinor).toBe(2500);
    expect(decideCall({ ...ok, secondsToClose: 30 })).toMatchObject({
      maxDurationSeconds: 30,
      holdMinor: 2500,
    });
  });

  it('lasts no longer than the card pays, in whole minutes', () => {
    expect(decideCall({ ...ok, availableMinor: 7_499 })).toMatchObject({
      maxDurationSeconds: 120,
      holdMinor: 5_000,
    });
  });

  it('stops before this phone’s next booking by someone else', () => {
    expect(decideCall({ ...ok, secondsToNextBooking: 301 })).toMatchObject({
      maxDurationSeconds: 301,
      holdMinor: 6 * 2500,
    });
  });

  it('denies with every reason that applies, holding nothing', () => {
    const d = decideCall({
      ...ok,
      numberApproved: false,
      open: false,
      secondsToClose: 0,
      availableMinor: 2499,
      callsThisMonth: 8,
      callInProgress: true,
      phoneBookedForOther: true,
    });
    expect(d.reasons.map((r) => r.code)).toEqual([
      'NUMBER_NOT_APPROVED',
      'OUTSIDE_HOURS',
      'INSUFFICIENT_FUNDS',
      'ALLOWANCE_EXHAUSTED',
      'CALL_IN_PROGRESS',
      'PHONE_BOOKED',
    ]);
    expect(d).toMatchObject({ maxDurationSeconds: 0, holdMinor: 0 });
    for (const r of d.reasons) expect(r.message).not.toBe('');
  });

  it('one minute’s price is enough; a tiyn less is not', () => {
    expect(codes({ availableMinor: 2500 })).toEqual([]);
    expect(codes({ availableMinor: 2499 })).toEqual(['INSUFFICIENT_FUNDS']);
  });

  it('counts the month’s calls, except to a legal contact', () => {
    expect(codes({ callsThisMonth: 7 })).toEqual([]);
    expect(codes({ callsThisMonth: 8 })).toEqual(['ALLOWANCE_EXHAUSTED']);
    expect(codes({ callsThisMonth: 8, legal: true })).toEqual([]);
    expect(codes({ callsPerMonth: 0, legal: true })).toEqual([]);
  });

  it('free calls are bounded by the other limits alone, and hold nothing', () => {
    expect(decideCall({ ...ok, tariffMinorPerMinute: 0, availableMinor: 0 })).toEqual({
      reasons: [],
      maxDurationSeconds: 900,
      holdMinor: 0,
    });
  });
});

describe('what a call costs', () => {
  it('charges every started minute at the tariff: 61 s at 25.00 is 50.00', () => {
    expect(callCost(61, 2500, 37_500)).toBe(5_000);
    expect(callCost(60, 2500, 37_500)).toBe(2_500);
    expect(callCost(1, 2500, 37_500)).toBe(2_500);
    expect(callCost(0, 2500, 37_500)).toBe(0);
  });

  it('never more than was held', () => {
    expect(callCost(3600, 2500, 37_500)).toBe(37_500);
  });
});

describe('which calls take a place of the month’s', () => {
  it('authorised calls do, in progress or ended or never reported', () => {
    expect(
      countsAgainstAllowance({ legal: false, status: 'in-progress', durationSeconds: null }),
    ).toBe(true);
    expect(countsAgainstAllowance({ legal: false, status: 'ended', durationSeconds: 1 })).toBe(
      true,
    );
    expect(
      countsAgainstAllowance({ legal: false, status: 'unreported', durationSeconds: null }),
    ).toBe(true);
  });

  it('legal calls, calls that never connected and calls cancelled do not', () => {
    expect(countsAgainstAllowance({ legal: true, status: 'ended', durationSeconds: 600 })).toBe(
      false,
    );
    expect(countsAgainstAllowance({ legal: false, status: 'ended', durationSeconds: 0 })).toBe(
      false,
    );
    expect(
      countsAgainstAllowance({ legal: false, status: 'cancelled', durationSeconds: null }),
    ).toBe(false);
  });
});
