import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateParcels1764400000000 implements MigrationInterface {
  name = 'CreateParcels1764400000000';

  async up(q: QueryRunner): Promise<void> {
    // Every intake decision, refused ones too. `prisoner_id` is set only when the prisoner named
    // is held in the facility; the id as given is kept either way.
    await q.query(`
      CREATE TABLE parcels (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        facility_id uuid NOT NULL REFERENCES facilities(id),
        requested_prisoner_id uuid NOT NULL,
        prisoner_id uuid REFERENCES prisoners(id),
        kind text NOT NULL CHECK (kind IN ('parcel','small-parcel')),
        sender_name text NOT NULL CHECK (char_length(sender_name) BETWEEN 1 AND 200),
        weight_grams integer NOT NULL CHECK (weight_grams > 0 AND weight_grams <= 1000000),
        items jsonb NOT NULL CHECK (jsonb_typeof(items) = 'array'),
        outcome text NOT NULL CHECK (outcome IN ('accepted','refused')),
        reasons jsonb NOT NULL DEFAULT '[]',
        policy_version_ids uuid[] NOT NULL DEFAULT '{}',
        status text CHECK (status IN ('received','inspected','handed-over','returned','seized')),
        counts_against_allowance boolean NOT NULL DEFAULT false,
        period_year integer NOT NULL,
        local_date date NOT NULL,
        registered_at timestamptz NOT NULL,
        registered_by_kind text NOT NULL CHECK (registered_by_kind IN ('staff','terminal')),
        registered_by_id uuid NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK ((outcome = 'accepted') = (status IS NOT NULL)),
        CHECK (outcome = 'accepted' OR NOT counts_against_allowance),
        CHECK (outcome = 'refused' OR prisoner_id IS NOT NULL)
      )`);
    await q.query(`
      CREATE INDEX parcels_allowance_idx ON parcels (prisoner_id, period_year, kind)
        WHERE counts_against_allowance`);
    await q.query(
      `CREATE INDEX parcels_prisoner_idx ON parcels (requested_prisoner_id, registered_at, id)`,
    );
    await q.query(
      `CREATE INDEX parcels_facility_day_idx ON parcels (facility_id, local_date, registered_at, id)`,
    );

    // The parcel's life after intake, step by step; never rewritten.
    await q.query(`
      CREATE TABLE parcel_events (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        parcel_id uuid NOT NULL REFERENCES parcels(id),
        from_status text,
        to_status text NOT NULL,
        note text CHECK (char_length(note) <= 2000),
        seized_items jsonb,
        actor_kind text NOT NULL,
        actor_id uuid NOT NULL,
        occurred_at timestamptz NOT NULL DEFAULT clock_timestamp()
      )`);
    await q.query(
      `CREATE INDEX parcel_events_parcel_idx ON parcel_events (parcel_id, occurred_at)`,
    );
    await q.query(`
      CREATE TRIGGER parcel_events_append_only BEFORE UPDATE OR DELETE ON parcel_events
        FOR EACH ROW EXECUTE FUNCTION forbid_mutation()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE parcel_events`);
    await q.query(`DROP TABLE parcels`);
  }
}
