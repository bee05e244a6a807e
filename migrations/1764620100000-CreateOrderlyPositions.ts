import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Orderly positions (care): a prisoner on the facility's staff, assisting prisoners with
 * disabilities, a paid job. Held over [from_date, until_date) in the facility's local dates; a
 * prisoner holds at most one open position. Never deleted; ended once (dismissed with a reason,
 * or by the prisoner's transfer or release), and nothing else changes.
 */
export class CreateOrderlyPositions1764620100000 implements MigrationInterface {
  name = 'CreateOrderlyPositions1764620100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE orderly_positions (
        id uuid PRIMARY KEY,
        facility_id uuid NOT NULL REFERENCES facilities(id),
        prisoner_id uuid NOT NULL REFERENCES prisoners(id),
        from_date date NOT NULL,
        until_date date,
        appointed_by uuid NOT NULL,
        appointed_at timestamptz NOT NULL,
        policy_version_ids uuid[] NOT NULL,
        end_kind text CHECK (end_kind IN ('dismissed','transferred','released')),
        end_reason text,
        ended_by uuid,
        ended_at timestamptz,
        CHECK (until_date IS NULL OR until_date >= from_date),
        CHECK ((until_date IS NULL) = (end_kind IS NULL) AND (until_date IS NULL) = (ended_at IS NULL))
      )`);
    await q.query(
      `CREATE UNIQUE INDEX orderly_positions_open_key ON orderly_positions (prisoner_id) WHERE until_date IS NULL`,
    );
    await q.query(
      `CREATE INDEX orderly_positions_facility_idx ON orderly_positions (facility_id, from_date)`,
    );
    await q.query(`
      CREATE FUNCTION care_period_guard() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'DELETE' THEN
          RAISE EXCEPTION '% rows are kept: end one, never delete it', TG_TABLE_NAME
            USING ERRCODE = 'insufficient_privilege';
        END IF;
        -- only the end is written, once: every other column stays as inserted
        IF OLD.until_date IS NOT NULL
           OR (to_jsonb(NEW) - ARRAY['until_date','end_kind','end_reason','ended_by','ended_at'])
              IS DISTINCT FROM (to_jsonb(OLD) - ARRAY['until_date','end_kind','end_reason','ended_by','ended_at']) THEN
          RAISE EXCEPTION 'a row of % is only ended, once', TG_TABLE_NAME
            USING ERRCODE = 'insufficient_privilege';
        END IF;
        RETURN NEW;
      END $$`);
    await q.query(`
      CREATE TRIGGER orderly_positions_guarded BEFORE UPDATE OR DELETE ON orderly_positions
        FOR EACH ROW EXECUTE FUNCTION care_period_guard()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE orderly_positions`);
    await q.query(`DROP FUNCTION care_period_guard()`);
  }
}
