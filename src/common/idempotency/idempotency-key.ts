import { createHmac } from 'node:crypto';
import type { Principal } from '../auth/principal';
import { DomainError } from '../errors/domain-error';
import { canonicalJson } from '../json/canonical-json';

const KEY = /^[\x21-\x7e]{1,255}$/;

/** How long a key and its answer are kept: the same key within this time gets the first answer. */
export const IDEMPOTENCY_TTL_MS = 24 * 3_600_000;

/** The key as checked (400 when required and missing or malformed). */
export function checkedKey(key: string | undefined, required: boolean): string | undefined {
  if (key === undefined) {
    if (required)
      throw new DomainError(
        'IDEMPOTENCY_KEY_REQUIRED',
        'Send an Idempotency-Key header (e.g. a UUID)',
      );
    return undefined;
  }
  if (!KEY.test(key)) {
    throw new DomainError(
      'VALIDATION_FAILED',
      'Idempotency-Key must be 1-255 visible ASCII characters',
      [{ field: 'Idempotency-Key', message: 'must be 1-255 visible ASCII characters' }],
    );
  }
  return key;
}

/** The same key came with another request (422). */
export function keyReused(): DomainError {
  return new DomainError(
    'IDEMPOTENCY_KEY_REUSED',
    'This Idempotency-Key was already used with a different request',
  );
}

/**
 * The first request with the key has not finished (409), with `Retry-After`: whole seconds worth
 * waiting before the same request is sent again.
 */
export function keyInFlight(
  detail = 'The first request with this key is still running; retry shortly',
  retryAfterSeconds = 1,
): DomainError {
  return new DomainError('IDEMPOTENCY_IN_FLIGHT', detail, [], {
    'retry-after': String(Math.max(1, Math.ceil(retryAfterSeconds))),
  });
}

/**
 * What identifies "the same request", as an HMAC under a server secret: a request body may carry a
 * password (sign-up, a new staff account), and a plain hash of it would be a weak copy of it.
 */
export function requestHash(secret: string, request: unknown): string {
  return createHmac('sha256', secret).update(canonicalJson(request)).digest('hex');
}

/** A key is scoped to the caller and the route (anonymous callers share one scope per route). */
export function scopeOf(actor: Principal | undefined, route: string): string {
  return actor ? `${actor.kind}:${actor.id}:${route}` : `anonymous:${route}`;
}
