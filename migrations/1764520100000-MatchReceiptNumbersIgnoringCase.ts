import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A cash receipt number is one receipt whatever its case (`RC-7` and `rc-7` are the same paper).
 * Numbers are kept as typed; uniqueness in the facility ignores case. Receipts already recorded
 * twice in two cases stop the migration with their numbers: a person must settle them first.
 */
export class MatchReceiptNumbersIgnoringCase1764520100000 implements MigrationInterface {
  name = 'MatchReceiptNumbersIgnoringCase1764520100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      DO $$
      DECLARE dups text;
      BEGIN
        SELECT string_agg(facility_id || ' ' || upper(receipt_number), ', ') INTO dups FROM (
          SELECT facility_id, upper(receipt_number) AS receipt_number FROM deposits
           WHERE method = 'cash' GROUP BY 1, 2 HAVING count(*) > 1) d;
        IF dups IS NOT NULL THEN
          RAISE EXCEPTION 'cash receipts recorded twice in two cases (facility, receipt): %', dups;
        END IF;
      END $$`);
    await q.query(`DROP INDEX deposits_receipt_key`);
    await q.query(
      `CREATE UNIQUE INDEX deposits_receipt_key ON deposits (facility_id, upper(receipt_number)) WHERE method = 'cash'`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX deposits_receipt_key`);
    await q.query(
      `CREATE UNIQUE INDEX deposits_receipt_key ON deposits (facility_id, receipt_number) WHERE method = 'cash'`,
    );
  }
}
