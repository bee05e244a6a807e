import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreatePolicyVersions1764390000000 implements MigrationInterface {
  name = 'CreatePolicyVersions1764390000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE policy_versions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        facility_id uuid REFERENCES facilities(id),
        effective_from timestamptz,
        effective_on date,
        reason text NOT NULL CHECK (char_length(reason) BETWEEN 1 AND 2000),
        values jsonb NOT NULL CHECK (jsonb_typeof(values) = 'object'),
        status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft','published')),
        created_by uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        published_by uuid,
        published_at timestamptz,
        -- versions loaded from config/policies/: the file, and the hash of what it said
        source_file text,
        source_hash text,
        notes text,
        CHECK ((effective_from IS NULL) <> (effective_on IS NULL)),
        CHECK ((status = 'published') = (published_at IS NOT NULL)),
        CONSTRAINT policy_versions_source_file_key UNIQUE (source_file)
      )`);
    await q.query(
      `CREATE INDEX policy_versions_published_idx ON policy_versions (status, facility_id)`,
    );

    // Published versions are history: the database itself refuses to change or delete them.
    await q.query(`
      CREATE FUNCTION policy_versions_guard() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF OLD.status = 'published' THEN
          RAISE EXCEPTION 'published policy version % is immutable', OLD.id USING ERRCODE = 'insufficient_privilege';
        END IF;
        IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
        RETURN NEW;
      END $$`);
    await q.query(`
      CREATE TRIGGER policy_versions_immutable BEFORE UPDATE OR DELETE ON policy_versions
        FOR EACH ROW EXECUTE FUNCTION policy_versions_guard()`);
    await q.query(`
      CREATE TRIGGER policy_versions_no_truncate BEFORE TRUNCATE ON policy_versions
        FOR EACH STATEMENT EXECUTE FUNCTION forbid_mutation()`);

    // Every app instance caches resolved policies; a publication tells them all (on commit).
    await q.query(`
      CREATE FUNCTION policy_versions_notify() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.status = 'published' THEN PERFORM pg_notify('policy_changed', NEW.id::text); END IF;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER policy_versions_changed AFTER INSERT OR UPDATE ON policy_versions
        FOR EACH ROW EXECUTE FUNCTION policy_versions_notify()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE policy_versions`);
    await q.query(`DROP FUNCTION policy_versions_notify()`);
    await q.query(`DROP FUNCTION policy_versions_guard()`);
  }
}
