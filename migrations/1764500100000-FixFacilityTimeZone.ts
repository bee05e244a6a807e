import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A facility's time zone decides its past answers (the local day a parcel counted for, the hour a
 * policy took effect), and every instance keeps it in memory for good: it must never change. A
 * facility that moves to other rules of time is a question for the tz database (the zone's own
 * history), not for this column.
 */
export class FixFacilityTimeZone1764500100000 implements MigrationInterface {
  name = 'FixFacilityTimeZone1764500100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION forbid_time_zone_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'the time zone of facility % cannot change: its past answers were given in %',
          OLD.id, OLD.time_zone USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await q.query(`
      CREATE TRIGGER facilities_time_zone_fixed BEFORE UPDATE OF time_zone ON facilities
        FOR EACH ROW WHEN (OLD.time_zone IS DISTINCT FROM NEW.time_zone)
        EXECUTE FUNCTION forbid_time_zone_change()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER facilities_time_zone_fixed ON facilities`);
    await q.query(`DROP FUNCTION forbid_time_zone_change()`);
  }
}
