import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Adds `value` to the list a `kind IN (...)` check allows, whatever the list holds by then (other
 * migrations widen the same checks): the constraint is rebuilt from its own definition.
 */
async function widenKindCheck(
  q: QueryRunner,
  table: string,
  constraint: string,
  value: string,
  add: boolean,
): Promise<void> {
  await q.query(`
    DO $$
    DECLARE def text;
    BEGIN
      SELECT pg_get_constraintdef(oid) INTO def FROM pg_constraint
       WHERE conname = '${constraint}' AND conrelid = '${table}'::regclass;
      IF def IS NULL OR def NOT LIKE '%ARRAY[%' THEN
        RAISE EXCEPTION 'constraint ${constraint} is not a list of kinds: %', def;
      END IF;
      IF ${add ? `position('''${value}''' IN def) = 0` : `position('''${value}''' IN def) > 0`} THEN
        def := ${
          add
            ? `replace(def, 'ARRAY[', 'ARRAY[''${value}''::text, ')`
            : `replace(replace(def, '''${value}''::text, ', ''), ', ''${value}''::text', '')`
        };
        EXECUTE format('ALTER TABLE ${table} DROP CONSTRAINT ${constraint}, ADD CONSTRAINT ${constraint} %s', def);
      END IF;
    END $$`);
}

/**
 * Orderlies' wages (care): one row per orderly, facility and month paid, written with the ledger
 * entry that credits the orderly's wallet from the facility's wage account (a house account, like
 * shop revenue: its balance is the sum of its postings). The unique key makes a month's wage
 * once per orderly and facility, whatever calls the payroll; rows are never changed or deleted.
 */
export class CreateOrderlyWages1764620300000 implements MigrationInterface {
  name = 'CreateOrderlyWages1764620300000';

  async up(q: QueryRunner): Promise<void> {
    await widenKindCheck(q, 'ledger_accounts', 'ledger_accounts_kind_check', 'wage-expense', true);
    await widenKindCheck(q, 'ledger_entries', 'ledger_entries_kind_check', 'orderly-wage', true);
    await q.query(`
      ALTER TABLE ledger_accounts ADD CONSTRAINT ledger_accounts_wage_facility_check
        CHECK (kind <> 'wage-expense' OR facility_id IS NOT NULL)`);
    await q.query(`
      CREATE TABLE orderly_wages (
        id uuid PRIMARY KEY,
        facility_id uuid NOT NULL REFERENCES facilities(id),
        prisoner_id uuid NOT NULL REFERENCES prisoners(id),
        month text NOT NULL CHECK (month ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
        days int NOT NULL CHECK (days BETWEEN 1 AND 30),
        monthly_wage_minor bigint NOT NULL CHECK (monthly_wage_minor > 0),
        amount_minor bigint NOT NULL CHECK (amount_minor > 0 AND amount_minor <= monthly_wage_minor),
        currency text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
        entry_id uuid NOT NULL REFERENCES ledger_entries(id) DEFERRABLE INITIALLY DEFERRED,
        policy_version_ids uuid[] NOT NULL,
        paid_by uuid NOT NULL,
        paid_at timestamptz NOT NULL,
        CONSTRAINT orderly_wages_month_key UNIQUE (facility_id, prisoner_id, month)
      )`);
    await q.query(`
      CREATE FUNCTION orderly_wages_guard() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'orderly wages are append-only: % is not allowed', TG_OP
          USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await q.query(`
      CREATE TRIGGER orderly_wages_append_only BEFORE UPDATE OR DELETE ON orderly_wages
        FOR EACH ROW EXECUTE FUNCTION orderly_wages_guard()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE orderly_wages`);
    await q.query(`DROP FUNCTION orderly_wages_guard()`);
    await q.query(
      `ALTER TABLE ledger_accounts DROP CONSTRAINT ledger_accounts_wage_facility_check`,
    );
    await widenKindCheck(q, 'ledger_entries', 'ledger_entries_kind_check', 'orderly-wage', false);
    await widenKindCheck(q, 'ledger_accounts', 'ledger_accounts_kind_check', 'wage-expense', false);
  }
}
