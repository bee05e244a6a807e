import { applyDecorators, SetMetadata, UseInterceptors } from '@nestjs/common';
import { ApiHeader } from '@nestjs/swagger';
import { UseCaseInterceptor } from './use-case.interceptor';

export const USE_CASE = 'use-case';

export interface UseCaseOptions {
  /** `required` on routes that move money (charges, refunds, deposits); accepted everywhere else. */
  idempotency?: 'required' | 'optional';
  /**
   * `one` (the default): the handler runs in one transaction, retried whole on a serialization
   * failure or deadlock. `phases`: it calls something outside (Stripe) between transactions, so it
   * runs outside any and takes its transactions from `UseCaseRunner.phase` and `.finish`.
   */
  transaction?: 'one' | 'phases';
  /**
   * The answer carries a secret shown once (a card number, an API key): it is not kept under the
   * key, and a retry with the key is told the first request succeeded (422) instead of a copy.
   */
  secretAnswer?: boolean;
}

/** A route that is not a use case, with the reason (a sign-in, a webhook with its own ids). */
export interface NotAUseCase {
  notAUseCase: string;
}

/**
 * Runs the route as a use case (see `UseCaseRunner`): the `Idempotency-Key`, the transaction, the
 * stored answer, the retry on 40001/40P01. Every POST declares this or `NotAUseCase`.
 */
export function UseCase(opts: UseCaseOptions = {}): MethodDecorator {
  const required = opts.idempotency === 'required';
  return applyDecorators(
    SetMetadata(USE_CASE, opts),
    // on the route only: a route that is not a use case pays nothing for it
    UseInterceptors(UseCaseInterceptor),
    ApiHeader({
      name: 'Idempotency-Key',
      required,
      description: `${required ? 'Required' : 'Optional'}: a retry with the same key and body within 24 h gets the first answer again (Idempotent-Replayed: true); another body → 422; while the first runs → 409`,
    }),
  );
}

/** A POST that is deliberately not a use case; `reason` says why (kept for the route walk). */
export function NotAUseCase(reason: string): MethodDecorator {
  return SetMetadata(USE_CASE, { notAUseCase: reason } satisfies NotAUseCase);
}
