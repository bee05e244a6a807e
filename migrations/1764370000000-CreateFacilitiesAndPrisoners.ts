import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateFacilitiesAndPrisoners1764370000000 implements MigrationInterface {
  name = 'CreateFacilitiesAndPrisoners1764370000000';

  async up(q: QueryRunner): Promise<void> {
    // Shared by every append-only table: history is added to, never rewritten.
    await q.query(`
      CREATE FUNCTION forbid_mutation() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION '% on % is not allowed: the table is append-only', TG_OP, TG_TABLE_NAME
          USING ERRCODE = 'insufficient_privilege';
      END $$`);

    await q.query(`
      CREATE TABLE facilities (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        code text NOT NULL CHECK (code ~ '^[A-Z0-9][A-Z0-9-]{1,31}$'),
        name text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 200),
        time_zone text NOT NULL CHECK (char_length(time_zone) BETWEEN 1 AND 64),
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT facilities_code_key UNIQUE (code)
      )`);

    await q.query(`
      CREATE TABLE prisoners (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        facility_id uuid NOT NULL REFERENCES facilities(id),
        personal_number text NOT NULL CHECK (personal_number ~ '^[A-Z0-9][A-Z0-9-]{2,31}$'),
        full_name text NOT NULL CHECK (char_length(full_name) BETWEEN 1 AND 200),
        security_level text NOT NULL
          CHECK (security_level IN ('minimum','medium','maximum','extreme','mixed','full')),
        conditions text NOT NULL
          CHECK (conditions IN ('strict','ordinary','facilitated','preferential')),
        status text NOT NULL DEFAULT 'held' CHECK (status IN ('held','released')),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT prisoners_personal_number_key UNIQUE (personal_number)
      )`);
    await q.query(
      `CREATE INDEX prisoners_facility_idx ON prisoners (facility_id, personal_number)`,
    );

    await q.query(`
      CREATE TABLE prisoner_conditions_changes (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        prisoner_id uuid NOT NULL REFERENCES prisoners(id),
        facility_id uuid NOT NULL REFERENCES facilities(id),
        from_conditions text
          CHECK (from_conditions IN ('strict','ordinary','facilitated','preferential')),
        to_conditions text NOT NULL
          CHECK (to_conditions IN ('strict','ordinary','facilitated','preferential')),
        reason text NOT NULL CHECK (char_length(reason) BETWEEN 1 AND 1000),
        changed_by uuid,
        -- clock_timestamp, not now(): rows are written in lock order, and history is read in it
        changed_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        CHECK (from_conditions IS DISTINCT FROM to_conditions)
      )`);
    await q.query(
      `CREATE INDEX prisoner_conditions_changes_prisoner_idx ON prisoner_conditions_changes (prisoner_id, changed_at)`,
    );

    await q.query(`
      CREATE TABLE prisoner_transfers (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        prisoner_id uuid NOT NULL REFERENCES prisoners(id),
        from_facility_id uuid NOT NULL REFERENCES facilities(id),
        to_facility_id uuid NOT NULL REFERENCES facilities(id),
        reason text CHECK (char_length(reason) <= 1000),
        transferred_by uuid,
        transferred_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        CHECK (from_facility_id <> to_facility_id)
      )`);
    await q.query(
      `CREATE INDEX prisoner_transfers_prisoner_idx ON prisoner_transfers (prisoner_id, transferred_at)`,
    );

    for (const t of ['prisoner_conditions_changes', 'prisoner_transfers']) {
      await q.query(
        `CREATE TRIGGER ${t}_append_only BEFORE UPDATE OR DELETE ON ${t}
         FOR EACH ROW EXECUTE FUNCTION forbid_mutation()`,
      );
    }
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE prisoner_transfers`);
    await q.query(`DROP TABLE prisoner_conditions_changes`);
    await q.query(`DROP TABLE prisoners`);
    await q.query(`DROP TABLE facilities`);
    await q.query(`DROP FUNCTION forbid_mutation()`);
  }
}
