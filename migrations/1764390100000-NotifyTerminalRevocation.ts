import { MigrationInterface, QueryRunner } from 'typeorm';

/** App instances cache terminal keys; a revocation (by the API or by hand in SQL) tells them all. */
export class NotifyTerminalRevocation1764390100000 implements MigrationInterface {
  name = 'NotifyTerminalRevocation1764390100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION terminals_notify() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'DELETE' THEN
          PERFORM pg_notify('terminal_changed', OLD.key_prefix);
          RETURN NULL;
        END IF;
        IF NEW.revoked_at IS DISTINCT FROM OLD.revoked_at OR NEW.key_hash IS DISTINCT FROM OLD.key_hash
           OR NEW.facility_id IS DISTINCT FROM OLD.facility_id OR NEW.kind IS DISTINCT FROM OLD.kind THEN
          PERFORM pg_notify('terminal_changed', OLD.key_prefix);
        END IF;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER terminals_changed AFTER UPDATE OR DELETE ON terminals
        FOR EACH ROW EXECUTE FUNCTION terminals_notify()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER terminals_changed ON terminals`);
    await q.query(`DROP FUNCTION terminals_notify()`);
  }
}
