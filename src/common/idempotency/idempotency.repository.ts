import { Injectable } from '@nestjs/common';
import { SqlRepository } from '../database/sql-repository';

/** An answer kept under an idempotency key. */
export interface StoredAnswer {
  requestHash: string;
  status: number;
  body: unknown;
}

export interface KeyToStore {
  scope: string;
  key: string;
  requestHash: string;
  status: number;
  body: unknown;
  /** The use case's "now" (its clock), and when the key is forgotten. */
  createdAt: Date;
  expiresAt: Date;
}

/** The table `idempotency_keys`. Every instant comes from the use case's clock, never `now()`. */
@Injectable()
export class IdempotencyRepository extends SqlRepository {
  /**
   * In the open transaction, takes the key's lock without waiting (held to COMMIT, so a second
   * request meanwhile learns the first is in flight) and reads the answer stored under the key, in
   * one round trip.
   */
  async lockAndFind(
    scope: string,
    key: string,
    now: Date,
  ): Promise<{ locked: boolean; stored: StoredAnswer | null }> {
    const [row] = await this.q<{
      ok: boolean;
      request_hash: string | null;
      response_status: number;
      response_body: unknown;
    }>(
      `SELECT pg_try_advisory_xact_lock(hashtextextended($1, 0)) AS ok, k.request_hash, k.response_status, k.response_body
         FROM (SELECT 1) one
         LEFT JOIN idempotency_keys k ON k.scope = $2 AND k.key = $3 AND k.expires_at > $4`,
      [`idem|${scope}|${key}`, scope, key, now],
      { prepare: true },
    );
    return {
      locked: row.ok,
      stored:
        row.request_hash === null
          ? null
          : { requestHash: row.request_hash, status: row.response_status, body: row.response_body },
    };
  }

  /** The answer stored under the key, if still valid at `now`. */
  async find(scope: string, key: string, now: Date): Promise<StoredAnswer | null> {
    const [row] = await this.q<{
      request_hash: string;
      response_status: number;
      response_body: unknown;
    }>(
      `SELECT request_hash, response_status, response_body FROM idempotency_keys
        WHERE scope = $1 AND key = $2 AND expires_at > $3`,
      [scope, key, now],
    );
    return row
      ? { requestHash: row.request_hash, status: row.response_status, body: row.response_body }
      : null;
  }

  /**
   * Stores the answer with the transaction's last writes (deferred to COMMIT). Only a missing or
   * expired key is (over)written; `taken` is called when a live one is found (another request
   * committed it meanwhile), and may throw to roll the effect back.
   */
  deferStore(k: KeyToStore, taken: () => void): void {
    this.uow.defer({
      build: ({ param, name }) => {
        const now = param(k.createdAt);
        return {
          ctes: [
            `${name('key')} AS (
               INSERT INTO idempotency_keys (scope, key, request_hash, response_status, response_body, created_at, expires_at)
               VALUES (${param(k.scope)}, ${param(k.key)}, ${param(k.requestHash)}, ${param(k.status)}::int,
                       ${param(JSON.stringify(k.body))}::jsonb, ${now}::timestamptz, ${param(k.expiresAt)}::timestamptz)
               ON CONFLICT (scope, key) DO UPDATE SET request_hash = EXCLUDED.request_hash,
                 response_status = EXCLUDED.response_status, response_body = EXCLUDED.response_body,
                 created_at = EXCLUDED.created_at, expires_at = EXCLUDED.expires_at
               WHERE idempotency_keys.expires_at <= ${now}::timestamptz
               RETURNING 1)`,
          ],
          result: `SELECT count(*)::int FROM ${name('key')}`,
        };
      },
      check: (written) => {
        if (written !== 1) taken();
      },
      prepare: true,
    });
  }

  /** Forgets keys expired at `now`; returns how many. */
  async purgeExpired(now: Date): Promise<number> {
    const rows = await this.q<{ n: number }>(
      `WITH gone AS (DELETE FROM idempotency_keys WHERE expires_at <= $1 RETURNING 1)
       SELECT count(*)::int AS n FROM gone`,
      [now],
    );
    return rows[0].n;
  }
}
