import { ExecutionContext, Injectable } from '@nestjs/common';
import { ThrottlerGuard, ThrottlerLimitDetail } from '@nestjs/throttler';
import { DomainError } from '../../common/errors/domain-error';

/**
 * Per client address, across every sign-in and registration route together (not per route):
 * AUTH_THROTTLE_LIMIT requests per AUTH_THROTTLE_TTL, then 429 with Retry-After.
 */
@Injectable()
export class AuthThrottleGuard extends ThrottlerGuard {
  protected override generateKey(_ctx: ExecutionContext, tracker: string, name: string): string {
    return `auth:${name}:${tracker}`;
  }

  protected override async throwThrottlingException(
    _ctx: ExecutionContext,
    detail: ThrottlerLimitDetail,
  ): Promise<void> {
    throw new DomainError(
      'RATE_LIMITED',
      'Too many sign-in attempts from this address; try later',
      [],
      {
        'retry-after': String(Math.max(1, Math.ceil(detail.timeToBlockExpire))),
      },
    );
  }
}
