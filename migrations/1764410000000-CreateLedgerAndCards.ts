import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateLedgerAndCards1764410000000 implements MigrationInterface {
  name = 'CreateLedgerAndCards1764410000000';

  async up(q: QueryRunner): Promise<void> {
    // Accounts. Only prisoners' wallets keep a running balance (and it may never go below zero);
    // house accounts (shop and phone revenue, clearing) are derived from their postings, so every
    // charge in a facility does not queue on one revenue row.
    await q.query(`
      CREATE TABLE ledger_accounts (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        kind text NOT NULL CHECK (kind IN ('prisoner-wallet','shop-revenue','phone-revenue','stripe-clearing','cash-clearing')),
        facility_id uuid REFERENCES facilities(id),
        prisoner_id uuid REFERENCES prisoners(id),
        currency text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
        balance_minor bigint,
        created_at timestamptz NOT NULL DEFAULT now(),
        CHECK ((kind = 'prisoner-wallet') = (prisoner_id IS NOT NULL)),
        CHECK ((kind = 'prisoner-wallet') = (balance_minor IS NOT NULL)),
        CHECK (balance_minor IS NULL OR balance_minor >= 0),
        CHECK (kind NOT IN ('shop-revenue','phone-revenue','cash-clearing') OR facility_id IS NOT NULL)
      )`);
    await q.query(
      `CREATE UNIQUE INDEX ledger_wallet_key ON ledger_accounts (prisoner_id, currency) WHERE kind = 'prisoner-wallet'`,
    );
    await q.query(`
      CREATE UNIQUE INDEX ledger_house_key ON ledger_accounts
        (kind, coalesce(facility_id, '00000000-0000-0000-0000-000000000000'::uuid), currency) WHERE kind <> 'prisoner-wallet'`);
    await q.query(`
      CREATE FUNCTION ledger_accounts_guard() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'DELETE' THEN
          RAISE EXCEPTION 'DELETE on ledger_accounts is not allowed' USING ERRCODE = 'insufficient_privilege';
        END IF;
        IF (NEW.id, NEW.kind, NEW.facility_id, NEW.prisoner_id, NEW.currency, NEW.created_at)
           IS DISTINCT FROM (OLD.id, OLD.kind, OLD.facility_id, OLD.prisoner_id, OLD.currency, OLD.created_at) THEN
          RAISE EXCEPTION 'only the running balance of an account changes' USING ERRCODE = 'insufficient_privilege';
        END IF;
        RETURN NEW;
      END $$`);
    await q.query(`
      CREATE TRIGGER ledger_accounts_guarded BEFORE UPDATE OR DELETE ON ledger_accounts
        FOR EACH ROW EXECUTE FUNCTION ledger_accounts_guard()`);

    await q.query(`
      CREATE TABLE ledger_entries (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        kind text NOT NULL CHECK (kind IN ('charge','refund','stripe-deposit','cash-deposit','call-charge','correction')),
        facility_id uuid REFERENCES facilities(id),
        reference_id uuid NOT NULL,
        description text,
        request_id text,
        created_at timestamptz NOT NULL,
        CONSTRAINT ledger_entries_reference_key UNIQUE (kind, reference_id)
      )`);
    await q.query(`
      CREATE TABLE ledger_postings (
        id bigserial PRIMARY KEY,
        entry_id uuid NOT NULL REFERENCES ledger_entries(id),
        account_id uuid NOT NULL REFERENCES ledger_accounts(id),
        amount_minor bigint NOT NULL CHECK (amount_minor <> 0),
        currency text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
        balance_after_minor bigint,
        created_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX ledger_postings_account_idx ON ledger_postings (account_id, id)`);
    await q.query(`CREATE INDEX ledger_postings_entry_idx ON ledger_postings (entry_id)`);

    // Every entry balances to zero in one currency and has at least two postings: checked by the
    // database at COMMIT, whatever the code does — for a new entry, and for a posting added to an
    // old one.
    await q.query(`
      CREATE FUNCTION ledger_check_entry() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE entry uuid; total numeric; n int; currencies int;
      BEGIN
        entry := CASE WHEN TG_TABLE_NAME = 'ledger_entries' THEN (to_jsonb(NEW) ->> 'id')::uuid
                      ELSE (to_jsonb(NEW) ->> 'entry_id')::uuid END;
        SELECT coalesce(sum(amount_minor), 0), count(*), count(DISTINCT currency)
          INTO total, n, currencies FROM ledger_postings WHERE entry_id = entry;
        IF n < 2 OR total <> 0 OR currencies <> 1 THEN
          RAISE EXCEPTION 'ledger entry % does not balance (% postings, sum %, % currencies)', entry, n, total, currencies
            USING ERRCODE = 'check_violation';
        END IF;
        RETURN NULL;
      END $$`);
    for (const t of ['ledger_entries', 'ledger_postings']) {
      await q.query(`
        CREATE CONSTRAINT TRIGGER ${t}_balanced AFTER INSERT ON ${t}
          DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION ledger_check_entry()`);
    }
    for (const t of ['ledger_entries', 'ledger_postings']) {
      await q.query(
        `CREATE TRIGGER ${t}_append_only BEFORE UPDATE OR DELETE ON ${t} FOR EACH ROW EXECUTE FUNCTION forbid_mutation()`,
      );
      await q.query(
        `CREATE TRIGGER ${t}_no_truncate BEFORE TRUNCATE ON ${t} FOR EACH STATEMENT EXECUTE FUNCTION forbid_mutation()`,
      );
    }

    // Cards: the number only as an HMAC (for lookup) and its last four digits.
    await q.query(`
      CREATE TABLE cards (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        prisoner_id uuid NOT NULL REFERENCES prisoners(id),
        last4 text NOT NULL CHECK (last4 ~ '^[0-9]{4}$'),
        number_hmac text NOT NULL CHECK (number_hmac ~ '^[0-9a-f]{64}$'),
        status text NOT NULL CHECK (status IN ('active','blocked')),
        blocked_reason text,
        issued_by uuid,
        issued_at timestamptz NOT NULL,
        blocked_at timestamptz,
        CONSTRAINT cards_number_key UNIQUE (number_hmac)
      )`);
    await q.query(
      `CREATE UNIQUE INDEX cards_one_active ON cards (prisoner_id) WHERE status = 'active'`,
    );

    // Charges at shop terminals: every decision, declined ones too.
    await q.query(`
      CREATE TABLE charges (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        facility_id uuid NOT NULL REFERENCES facilities(id),
        terminal_id uuid NOT NULL REFERENCES terminals(id),
        card_id uuid REFERENCES cards(id),
        prisoner_id uuid REFERENCES prisoners(id),
        amount_minor bigint NOT NULL CHECK (amount_minor > 0),
        currency text NOT NULL,
        items jsonb NOT NULL,
        outcome text NOT NULL CHECK (outcome IN ('approved','declined')),
        reasons jsonb NOT NULL DEFAULT '[]',
        policy_version_ids uuid[] NOT NULL DEFAULT '{}',
        balance_after_minor bigint,
        refunded_minor bigint NOT NULL DEFAULT 0,
        entry_id uuid REFERENCES ledger_entries(id),
        local_month text NOT NULL CHECK (local_month ~ '^[0-9]{4}-[0-9]{2}$'),
        created_at timestamptz NOT NULL,
        CHECK (refunded_minor >= 0 AND refunded_minor <= amount_minor),
        CHECK ((outcome = 'approved') = (entry_id IS NOT NULL))
      )`);
    await q.query(
      `CREATE INDEX charges_month_idx ON charges (prisoner_id, local_month) WHERE outcome = 'approved'`,
    );
    await q.query(`
      CREATE TABLE refunds (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        charge_id uuid NOT NULL REFERENCES charges(id),
        amount_minor bigint NOT NULL CHECK (amount_minor > 0),
        reason text NOT NULL CHECK (char_length(reason) BETWEEN 1 AND 1000),
        actor_kind text NOT NULL,
        actor_id uuid NOT NULL,
        entry_id uuid NOT NULL REFERENCES ledger_entries(id),
        local_month text NOT NULL,
        created_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX refunds_charge_idx ON refunds (charge_id)`);

    // Deposits: by card online (Stripe), or in cash at the counter.
    await q.query(`
      CREATE TABLE deposits (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        prisoner_id uuid NOT NULL REFERENCES prisoners(id),
        facility_id uuid NOT NULL REFERENCES facilities(id),
        method text NOT NULL CHECK (method IN ('stripe','cash')),
        relative_id uuid REFERENCES relatives(id),
        amount_minor bigint NOT NULL CHECK (amount_minor > 0),
        currency text NOT NULL,
        status text NOT NULL CHECK (status IN ('creating','pending','succeeded','failed','canceled')),
        payment_intent_id text,
        receipt_number text CHECK (char_length(receipt_number) <= 64),
        entry_id uuid REFERENCES ledger_entries(id),
        failure_reason text,
        -- a relative's Idempotency-Key: the deposit is the recovery point between the calls to Stripe
        idempotency_key text,
        request_hash text,
        created_by uuid,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT deposits_payment_intent_key UNIQUE (payment_intent_id),
        CHECK ((status = 'succeeded') = (entry_id IS NOT NULL)),
        CHECK (method = 'stripe' OR receipt_number IS NOT NULL)
      )`);
    await q.query(
      `CREATE UNIQUE INDEX deposits_receipt_key ON deposits (facility_id, receipt_number) WHERE method = 'cash'`,
    );
    await q.query(
      `CREATE UNIQUE INDEX deposits_idempotency_key ON deposits (relative_id, idempotency_key) WHERE idempotency_key IS NOT NULL`,
    );
    await q.query(
      `CREATE INDEX deposits_pending_idx ON deposits (created_at) WHERE status IN ('creating','pending')`,
    );
    await q.query(`
      CREATE TABLE stripe_events (
        id text PRIMARY KEY,
        type text NOT NULL,
        payment_intent_id text,
        received_at timestamptz NOT NULL DEFAULT now()
      )`);

    // Idempotency keys, written in the transaction of the effect they guard.
    await q.query(`
      CREATE TABLE idempotency_keys (
        scope text NOT NULL,
        key text NOT NULL CHECK (char_length(key) BETWEEN 1 AND 255),
        request_hash text NOT NULL,
        response_status integer NOT NULL,
        response_body jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        PRIMARY KEY (scope, key)
      )`);
    await q.query(`CREATE INDEX idempotency_keys_expiry_idx ON idempotency_keys (expires_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of [
      'idempotency_keys',
      'stripe_events',
      'deposits',
      'refunds',
      'charges',
      'cards',
      'ledger_postings',
      'ledger_entries',
      'ledger_accounts',
    ]) {
      await q.query(`DROP TABLE ${t}`);
    }
    await q.query(`DROP FUNCTION ledger_check_entry()`);
    await q.query(`DROP FUNCTION ledger_accounts_guard()`);
  }
}
