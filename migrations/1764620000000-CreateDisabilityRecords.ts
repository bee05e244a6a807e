import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Disability records of prisoners (care). Periods are local dates of the facility, [valid_from,
 * valid_until). A record is never deleted and, once written, changes only in two ways: it is ended
 * once (valid_until and who, when, why), and it follows its prisoner (facility_id: the facility
 * holding them, null once released), so the care office of the facility that holds them sees it.
 */
export class CreateDisabilityRecords1764620000000 implements MigrationInterface {
  name = 'CreateDisabilityRecords1764620000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE disability_records (
        id uuid PRIMARY KEY,
        prisoner_id uuid NOT NULL REFERENCES prisoners(id),
        facility_id uuid REFERENCES facilities(id),
        kind text NOT NULL CHECK (kind IN ('wheelchair','blind','deaf','other')),
        note text NOT NULL,
        valid_from date NOT NULL,
        valid_until date,
        recorded_by uuid NOT NULL,
        recorded_at timestamptz NOT NULL,
        ended_by uuid,
        ended_at timestamptz,
        end_reason text,
        CHECK (valid_until IS NULL OR valid_until >= valid_from),
        CHECK ((ended_at IS NULL) = (ended_by IS NULL) AND (ended_at IS NULL) = (end_reason IS NULL)),
        CHECK (ended_at IS NULL OR valid_until IS NOT NULL)
      )`);
    await q.query(
      `CREATE INDEX disability_records_prisoner_idx ON disability_records (prisoner_id, valid_from)`,
    );
    await q.query(
      `CREATE INDEX disability_records_facility_idx ON disability_records (facility_id, prisoner_id)`,
    );
    await q.query(`
      CREATE FUNCTION disability_records_guard() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'DELETE' THEN
          RAISE EXCEPTION 'disability records are kept: end a record, never delete it'
            USING ERRCODE = 'insufficient_privilege';
        END IF;
        IF (NEW.id, NEW.prisoner_id, NEW.kind, NEW.note, NEW.valid_from, NEW.recorded_by, NEW.recorded_at)
           IS DISTINCT FROM (OLD.id, OLD.prisoner_id, OLD.kind, OLD.note, OLD.valid_from, OLD.recorded_by, OLD.recorded_at)
           OR (OLD.ended_at IS NOT NULL AND (NEW.valid_until, NEW.ended_by, NEW.ended_at, NEW.end_reason)
               IS DISTINCT FROM (OLD.valid_until, OLD.ended_by, OLD.ended_at, OLD.end_reason))
           OR (OLD.ended_at IS NULL AND NEW.ended_at IS NULL AND NEW.valid_until IS DISTINCT FROM OLD.valid_until) THEN
          RAISE EXCEPTION 'a disability record is only ended, once, or follows its prisoner'
            USING ERRCODE = 'insufficient_privilege';
        END IF;
        RETURN NEW;
      END $$`);
    await q.query(`
      CREATE TRIGGER disability_records_guarded BEFORE UPDATE OR DELETE ON disability_records
        FOR EACH ROW EXECUTE FUNCTION disability_records_guard()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE disability_records`);
    await q.query(`DROP FUNCTION disability_records_guard()`);
  }
}
