import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Call authorisations by payphone terminals, denied ones too (a decision is a record). An
 * authorised call holds money on the prisoner's wallet (the ledger's hold, `hold_id`) and is in
 * progress until the terminal reports its end (captured), or a job closes it unreported after its
 * maximum duration and a grace period, or a transfer or release cancels it (released). One call in
 * progress per prisoner, held by the database too.
 */
export class CreatePayphoneCalls1764600100000 implements MigrationInterface {
  name = 'CreatePayphoneCalls1764600100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE payphone_calls (
        id uuid PRIMARY KEY,
        facility_id uuid NOT NULL REFERENCES facilities(id),
        terminal_id uuid NOT NULL REFERENCES terminals(id),
        requested_prisoner_id uuid NOT NULL,
        prisoner_id uuid REFERENCES prisoners(id),
        dialed_number text NOT NULL CHECK (char_length(dialed_number) <= 40),
        contact_id uuid REFERENCES payphone_contacts(id),
        legal boolean NOT NULL,
        outcome text NOT NULL CHECK (outcome IN ('authorized','denied')),
        reasons jsonb NOT NULL DEFAULT '[]',
        max_duration_seconds integer NOT NULL CHECK (max_duration_seconds >= 0),
        tariff_minor_per_minute bigint NOT NULL CHECK (tariff_minor_per_minute >= 0),
        currency text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
        hold_id uuid,
        held_minor bigint NOT NULL DEFAULT 0 CHECK (held_minor >= 0),
        policy_version_ids uuid[] NOT NULL DEFAULT '{}',
        local_month text NOT NULL CHECK (local_month ~ '^[0-9]{4}-[0-9]{2}$'),
        authorized_at timestamptz NOT NULL,
        ends_by timestamptz NOT NULL,
        status text CHECK (status IN ('in-progress','ended','unreported','cancelled')),
        counts_against_allowance boolean NOT NULL DEFAULT false,
        ended_at timestamptz,
        duration_seconds integer CHECK (duration_seconds >= 0),
        charged_minor bigint CHECK (charged_minor >= 0 AND charged_minor <= held_minor),
        CHECK ((outcome = 'authorized') = (status IS NOT NULL)),
        CHECK (outcome = 'denied' OR (prisoner_id IS NOT NULL AND contact_id IS NOT NULL)),
        CHECK (outcome = 'authorized' OR (max_duration_seconds = 0 AND held_minor = 0 AND NOT counts_against_allowance)),
        CHECK ((held_minor > 0) = (hold_id IS NOT NULL)),
        CHECK ((status IN ('ended','unreported','cancelled')) = (ended_at IS NOT NULL)),
        CHECK ((status IN ('ended','unreported','cancelled')) = (charged_minor IS NOT NULL)),
        CHECK ((status = 'ended') = (duration_seconds IS NOT NULL))
      )`);
    await q.query(`
      CREATE UNIQUE INDEX payphone_calls_one_in_progress_key ON payphone_calls (prisoner_id)
        WHERE status = 'in-progress'`);
    await q.query(`
      CREATE INDEX payphone_calls_allowance_idx ON payphone_calls (prisoner_id, local_month)
        WHERE counts_against_allowance`);
    await q.query(`
      CREATE INDEX payphone_calls_open_idx ON payphone_calls (ends_by) WHERE status = 'in-progress'`);
    await q.query(`
      CREATE INDEX payphone_calls_prisoner_idx ON payphone_calls (requested_prisoner_id, authorized_at, id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE payphone_calls`);
  }
}
