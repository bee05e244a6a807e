/**
 * The line below which every writing transaction has ended, as the audit list needs it (see
 * AuditRepository.list): given the first transaction id not yet ended when a snapshot was taken
 * (`pg_snapshot_xmax`, a full 64-bit id) and the ids of the transactions seen running afterwards
 * (`pg_stat_activity.backend_xid`, 32 bits: the low half of a full id), it is the lowest of them,
 * each running id widened to its full id first.
 *
 * Widening takes the full id nearest to `xmax` whose low half is the running id. A running id is
 * never 2^31 or more away from `xmax` (PostgreSQL stops handing out ids long before that), so the
 * nearest is the right one, on either side: below when the id is older than the snapshot, even
 * across an epoch boundary (`xmax` just past a multiple of 2^32, the id just before it), and
 * above when the transaction took its id after the snapshot was taken, which happens, as the
 * running ids are read after it. Such an id is above `xmax` and so does not lower the line: it
 * must not be read as an id of the previous epoch, which would put the line below zero (and a
 * negative xid8 is read as 2^64 minus it: the line would be past every transaction).
 */

const LOW = 2n ** 32n;
const HALF = 2n ** 31n;

/** The full id nearest to `near` whose low 32 bits are `low`. */
export function widenXid(low: bigint, near: bigint): bigint {
  if (low < 0n || low >= LOW) throw new RangeError(`not a 32-bit transaction id: ${low}`);
  if (near < 0n) throw new RangeError(`not a transaction id: ${near}`);
  const offset = (((low - (near % LOW) + HALF) % LOW) + LOW) % LOW;
  const full = near + offset - HALF;
  // an id "before" the first epoch does not exist: the nearest one that does is after `near`
  return full < 0n ? full + LOW : full;
}

/** Every transaction with a full id below the result has ended (as of the running ids' read). */
export function commitHorizon(xmax: bigint, running: readonly bigint[]): bigint {
  let horizon = xmax;
  for (const low of running) {
    const full = widenXid(low, xmax);
    if (full < horizon) horizon = full;
  }
  return horizon;
}
