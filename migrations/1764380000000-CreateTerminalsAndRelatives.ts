import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateTerminalsAndRelatives1764380000000 implements MigrationInterface {
  name = 'CreateTerminalsAndRelatives1764380000000';

  async up(q: QueryRunner): Promise<void> {
    // The key itself is never stored: a lookup prefix and the SHA-256 of the whole key.
    await q.query(`
      CREATE TABLE terminals (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        facility_id uuid NOT NULL REFERENCES facilities(id),
        kind text NOT NULL CHECK (kind IN ('parcel-intake','payphone','commissary')),
        name text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 200),
        key_prefix text NOT NULL CHECK (key_prefix ~ '^[a-z0-9]{12}$'),
        key_hash text NOT NULL CHECK (key_hash ~ '^[0-9a-f]{64}$'),
        created_by uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        revoked_at timestamptz,
        revoked_by uuid,
        last_used_at timestamptz,
        CONSTRAINT terminals_key_prefix_key UNIQUE (key_prefix)
      )`);
    await q.query(`CREATE INDEX terminals_facility_idx ON terminals (facility_id, created_at)`);

    await q.query(`
      CREATE TABLE relatives (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        email text NOT NULL CHECK (email = lower(email) AND char_length(email) <= 254),
        password_hash text NOT NULL,
        full_name text NOT NULL CHECK (char_length(full_name) BETWEEN 1 AND 200),
        phone text NOT NULL CHECK (phone ~ '^\\+[1-9][0-9]{6,14}$'),
        active boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT relatives_email_key UNIQUE (email)
      )`);

    // A relative's request to be linked to a prisoner. The prisoner is named by facility and
    // personal number; prisoner_id is filled when such a prisoner is held there, so the answer to
    // the relative is the same whether or not the number exists.
    await q.query(`
      CREATE TABLE relative_links (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        relative_id uuid NOT NULL REFERENCES relatives(id),
        facility_id uuid NOT NULL REFERENCES facilities(id),
        prisoner_personal_number text NOT NULL CHECK (char_length(prisoner_personal_number) <= 32),
        prisoner_id uuid REFERENCES prisoners(id),
        relationship text NOT NULL CHECK (relationship IN
          ('spouse','parent','child','sibling','grandparent','grandchild','guardian','other')),
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','approved','rejected')),
        decided_by uuid,
        decided_at timestamptz,
        decision_note text CHECK (char_length(decision_note) <= 1000),
        created_at timestamptz NOT NULL DEFAULT now(),
        CHECK ((status = 'pending') = (decided_at IS NULL)),
        CHECK (status <> 'approved' OR prisoner_id IS NOT NULL)
      )`);
    await q.query(`
      CREATE UNIQUE INDEX relative_links_open_key ON relative_links
        (relative_id, facility_id, prisoner_personal_number) WHERE status IN ('pending','approved')`);
    await q.query(
      `CREATE INDEX relative_links_relative_idx ON relative_links (relative_id, created_at)`,
    );
    await q.query(
      `CREATE INDEX relative_links_facility_idx ON relative_links (facility_id, status, created_at)`,
    );
    await q.query(
      `CREATE INDEX relative_links_approved_idx ON relative_links (prisoner_id, relative_id) WHERE status = 'approved'`,
    );

    await q.query(`
      CREATE TABLE sign_in_failures (
        id bigserial PRIMARY KEY,
        account_kind text NOT NULL CHECK (account_kind IN ('staff','relative')),
        account_key text NOT NULL,
        failed_at timestamptz NOT NULL DEFAULT clock_timestamp()
      )`);
    await q.query(
      `CREATE INDEX sign_in_failures_account_idx ON sign_in_failures (account_kind, account_key, failed_at)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE sign_in_failures`);
    await q.query(`DROP TABLE relative_links`);
    await q.query(`DROP TABLE relatives`);
    await q.query(`DROP TABLE terminals`);
  }
}
