import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateAuditLog1764380100000 implements MigrationInterface {
  name = 'CreateAuditLog1764380100000';

  async up(q: QueryRunner): Promise<void> {
    // One hash chain per facility ('national' for events outside any facility). The head row is
    // locked to append, so each chain grows one event at a time, in commit order.
    await q.query(`
      CREATE TABLE audit_chain_heads (
        chain_key text PRIMARY KEY,
        last_seq bigint NOT NULL CHECK (last_seq >= 0),
        last_hash text NOT NULL CHECK (last_hash ~ '^[0-9a-f]{64}$')
      )`);
    await q.query(`
      CREATE TABLE audit_events (
        id uuid PRIMARY KEY,
        seq bigserial NOT NULL,
        chain_key text NOT NULL,
        chain_seq bigint NOT NULL CHECK (chain_seq > 0),
        facility_id uuid,
        occurred_at timestamptz NOT NULL,
        actor_kind text NOT NULL CHECK (actor_kind IN ('staff','terminal','relative','system','anonymous')),
        actor_id uuid,
        action text NOT NULL CHECK (action ~ '^[a-z][a-z0-9-]*(\\.[a-z][a-z0-9-]*)+$'),
        target_type text NOT NULL,
        target_id text,
        request_id text,
        summary jsonb NOT NULL DEFAULT '{}',
        policy_version_ids uuid[] NOT NULL DEFAULT '{}',
        prev_hash text NOT NULL CHECK (prev_hash ~ '^[0-9a-f]{64}$'),
        hash text NOT NULL CHECK (hash ~ '^[0-9a-f]{64}$'),
        CONSTRAINT audit_events_seq_key UNIQUE (seq),
        CONSTRAINT audit_events_chain_key UNIQUE (chain_key, chain_seq),
        CHECK ((facility_id IS NULL AND chain_key = 'national') OR chain_key = facility_id::text)
      )`);
    await q.query(`CREATE INDEX audit_events_facility_idx ON audit_events (facility_id, seq)`);
    await q.query(`CREATE INDEX audit_events_occurred_idx ON audit_events (occurred_at)`);
    await q.query(`CREATE INDEX audit_events_request_idx ON audit_events (request_id)`);
    await q.query(`CREATE INDEX audit_events_target_idx ON audit_events (target_id)`);
    await q.query(`
      CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events
        FOR EACH ROW EXECUTE FUNCTION forbid_mutation()`);
    await q.query(`
      CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
        FOR EACH STATEMENT EXECUTE FUNCTION forbid_mutation()`);
    await q.query(`
      CREATE TRIGGER audit_chain_heads_no_delete BEFORE DELETE ON audit_chain_heads
        FOR EACH ROW EXECUTE FUNCTION forbid_mutation()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE audit_events`);
    await q.query(`DROP TABLE audit_chain_heads`);
  }
}
