import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An orderly assignment also ends when the prisoner it assists no longer needs help (their last
 * disability record in force ended): end kind `need-ended`.
 */
export class EndAssignmentsWithTheNeed1764710000000 implements MigrationInterface {
  name = 'EndAssignmentsWithTheNeed1764710000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE orderly_assignments DROP CONSTRAINT orderly_assignments_end_kind_check`,
    );
    await q.query(`
      ALTER TABLE orderly_assignments ADD CONSTRAINT orderly_assignments_end_kind_check
        CHECK (end_kind IN ('ended','dismissed','transferred','released','need-ended'))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE orderly_assignments DROP CONSTRAINT orderly_assignments_end_kind_check`,
    );
    await q.query(`
      ALTER TABLE orderly_assignments ADD CONSTRAINT orderly_assignments_end_kind_check
        CHECK (end_kind IN ('ended','dismissed','transferred','released'))`);
  }
}
