import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Orderly assignments (care): an orderly assists a prisoner with a disability, over
 * [from_date, until_date) in the facility's local dates. Ended once (by an officer, the orderly's
 * dismissal, or either prisoner's transfer or release), never deleted. One open assignment per
 * pair; how many one orderly may assist is a policy, kept by the use case under the lock of the
 * orderly's position row.
 */
export class CreateOrderlyAssignments1764620200000 implements MigrationInterface {
  name = 'CreateOrderlyAssignments1764620200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE orderly_assignments (
        id uuid PRIMARY KEY,
        facility_id uuid NOT NULL REFERENCES facilities(id),
        position_id uuid NOT NULL REFERENCES orderly_positions(id),
        orderly_prisoner_id uuid NOT NULL REFERENCES prisoners(id),
        assisted_prisoner_id uuid NOT NULL REFERENCES prisoners(id),
        from_date date NOT NULL,
        until_date date,
        assigned_by uuid NOT NULL,
        assigned_at timestamptz NOT NULL,
        policy_version_ids uuid[] NOT NULL,
        end_kind text CHECK (end_kind IN ('ended','dismissed','transferred','released')),
        end_reason text,
        ended_by uuid,
        ended_at timestamptz,
        CHECK (orderly_prisoner_id <> assisted_prisoner_id),
        CHECK (until_date IS NULL OR until_date >= from_date),
        CHECK ((until_date IS NULL) = (end_kind IS NULL) AND (until_date IS NULL) = (ended_at IS NULL))
      )`);
    await q.query(`
      CREATE UNIQUE INDEX orderly_assignments_open_pair_key
        ON orderly_assignments (orderly_prisoner_id, assisted_prisoner_id) WHERE until_date IS NULL`);
    await q.query(
      `CREATE INDEX orderly_assignments_assisted_idx ON orderly_assignments (assisted_prisoner_id)`,
    );
    await q.query(
      `CREATE INDEX orderly_assignments_facility_idx ON orderly_assignments (facility_id) WHERE until_date IS NULL`,
    );
    await q.query(`
      CREATE TRIGGER orderly_assignments_guarded BEFORE UPDATE OR DELETE ON orderly_assignments
        FOR EACH ROW EXECUTE FUNCTION care_period_guard()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE orderly_assignments`);
  }
}
