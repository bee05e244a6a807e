import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The phones' schedule: a prisoner booked on one payphone for a stretch of time. The database
 * itself refuses two live bookings overlapping on one phone, and one prisoner on two phones at
 * once (exclusion constraints over time ranges, with btree_gist for the ids); cancelled bookings
 * stay as history.
 */
export class CreatePayphoneBookings1764600200000 implements MigrationInterface {
  name = 'CreatePayphoneBookings1764600200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE EXTENSION IF NOT EXISTS btree_gist`);
    await q.query(`
      CREATE TABLE payphone_bookings (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        facility_id uuid NOT NULL REFERENCES facilities(id),
        terminal_id uuid NOT NULL REFERENCES terminals(id),
        prisoner_id uuid NOT NULL REFERENCES prisoners(id),
        starts_at timestamptz NOT NULL,
        ends_at timestamptz NOT NULL,
        status text NOT NULL CHECK (status IN ('booked','cancelled')),
        local_date date NOT NULL,
        policy_version_ids uuid[] NOT NULL DEFAULT '{}',
        created_by uuid NOT NULL,
        created_at timestamptz NOT NULL,
        cancelled_at timestamptz,
        cancelled_by uuid,
        cancel_reason text CHECK (char_length(cancel_reason) <= 1000),
        CHECK (ends_at > starts_at),
        CHECK ((status = 'cancelled') = (cancelled_at IS NOT NULL)),
        CONSTRAINT payphone_bookings_phone_overlap EXCLUDE USING gist
          (terminal_id WITH =, tstzrange(starts_at, ends_at) WITH &&) WHERE (status = 'booked'),
        CONSTRAINT payphone_bookings_prisoner_overlap EXCLUDE USING gist
          (prisoner_id WITH =, tstzrange(starts_at, ends_at) WITH &&) WHERE (status = 'booked')
      )`);
    await q.query(
      `CREATE INDEX payphone_bookings_day_idx ON payphone_bookings (terminal_id, local_date)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    // btree_gist stays: other tables may use it
    await q.query(`DROP TABLE payphone_bookings`);
  }
}
