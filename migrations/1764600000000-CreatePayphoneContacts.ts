import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The numbers a prisoner may call: asked for by a phone officer or a linked relative, approved or
 * rejected by a phone officer, removable. A contact goes with its prisoner (no facility of its
 * own). One number is on a prisoner's list once while it is pending or approved.
 */
export class CreatePayphoneContacts1764600000000 implements MigrationInterface {
  name = 'CreatePayphoneContacts1764600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE payphone_contacts (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        prisoner_id uuid NOT NULL REFERENCES prisoners(id),
        phone_number text NOT NULL CHECK (phone_number ~ '^\\+[1-9][0-9]{6,14}$'),
        name text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 200),
        relationship text NOT NULL,
        legal boolean NOT NULL DEFAULT false,
        status text NOT NULL CHECK (status IN ('pending','approved','rejected','removed')),
        reject_reason text CHECK (char_length(reject_reason) <= 1000),
        requested_by_kind text NOT NULL CHECK (requested_by_kind IN ('staff','relative')),
        requested_by_id uuid NOT NULL,
        relative_id uuid REFERENCES relatives(id),
        created_at timestamptz NOT NULL,
        decided_at timestamptz,
        decided_by uuid,
        removed_at timestamptz,
        CHECK ((requested_by_kind = 'relative') = (relative_id IS NOT NULL)),
        CHECK ((status = 'rejected') = (reject_reason IS NOT NULL)),
        CHECK (NOT legal OR requested_by_kind = 'staff')
      )`);
    await q.query(`
      CREATE UNIQUE INDEX payphone_contacts_live_number_key ON payphone_contacts (prisoner_id, phone_number)
        WHERE status IN ('pending','approved')`);
    await q.query(
      `CREATE INDEX payphone_contacts_prisoner_idx ON payphone_contacts (prisoner_id, created_at, id)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE payphone_contacts`);
  }
}
