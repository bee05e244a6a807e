import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Env } from '../../config/env.schema';
import { DomainError } from '../../common/errors/domain-error';

export type AccountKind = 'staff' | 'relative';

/**
 * Per-account brute-force protection, shared by every app instance (the failures live in the
 * database): after AUTH_MAX_FAILURES failed sign-ins within AUTH_LOCKOUT_SECONDS, the account's
 * sign-in answers 429 until the oldest of those failures leaves the window. Unknown usernames are
 * counted the same way, so lockout reveals nothing about which accounts exist.
 */
@Injectable()
export class SignInGuardService {
  constructor(
    private readonly db: DataSource,
    private readonly env: Env,
  ) {}

  async assertNotLocked(kind: AccountKind, key: string): Promise<void> {
    const rows: Array<{ retry_after: number | null }> = await this.db.query(
      `SELECT ceil(extract(epoch FROM (min(failed_at) + make_interval(secs => $3)) - now()))::int AS retry_after
         FROM (SELECT failed_at FROM sign_in_failures
                WHERE account_kind = $1 AND account_key = $2 AND failed_at > now() - make_interval(secs => $3)
                ORDER BY failed_at DESC LIMIT $4) recent
       HAVING count(*) >= $4`,
      [kind, key, this.env.AUTH_LOCKOUT_SECONDS, this.env.AUTH_MAX_FAILURES],
    );
    if (rows.length > 0) {
      const retryAfter = Math.max(1, rows[0].retry_after ?? 1);
      throw new DomainError(
        'RATE_LIMITED',
        'Too many failed sign-ins to this account; try later',
        [],
        {
          'retry-after': String(retryAfter),
        },
      );
    }
  }

  /** Records the failure and refuses the sign-in. */
  async fail(kind: AccountKind, key: string): Promise<never> {
    await this.db.query(
      `WITH purge AS (
         DELETE FROM sign_in_failures
          WHERE account_kind = $1 AND account_key = $2 AND failed_at < now() - make_interval(secs => $3))
       INSERT INTO sign_in_failures (account_kind, account_key) VALUES ($1, $2)`,
      [kind, key, this.env.AUTH_LOCKOUT_SECONDS],
    );
    throw new DomainError('INVALID_CREDENTIALS', 'Unknown account or wrong password');
  }
}
