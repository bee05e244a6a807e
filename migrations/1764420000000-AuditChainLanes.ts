import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A facility's audit trail is written in lanes: several hash chains (`<facility id>`, then
 * `<facility id>#1` ... `#7`), so the facility's transactions do not all commit one after another
 * behind a single chain head. The national chain stays one chain.
 */
export class AuditChainLanes1764420000000 implements MigrationInterface {
  name = 'AuditChainLanes1764420000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE audit_events DROP CONSTRAINT audit_events_check`);
    await q.query(`
      ALTER TABLE audit_events ADD CONSTRAINT audit_events_chain_of_facility CHECK (
        (facility_id IS NULL AND chain_key = 'national')
        OR chain_key = facility_id::text
        OR chain_key ~ ('^' || facility_id::text || '#[1-9][0-9]*$'))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE audit_events DROP CONSTRAINT audit_events_chain_of_facility`);
    await q.query(`
      ALTER TABLE audit_events ADD CONSTRAINT audit_events_check
        CHECK ((facility_id IS NULL AND chain_key = 'national') OR chain_key = facility_id::text)`);
  }
}
