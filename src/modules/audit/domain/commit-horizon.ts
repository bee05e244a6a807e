/**
 * The line below which every writing transaction has ended, as the audit list needs it (see
 * AuditRepository.list), taken from a snapshot (`pg_current_snapshot()`, full 64-bit ids):
 *
 * - the snapshot's running transactions (`xip`) hold the line at the oldest of them, and with
 *   none, its first id not yet ended (`xmax`) is the line: every id below it was handed out
 *   before the snapshot, and is not running, so it has ended;
 * - except the running transactions known to belong to another database of the cluster (from
 *   pg_stat_activity and pg_prepared_xacts, 32-bit ids): they cannot write here, and a busy
 *   neighbour must not hold the list back. Only those known: a transaction not named as another
 *   database's holds the line, whoever it is (a prepared transaction of this database, one whose
 *   backend left before it was looked up), so an error can only make the list wait, never skip;
 * - a snapshot taken on a standby lists its running transactions elsewhere (its `xip` is empty
 *   whatever runs on the primary): there the oldest running one (`xmin`) is the line.
 *
 * No 32-bit id is widened to a full one here: another database's id is matched by its low half
 * (running ids are less than 2^31 apart, so the low half names one of them).
 */

const LOW_MASK = 2n ** 32n - 1n;

export interface SnapshotIds {
  xmin: bigint;
  xmax: bigint;
  /** The running transactions, as full ids. */
  xip: readonly bigint[];
}

/** Every transaction with a full id below the result has ended (as of the snapshot). */
export function commitHorizon(s: SnapshotIds, otherDatabases: readonly bigint[]): bigint {
  if (s.xmin > s.xmax) throw new RangeError(`not a snapshot: xmin ${s.xmin} > xmax ${s.xmax}`);
  if (s.xip.length === 0) return s.xmin;
  const elsewhere = new Set(otherDatabases.map((x) => x & LOW_MASK));
  let horizon = s.xmax;
  for (const x of s.xip) {
    if (x < horizon && !elsewhere.has(x & LOW_MASK)) horizon = x;
  }
  return horizon;
}
