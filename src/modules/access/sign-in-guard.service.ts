import { Injectable } from '@nestjs/common';
import { UnitOfWork } from '../../common/database/unit-of-work';
import { DomainError } from '../../common/errors/domain-error';
import { Clock } from '../../common/time/clock';
import { Env } from '../../config/env.schema';
import { clientKey, signInGate } from './domain/sign-in.rules';
import {
  AccountKind,
  SignInAttempt,
  SignInAttemptsRepository,
  SignInLimits,
} from './sign-in-attempts.repository';

export type { AccountKind };

/**
 * Brute-force protection on sign-in, shared by every app instance (the counts live in the
 * database). AUTH_MAX_FAILURES failures from one client within AUTH_LOCKOUT_SECONDS lock that
 * client out of that account; AUTH_ACCOUNT_MAX_FAILURES from everywhere lock the account for
 * clients it has not signed in from within AUTH_KNOWN_CLIENT_DAYS. Nobody can lock an account
 * out of the places it is used from (docs/sign-in.md). Unknown usernames are counted the same
 * way, so the answers reveal nothing about which accounts exist.
 */
@Injectable()
export class SignInGuardService {
  constructor(
    private readonly attempts: SignInAttemptsRepository,
    private readonly clock: Clock,
    private readonly env: Env,
    private readonly uow: UnitOfWork,
  ) {}

  /** The attempt of this account from this client address. */
  attempt(kind: AccountKind, key: string, address: string | undefined): SignInAttempt {
    return { kind, key, client: clientKey(address) };
  }

  /**
   * Admits the attempt past the gate, or refuses it with 429. An admitted attempt is counted as a
   * failure at once, under a lock on the account's name, and only a success takes it back: the
   * gate check and the count are one step, so a burst of parallel guesses cannot all pass the
   * gate before any of them has been counted. The lock is tried, not waited for: an attempt that
   * finds another one of the same account being counted (a few milliseconds) is refused like a
   * locked one, so a crowd guessing one account cannot hold the connection pool in a queue.
   */
  async admit(a: SignInAttempt): Promise<void> {
    // the count must commit on its own, whatever the caller does next
    if (this.uow.inTransaction()) throw new Error('sign-in admitted inside a transaction');
    await this.uow.run(async () => {
      if (!(await this.uow.tryLock(`sign-in:${a.kind}:${a.key}`))) {
        throw rateLimited(
          'Another sign-in to this account is being checked; try again in a moment',
          1,
        );
      }
      const now = this.clock.now();
      const history = await this.attempts.history(a, now, this.limits());
      const gate = signInGate(history, now, this.env.AUTH_LOCKOUT_SECONDS);
      if (!gate.open) {
        throw rateLimited(
          gate.scope === 'client'
            ? 'Too many failed sign-ins to this account from here; try later'
            : 'Too many failed sign-ins to this account; try later, or from where you signed in before',
          gate.retryAfterSeconds,
        );
      }
      await this.attempts.recordFailure(a, now, this.env.AUTH_LOCKOUT_SECONDS);
    });
  }

  /** Refuses the sign-in; `admit` has already counted it as a failure. */
  fail(): never {
    throw new DomainError('INVALID_CREDENTIALS', 'Unknown account or wrong password');
  }

  /**
   * An account now exists under this name: earlier failures against the name are forgotten, and
   * the address it was created from (a relative registering from home; not an administrator
   * creating an officer's account) counts as one it signs in from.
   */
  async accountCreated(kind: AccountKind, key: string, address?: string): Promise<void> {
    await this.attempts.accountCreated(
      { kind, key, client: address === undefined ? null : clientKey(address) },
      this.clock.now(),
    );
  }

  /** Remembers where the account signed in from, and takes back the failures `admit` counted. */
  async succeeded(a: SignInAttempt): Promise<void> {
    await this.attempts.recordSuccess(a, this.clock.now(), this.env.AUTH_KNOWN_CLIENT_DAYS);
  }

  private limits(): SignInLimits {
    return {
      windowSeconds: this.env.AUTH_LOCKOUT_SECONDS,
      perClient: this.env.AUTH_MAX_FAILURES,
      perAccount: this.env.AUTH_ACCOUNT_MAX_FAILURES,
      knownClientDays: this.env.AUTH_KNOWN_CLIENT_DAYS,
    };
  }
}

/** 429 RATE_LIMITED with the seconds to wait in Retry-After. */
function rateLimited(message: string, retryAfterSeconds: number): DomainError {
  return new DomainError('RATE_LIMITED', message, [], { 'retry-after': String(retryAfterSeconds) });
}
