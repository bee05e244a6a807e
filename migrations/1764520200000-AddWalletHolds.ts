import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Holds on a wallet (a payphone call's authorisation): money set aside, then captured in part
 * and the rest released, or let expire. Available = balance − open holds. Append-only like the
 * rest of the ledger: a hold is a row, its end (captured, released, expired) another, never an
 * update; the wallet keeps the sum of its unsettled holds beside its balance (`held_minor`, changed
 * only under the wallet's lock, checked by the reconciliation) and can never hold more than it has.
 *
 * The ledger writes its entries with the transaction's last statement, so rows that point at an
 * entry (a charge, a refund, a deposit, a capture) are checked against it at COMMIT.
 */
export class AddWalletHolds1764520200000 implements MigrationInterface {
  name = 'AddWalletHolds1764520200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE ledger_accounts ADD COLUMN held_minor bigint NOT NULL DEFAULT 0`);
    await q.query(`
      ALTER TABLE ledger_accounts
        ADD CONSTRAINT ledger_accounts_held_check CHECK (held_minor >= 0 AND (kind = 'prisoner-wallet' OR held_minor = 0)),
        ADD CONSTRAINT ledger_accounts_available_check CHECK (balance_minor IS NULL OR balance_minor >= held_minor)`);

    await q.query(`
      CREATE TABLE ledger_holds (
        id uuid PRIMARY KEY,
        account_id uuid NOT NULL REFERENCES ledger_accounts(id),
        kind text NOT NULL CHECK (kind IN ('call')),
        reference_id uuid NOT NULL,
        facility_id uuid REFERENCES facilities(id),
        amount_minor bigint NOT NULL CHECK (amount_minor > 0),
        currency text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
        description text,
        request_id text,
        created_at timestamptz NOT NULL,
        expires_at timestamptz NOT NULL,
        CHECK (expires_at > created_at),
        CONSTRAINT ledger_holds_reference_key UNIQUE (kind, reference_id)
      )`);
    await q.query(`CREATE INDEX ledger_holds_account_idx ON ledger_holds (account_id)`);
    await q.query(`
      CREATE TABLE ledger_hold_settlements (
        hold_id uuid PRIMARY KEY REFERENCES ledger_holds(id),
        outcome text NOT NULL CHECK (outcome IN ('captured','released','expired')),
        captured_minor bigint NOT NULL CHECK (captured_minor >= 0),
        released_minor bigint NOT NULL CHECK (released_minor >= 0),
        entry_id uuid REFERENCES ledger_entries(id) DEFERRABLE INITIALLY DEFERRED,
        request_id text,
        created_at timestamptz NOT NULL,
        CHECK ((captured_minor > 0) = (entry_id IS NOT NULL)),
        CHECK ((outcome = 'captured') = (captured_minor > 0))
      )`);
    // what is captured and released is exactly what was held: checked at COMMIT, when the hold
    // written by the same statement is visible
    await q.query(`
      CREATE FUNCTION ledger_check_settlement() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE held bigint;
      BEGIN
        SELECT amount_minor INTO held FROM ledger_holds WHERE id = NEW.hold_id;
        IF held IS DISTINCT FROM NEW.captured_minor + NEW.released_minor THEN
          RAISE EXCEPTION 'hold % of % settled with % captured and % released', NEW.hold_id, held,
            NEW.captured_minor, NEW.released_minor USING ERRCODE = 'check_violation';
        END IF;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE CONSTRAINT TRIGGER ledger_hold_settlements_whole AFTER INSERT ON ledger_hold_settlements
        DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION ledger_check_settlement()`);
    for (const t of ['ledger_holds', 'ledger_hold_settlements']) {
      await q.query(
        `CREATE TRIGGER ${t}_append_only BEFORE UPDATE OR DELETE ON ${t} FOR EACH ROW EXECUTE FUNCTION forbid_mutation()`,
      );
      await q.query(
        `CREATE TRIGGER ${t}_no_truncate BEFORE TRUNCATE ON ${t} FOR EACH STATEMENT EXECUTE FUNCTION forbid_mutation()`,
      );
    }

    for (const t of ['charges', 'refunds', 'deposits']) {
      await q.query(
        `ALTER TABLE ${t} ALTER CONSTRAINT ${t}_entry_id_fkey DEFERRABLE INITIALLY DEFERRED`,
      );
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['charges', 'refunds', 'deposits']) {
      await q.query(`ALTER TABLE ${t} ALTER CONSTRAINT ${t}_entry_id_fkey NOT DEFERRABLE`);
    }
    await q.query(`DROP TABLE ledger_hold_settlements`);
    await q.query(`DROP TABLE ledger_holds`);
    await q.query(`DROP FUNCTION ledger_check_settlement()`);
    await q.query(`
      ALTER TABLE ledger_accounts DROP CONSTRAINT ledger_accounts_available_check,
        DROP CONSTRAINT ledger_accounts_held_check, DROP COLUMN held_minor`);
  }
}
