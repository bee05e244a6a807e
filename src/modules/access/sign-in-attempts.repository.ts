import { Injectable } from '@nestjs/common';
import { UnitOfWork } from '../../common/database/unit-of-work';
import type { SignInHistory } from './domain/sign-in.rules';

export type AccountKind = 'staff' | 'relative';

/** One account as sign-in sees it: its kind, the name it is signed in with, the client asking. */
export interface SignInAttempt {
  kind: AccountKind;
  key: string;
  client: string;
}

export interface SignInLimits {
  windowSeconds: number;
  perClient: number;
  perAccount: number;
  knownClientDays: number;
}

/** Sign-in failures and the clients each account signed in from (shared by every instance). */
@Injectable()
export class SignInAttemptsRepository {
  constructor(private readonly uow: UnitOfWork) {}

  /** The runs of failures that may close the gate, and whether the client is a known one; one query. */
  async history(a: SignInAttempt, now: Date, l: SignInLimits): Promise<SignInHistory> {
    const [row] = await this.uow.query<{
      client_since: Date | null;
      account_since: Date | null;
      known: boolean;
    }>(
      `WITH recent AS (
         SELECT failed_at, client FROM sign_in_failures
          WHERE account_kind = $1 AND account_key = $2
            AND failed_at > $4::timestamptz - make_interval(secs => $5)
          ORDER BY failed_at DESC LIMIT $7),
       mine AS (
         SELECT failed_at FROM sign_in_failures
          WHERE account_kind = $1 AND account_key = $2 AND client = $3
            AND failed_at > $4::timestamptz - make_interval(secs => $5)
          ORDER BY failed_at DESC LIMIT $6)
       SELECT (SELECT CASE WHEN count(*) >= $6 THEN min(failed_at) END FROM mine) AS client_since,
              (SELECT CASE WHEN count(*) >= $7 THEN min(failed_at) END FROM recent) AS account_since,
              EXISTS (SELECT 1 FROM sign_in_known_clients
                       WHERE account_kind = $1 AND account_key = $2 AND client = $3
                         AND last_success_at > $4::timestamptz - make_interval(days => $8)) AS known`,
      [a.kind, a.key, a.client, now, l.windowSeconds, l.perClient, l.perAccount, l.knownClientDays],
    );
    return {
      clientLockedSince: row.client_since ? new Date(row.client_since) : null,
      accountLockedSince: row.account_since ? new Date(row.account_since) : null,
      knownClient: row.known,
    };
  }

  /** Records a failure, dropping the account's failures that left the window. */
  async recordFailure(a: SignInAttempt, now: Date, windowSeconds: number): Promise<void> {
    await this.uow.query(
      `WITH purge AS (
         DELETE FROM sign_in_failures
          WHERE account_kind = $1 AND account_key = $2
            AND failed_at < $4::timestamptz - make_interval(secs => $5))
       INSERT INTO sign_in_failures (account_kind, account_key, client, failed_at)
       VALUES ($1, $2, $3, $4)`,
      [a.kind, a.key, a.client, now, windowSeconds],
    );
  }

  /**
   * A new account: failures counted under its name before it existed were against nobody, so
   * they are forgotten (else a crowd could lock an account before its owner ever had it); the
   * client that chose the password, when known, is one the account signs in from.
   */
  async accountCreated(
    a: Omit<SignInAttempt, 'client'> & { client: string | null },
    now: Date,
  ): Promise<void> {
    await this.uow.query(
      `WITH forgotten AS (
         DELETE FROM sign_in_failures WHERE account_kind = $1 AND account_key = $2)
       INSERT INTO sign_in_known_clients (account_kind, account_key, client, last_success_at)
       SELECT $1, $2, $3, $4 WHERE $3::text IS NOT NULL
       ON CONFLICT (account_kind, account_key, client) DO UPDATE SET last_success_at = EXCLUDED.last_success_at`,
      [a.kind, a.key, a.client, now],
    );
  }

  /**
   * Remembers the client as one the account signs in from, and clears that client's run of
   * failures (a mistyped password before the right one counts no more).
   */
  async recordSuccess(a: SignInAttempt, now: Date, knownClientDays: number): Promise<void> {
    await this.uow.query(
      `WITH cleared AS (
         DELETE FROM sign_in_failures
          WHERE account_kind = $1 AND account_key = $2 AND client = $3),
       forgotten AS (
         DELETE FROM sign_in_known_clients
          WHERE account_kind = $1 AND account_key = $2
            AND last_success_at < $4::timestamptz - make_interval(days => $5))
       INSERT INTO sign_in_known_clients (account_kind, account_key, client, last_success_at)
       VALUES ($1, $2, $3, $4)
       ON CONFLICT (account_kind, account_key, client) DO UPDATE SET last_success_at = EXCLUDED.last_success_at`,
      [a.kind, a.key, a.client, now, knownClientDays],
    );
  }
}
