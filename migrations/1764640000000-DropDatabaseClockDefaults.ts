import { MigrationInterface, QueryRunner } from 'typeorm';

const NOW: Array<[table: string, column: string]> = [
  ['facilities', 'created_at'],
  ['prisoners', 'created_at'],
  ['prisoners', 'updated_at'],
  ['staff_accounts', 'created_at'],
  ['staff_accounts', 'updated_at'],
  ['terminals', 'created_at'],
  ['relatives', 'created_at'],
  ['relative_links', 'created_at'],
  ['policy_versions', 'created_at'],
  ['policy_versions', 'updated_at'],
  ['parcels', 'updated_at'],
  ['deposits', 'updated_at'],
  ['stripe_events', 'received_at'],
];

/**
 * Every instant a use case writes comes from its clock, so these columns lose the database's
 * clock as a default: a writer that forgets the time fails instead of writing another clock's.
 * Kept: ledger_accounts.created_at (the ledger's own inserts rely on it) and
 * idempotency_keys.created_at (a safety net for keys written outside the runner).
 */
export class DropDatabaseClockDefaults1764640000000 implements MigrationInterface {
  name = 'DropDatabaseClockDefaults1764640000000';

  async up(q: QueryRunner): Promise<void> {
    for (const [table, column] of NOW)
      await q.query(`ALTER TABLE ${table} ALTER COLUMN ${column} DROP DEFAULT`);
    await q.query(`ALTER TABLE sign_in_failures ALTER COLUMN failed_at DROP DEFAULT`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const [table, column] of NOW)
      await q.query(`ALTER TABLE ${table} ALTER COLUMN ${column} SET DEFAULT now()`);
    await q.query(
      `ALTER TABLE sign_in_failures ALTER COLUMN failed_at SET DEFAULT clock_timestamp()`,
    );
  }
}
