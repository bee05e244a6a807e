import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The audit event list pages in an order commits cannot overtake: by the writing transaction's id,
 * and only below the oldest transaction still open. `seq` is taken when an event is inserted, and
 * its transaction may commit after one that took a higher `seq`: a reader paging by `seq` would
 * have moved past it. Events already stored get this migration's transaction id (in `seq` order
 * among themselves, as before). Not part of the hash: like `seq`, it is where the row was put, not
 * what it says.
 */
export class AuditEventsCommitOrder1764500000000 implements MigrationInterface {
  name = 'AuditEventsCommitOrder1764500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE audit_events ADD COLUMN tx_id xid8 NOT NULL DEFAULT pg_current_xact_id()`,
    );
    await q.query(`DROP INDEX audit_events_facility_idx`);
    await q.query(
      `CREATE INDEX audit_events_facility_idx ON audit_events (facility_id, tx_id, seq)`,
    );
    await q.query(`CREATE INDEX audit_events_tx_idx ON audit_events (tx_id, seq)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX audit_events_tx_idx`);
    await q.query(`DROP INDEX audit_events_facility_idx`);
    await q.query(`CREATE INDEX audit_events_facility_idx ON audit_events (facility_id, seq)`);
    await q.query(`ALTER TABLE audit_events DROP COLUMN tx_id`);
  }
}
