import { commitHorizon } from './commit-horizon';

const EPOCH = 2n ** 32n;

describe('the commit horizon of the audit list', () => {
  it('is the first id not yet ended when nothing runs', () => {
    expect(commitHorizon({ xmin: 1000n, xmax: 1000n, xip: [] }, [])).toBe(1000n);
  });

  it('is held at the oldest running transaction', () => {
    expect(commitHorizon({ xmin: 995n, xmax: 1000n, xip: [998n, 995n, 999n] }, [])).toBe(995n);
  });

  it('is not held by running transactions of other databases', () => {
    const s = { xmin: 995n, xmax: 1000n, xip: [998n, 995n, 999n] };
    expect(commitHorizon(s, [995n])).toBe(998n);
    expect(commitHorizon(s, [995n, 998n, 999n])).toBe(1000n);
  });

  it('is held by a running transaction nobody names, whoever runs it (it may write here)', () => {
    // e.g. a prepared transaction of this database, or one whose backend had left when looked up
    expect(commitHorizon({ xmin: 990n, xmax: 1000n, xip: [990n, 996n] }, [996n, 1002n])).toBe(990n);
  });

  it('matches another database’s 32-bit id to a running transaction by its low half', () => {
    const s = { xmin: 5n * EPOCH + 7n, xmax: 5n * EPOCH + 20n, xip: [5n * EPOCH + 7n] };
    expect(commitHorizon(s, [7n])).toBe(5n * EPOCH + 20n);
    // across an epoch boundary: the running transaction took its id just before it
    const across = { xmin: 2n * EPOCH - 2n, xmax: 2n * EPOCH + 3n, xip: [2n * EPOCH - 2n] };
    expect(commitHorizon(across, [EPOCH - 2n])).toBe(2n * EPOCH + 3n);
    expect(commitHorizon(across, [])).toBe(2n * EPOCH - 2n);
  });

  it('is the oldest running transaction on a standby, whose snapshot lists none', () => {
    expect(commitHorizon({ xmin: 990n, xmax: 1000n, xip: [] }, [990n])).toBe(990n);
  });

  it('never goes above the snapshot’s first id not yet ended', () => {
    expect(commitHorizon({ xmin: 999n, xmax: 1000n, xip: [999n] }, [999n])).toBe(1000n);
  });

  it('refuses what is not a snapshot', () => {
    expect(() => commitHorizon({ xmin: 1001n, xmax: 1000n, xip: [] }, [])).toThrow(RangeError);
  });
});
