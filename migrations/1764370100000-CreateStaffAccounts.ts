import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateStaffAccounts1764370100000 implements MigrationInterface {
  name = 'CreateStaffAccounts1764370100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE staff_accounts (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        username text NOT NULL CHECK (username ~ '^[a-z0-9][a-z0-9._-]{2,63}$'),
        password_hash text NOT NULL,
        full_name text NOT NULL CHECK (char_length(full_name) BETWEEN 1 AND 200),
        roles text[] NOT NULL CHECK (
          cardinality(roles) > 0 AND roles <@ ARRAY['admin','policy-admin','intake-officer',
            'phone-officer','commissary-operator','finance-officer','visits-officer',
            'care-officer','auditor']::text[]),
        active boolean NOT NULL DEFAULT true,
        created_by uuid REFERENCES staff_accounts(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT staff_accounts_username_key UNIQUE (username)
      )`);
    // No rows = national scope; one row per facility otherwise.
    await q.query(`
      CREATE TABLE staff_facility_scopes (
        staff_id uuid NOT NULL REFERENCES staff_accounts(id) ON DELETE CASCADE,
        facility_id uuid NOT NULL REFERENCES facilities(id),
        PRIMARY KEY (staff_id, facility_id)
      )`);
    await q.query(
      `CREATE INDEX staff_facility_scopes_facility_idx ON staff_facility_scopes (facility_id)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE staff_facility_scopes`);
    await q.query(`DROP TABLE staff_accounts`);
  }
}
