import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateAuditCheckpoints1764630000000 implements MigrationInterface {
  name = 'CreateAuditCheckpoints1764630000000';

  async up(q: QueryRunner): Promise<void> {
    // Every checkpoint the service signed: on an auditor's request or on its own schedule. Kept
    // as signed (the statement's fields and the signature), append-only like the trail itself.
    await q.query(`
      CREATE TABLE audit_checkpoints (
        id uuid PRIMARY KEY,
        taken_at timestamptz NOT NULL,
        taken_by uuid,
        chains jsonb NOT NULL CHECK (jsonb_typeof(chains) = 'array'),
        root_hash text NOT NULL CHECK (root_hash ~ '^[0-9a-f]{64}$'),
        key_id text NOT NULL,
        signature text NOT NULL
      )`);
    await q.query(`COMMENT ON COLUMN audit_checkpoints.taken_by IS
      'The staff account that asked for it; null: taken on the service''s own schedule'`);
    await q.query(`CREATE INDEX audit_checkpoints_taken_idx ON audit_checkpoints (taken_at)`);
    await q.query(`
      CREATE TRIGGER audit_checkpoints_append_only BEFORE UPDATE OR DELETE ON audit_checkpoints
        FOR EACH ROW EXECUTE FUNCTION forbid_mutation()`);
    await q.query(`
      CREATE TRIGGER audit_checkpoints_no_truncate BEFORE TRUNCATE ON audit_checkpoints
        FOR EACH STATEMENT EXECUTE FUNCTION forbid_mutation()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE audit_checkpoints`);
  }
}
