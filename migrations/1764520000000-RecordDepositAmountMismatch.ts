import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A Stripe payment whose amount or currency is not the deposit's is recorded as such
 * (`amount-mismatch`): nothing is credited, and the reconciliation reports it for a person to settle.
 */
export class RecordDepositAmountMismatch1764520000000 implements MigrationInterface {
  name = 'RecordDepositAmountMismatch1764520000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE deposits DROP CONSTRAINT deposits_status_check`);
    await q.query(`
      ALTER TABLE deposits ADD CONSTRAINT deposits_status_check
        CHECK (status IN ('creating','pending','succeeded','failed','canceled','amount-mismatch'))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE deposits DROP CONSTRAINT deposits_status_check`);
    await q.query(`
      ALTER TABLE deposits ADD CONSTRAINT deposits_status_check
        CHECK (status IN ('creating','pending','succeeded','failed','canceled'))`);
  }
}
