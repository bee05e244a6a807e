import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The deposit reconciliation asks Stripe about open deposits in turn: the one asked about longest
 * ago (or never) first. `checked_at` is when it last asked. Before, it took the oldest open ones,
 * always the same once more were open than one run looks at (deposits never paid stay open), and
 * a newer deposit whose webhook was lost was never reached.
 */
export class CheckOpenDepositsInTurn1764720000000 implements MigrationInterface {
  name = 'CheckOpenDepositsInTurn1764720000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE deposits ADD COLUMN checked_at timestamptz`);
    await q.query(
      `CREATE INDEX deposits_open_turn_idx ON deposits ((coalesce(checked_at, created_at)), id)
        WHERE method = 'stripe' AND status IN ('creating', 'pending')`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX deposits_open_turn_idx`);
    await q.query(`ALTER TABLE deposits DROP COLUMN checked_at`);
  }
}
