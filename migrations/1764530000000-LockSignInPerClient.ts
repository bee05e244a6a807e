import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Sign-in failures are counted per account and client (a guesser locks only themselves), and the
 * clients an account signed in from are remembered, so a run of failures from everywhere never
 * locks an account out of the places it is used from. Rows from before have no client: they count
 * toward the account-wide limit only, and leave the window within AUTH_LOCKOUT_SECONDS.
 */
export class LockSignInPerClient1764530000000 implements MigrationInterface {
  name = 'LockSignInPerClient1764530000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE sign_in_failures ADD COLUMN client text`);
    await q.query(
      `CREATE INDEX sign_in_failures_client_idx ON sign_in_failures (account_kind, account_key, client, failed_at)`,
    );
    await q.query(`
      CREATE TABLE sign_in_known_clients (
        account_kind text NOT NULL CHECK (account_kind IN ('staff','relative')),
        account_key text NOT NULL,
        client text NOT NULL,
        last_success_at timestamptz NOT NULL,
        PRIMARY KEY (account_kind, account_key, client)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE sign_in_known_clients`);
    await q.query(`DROP INDEX sign_in_failures_client_idx`);
    await q.query(`ALTER TABLE sign_in_failures DROP COLUMN client`);
  }
}
