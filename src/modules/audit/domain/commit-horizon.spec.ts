import { commitHorizon, widenXid } from './commit-horizon';

const EPOCH = 2n ** 32n;

describe('widening a running 32-bit transaction id to its full id', () => {
  it('keeps an id of the same epoch as the snapshot, older or newer than it', () => {
    expect(widenXid(995n, 1000n)).toBe(995n);
    expect(widenXid(1000n, 1000n)).toBe(1000n);
    expect(widenXid(1005n, 1000n)).toBe(1005n);
    expect(widenXid(7n, 3n * EPOCH + 9n)).toBe(3n * EPOCH + 7n);
    expect(widenXid(11n, 3n * EPOCH + 9n)).toBe(3n * EPOCH + 11n);
  });

  it('puts an id from just before an epoch boundary in the previous epoch', () => {
    expect(widenXid(EPOCH - 2n, EPOCH + 3n)).toBe(EPOCH - 2n);
    expect(widenXid(EPOCH - 2n, 5n * EPOCH + 3n)).toBe(5n * EPOCH - 2n);
  });

  it('puts an id taken after the snapshot, across an epoch boundary, in the next epoch', () => {
    expect(widenXid(4n, EPOCH - 3n)).toBe(EPOCH + 4n);
  });

  it('decides by the nearest id: up to 2^31 back, and less than that ahead', () => {
    const near = 10n * EPOCH + 100n;
    const back = near - 2n ** 31n;
    expect(widenXid(back % EPOCH, near)).toBe(back);
    const ahead = near + 2n ** 31n - 1n;
    expect(widenXid(ahead % EPOCH, near)).toBe(ahead);
  });

  it('never answers an id below zero: in the first epoch, an id "before" it is after', () => {
    expect(widenXid(EPOCH - 1n, 5n)).toBe(EPOCH - 1n);
    expect(widenXid(0n, 0n)).toBe(0n);
  });

  it('refuses what is not a 32-bit id, or a negative full id', () => {
    expect(() => widenXid(-1n, 10n)).toThrow(RangeError);
    expect(() => widenXid(EPOCH, 10n)).toThrow(RangeError);
    expect(() => widenXid(5n, -1n)).toThrow(RangeError);
  });
});

describe('the commit horizon of the audit list', () => {
  it('is the snapshot’s first unfinished id when nothing is running', () => {
    expect(commitHorizon(1000n, [])).toBe(1000n);
  });

  it('is the oldest running transaction when one is older than the snapshot’s end', () => {
    expect(commitHorizon(1000n, [998n, 995n, 999n])).toBe(995n);
  });

  it('is not moved by transactions that took their id after the snapshot', () => {
    // the running ids are read after the snapshot: new transactions show up above its xmax
    expect(commitHorizon(1000n, [1003n, 1001n])).toBe(1000n);
    expect(commitHorizon(1000n, [1003n, 997n])).toBe(997n);
  });

  it('counts a transaction from before an epoch boundary as the oldest', () => {
    expect(commitHorizon(EPOCH + 3n, [1n, EPOCH - 2n])).toBe(EPOCH - 2n);
  });

  it('is not moved by a transaction that took its id across an epoch boundary after the snapshot', () => {
    expect(commitHorizon(EPOCH - 3n, [2n])).toBe(EPOCH - 3n);
    expect(commitHorizon(EPOCH - 3n, [2n, EPOCH - 5n])).toBe(EPOCH - 5n);
  });
});
