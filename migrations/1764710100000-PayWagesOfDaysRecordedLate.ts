import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An orderly's wage for a month may be paid in more than one payment: days recorded late (an
 * appointment back-dated into a month already paid) are paid later, never twice. Each payment
 * says how many days of the month it pays (`days`) and how many were paid with it
 * (`paid_days_after`): the days it pays are (paid_days_after − days, paid_days_after]. An
 * exclusion constraint keeps those ranges of one orderly, facility and month from overlapping —
 * a day paid twice is refused by the database itself. It replaces the unique key on (facility,
 * prisoner, month) and keeps its name.
 */
export class PayWagesOfDaysRecordedLate1764710100000 implements MigrationInterface {
  name = 'PayWagesOfDaysRecordedLate1764710100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE EXTENSION IF NOT EXISTS btree_gist`);
    // the trigger forbids UPDATE: the backfill runs with it off, in this migration's transaction
    await q.query(`ALTER TABLE orderly_wages DISABLE TRIGGER orderly_wages_append_only`);
    await q.query(`ALTER TABLE orderly_wages ADD COLUMN paid_days_after int`);
    await q.query(`UPDATE orderly_wages SET paid_days_after = days`);
    await q.query(`ALTER TABLE orderly_wages ENABLE TRIGGER orderly_wages_append_only`);
    await q.query(`ALTER TABLE orderly_wages ALTER COLUMN paid_days_after SET NOT NULL`);
    await q.query(`
      ALTER TABLE orderly_wages ADD CONSTRAINT orderly_wages_paid_days_check
        CHECK (paid_days_after BETWEEN days AND 30)`);
    await q.query(`ALTER TABLE orderly_wages DROP CONSTRAINT orderly_wages_month_key`);
    await q.query(`
      ALTER TABLE orderly_wages ADD CONSTRAINT orderly_wages_month_key
        EXCLUDE USING gist (facility_id WITH =, prisoner_id WITH =, month WITH =,
                            int4range(paid_days_after - days, paid_days_after) WITH &&)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE orderly_wages DROP CONSTRAINT orderly_wages_month_key`);
    await q.query(`
      ALTER TABLE orderly_wages ADD CONSTRAINT orderly_wages_month_key
        UNIQUE (facility_id, prisoner_id, month)`);
    await q.query(`ALTER TABLE orderly_wages DROP CONSTRAINT orderly_wages_paid_days_check`);
    await q.query(`ALTER TABLE orderly_wages DROP COLUMN paid_days_after`);
  }
}
