import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateLongVisits1764610000000 implements MigrationInterface {
  name = 'CreateLongVisits1764610000000';

  async up(q: QueryRunner): Promise<void> {
    // btree_gist: equality on a uuid beside overlap on a range, in one exclusion constraint
    await q.query(`CREATE EXTENSION IF NOT EXISTS btree_gist`);

    await q.query(`
      CREATE TABLE visit_rooms (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        facility_id uuid NOT NULL REFERENCES facilities(id),
        name text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 100),
        capacity integer NOT NULL CHECK (capacity BETWEEN 1 AND 20),
        active boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL,
        CONSTRAINT visit_rooms_name_key UNIQUE (facility_id, name)
      )`);

    // A room out of use for a range of local dates (repairs); the bookings it hits are cancelled.
    await q.query(`
      CREATE TABLE visit_room_closures (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        room_id uuid NOT NULL REFERENCES visit_rooms(id),
        facility_id uuid NOT NULL REFERENCES facilities(id),
        from_date date NOT NULL,
        to_date date NOT NULL,
        reason text NOT NULL CHECK (char_length(reason) BETWEEN 1 AND 1000),
        created_by uuid NOT NULL,
        created_at timestamptz NOT NULL,
        CHECK (to_date >= from_date)
      )`);
    await q.query(`
      CREATE INDEX visit_room_closures_range_idx ON visit_room_closures
        USING gist (room_id, daterange(from_date, to_date, '[]'))`);

    // A long visit: from the check-in time of its first day to the check-out time of its last
    // (facility time), as instants. Live bookings (requested, approved) never overlap in a room
    // nor for a prisoner: the database holds that, whatever the application does.
    await q.query(`
      CREATE TABLE long_visits (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        reference text NOT NULL CONSTRAINT long_visits_reference_key UNIQUE,
        facility_id uuid NOT NULL REFERENCES facilities(id),
        room_id uuid NOT NULL REFERENCES visit_rooms(id),
        prisoner_id uuid NOT NULL REFERENCES prisoners(id),
        relative_id uuid NOT NULL REFERENCES relatives(id),
        start_date date NOT NULL,
        end_date date NOT NULL,
        days integer NOT NULL CHECK (days BETWEEN 1 AND 31),
        starts_at timestamptz NOT NULL,
        ends_at timestamptz NOT NULL,
        period_year integer NOT NULL,
        visitors jsonb NOT NULL CHECK (jsonb_typeof(visitors) = 'array'),
        required_documents text[] NOT NULL,
        policy_version_ids uuid[] NOT NULL,
        status text NOT NULL
          CHECK (status IN ('requested','approved','rejected','cancelled','completed','no-show')),
        status_reason text CHECK (char_length(status_reason) <= 1000),
        status_changed_by uuid,
        status_changed_at timestamptz,
        created_at timestamptz NOT NULL,
        CHECK (end_date = start_date + days - 1),
        CHECK (ends_at > starts_at),
        CONSTRAINT long_visits_room_overlap EXCLUDE USING gist
          (room_id WITH =, tstzrange(starts_at, ends_at) WITH &&)
          WHERE (status IN ('requested','approved')),
        CONSTRAINT long_visits_prisoner_overlap EXCLUDE USING gist
          (prisoner_id WITH =, tstzrange(starts_at, ends_at) WITH &&)
          WHERE (status IN ('requested','approved'))
      )`);
    await q.query(
      `CREATE INDEX long_visits_relative_idx ON long_visits (relative_id, starts_at, id)`,
    );
    await q.query(
      `CREATE INDEX long_visits_facility_idx ON long_visits (facility_id, start_date, id)`,
    );
    await q.query(
      `CREATE INDEX long_visits_entitlement_idx ON long_visits (prisoner_id, period_year)
         WHERE status IN ('requested','approved','completed')`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE long_visits`);
    await q.query(`DROP TABLE visit_room_closures`);
    await q.query(`DROP TABLE visit_rooms`);
    // btree_gist stays: other tables may use it
  }
}
