import { MigrationInterface, QueryRunner } from 'typeorm';

const HISTORY = [
  { table: 'prisoner_conditions_changes', at: 'changed_at', key: 'prisoner_id' },
  { table: 'prisoner_transfers', at: 'transferred_at', key: 'prisoner_id' },
  { table: 'parcel_events', at: 'occurred_at', key: 'parcel_id' },
];

/**
 * History rows take their time from the use case's clock, like everything else the use case
 * decides, not from the database's (`clock_timestamp()`): no default any more, so a writer that
 * forgets the time fails. Their order is the order they were written in (each under its object's
 * row lock), kept by an identity column: times from the clocks of several instances need not
 * follow that order exactly.
 */
export class HistoryTimesFromTheClock1764500200000 implements MigrationInterface {
  name = 'HistoryTimesFromTheClock1764500200000';

  async up(q: QueryRunner): Promise<void> {
    for (const { table, at, key } of HISTORY) {
      await q.query(`ALTER TABLE ${table} ALTER COLUMN ${at} DROP DEFAULT`);
      // existing rows are numbered in the order they lie in (append-only: the order written)
      await q.query(`ALTER TABLE ${table} ADD COLUMN seq bigint GENERATED ALWAYS AS IDENTITY`);
      await q.query(`DROP INDEX ${table}_${key.replace('_id', '')}_idx`);
      await q.query(
        `CREATE INDEX ${table}_${key.replace('_id', '')}_idx ON ${table} (${key}, seq)`,
      );
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const { table, at, key } of HISTORY) {
      await q.query(`DROP INDEX ${table}_${key.replace('_id', '')}_idx`);
      await q.query(`ALTER TABLE ${table} DROP COLUMN seq`);
      await q.query(
        `CREATE INDEX ${table}_${key.replace('_id', '')}_idx ON ${table} (${key}, ${at})`,
      );
      await q.query(`ALTER TABLE ${table} ALTER COLUMN ${at} SET DEFAULT clock_timestamp()`);
    }
  }
}
