import { Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { AsyncLocalStorage } from 'node:async_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { QueryFailedError } from 'typeorm';
import { Env } from '../../config/env.schema';
import type { Principal } from '../auth/principal';
import { UnitOfWork } from '../database/unit-of-work';
import { DomainError } from '../errors/domain-error';
import {
  checkedKey,
  IDEMPOTENCY_TTL_MS,
  keyInFlight,
  keyReused,
  requestHash,
  scopeOf,
} from '../idempotency/idempotency-key';
import { IdempotencyRepository, StoredAnswer } from '../idempotency/idempotency.repository';
import { Clock } from '../time/clock';
import type { UseCaseOptions } from './use-case.decorator';

/** One request to run as a use case. */
export interface UseCaseRequest {
  /** The raw `Idempotency-Key` header. */
  key: string | undefined;
  actor: Principal | undefined;
  /** The route, e.g. `POST /charges/{id}/refunds`: a key is scoped to the caller and the route. */
  route: string;
  /** What makes "the same request": path parameters and body. */
  input: unknown;
  /** The route's success status, kept with the answer. */
  status: number;
}

export interface UseCaseOutcome<T> {
  status: number;
  body: T;
  replayed: boolean;
}

/** A request's key as it is kept: scope, key and the request's fingerprint. */
interface KeyOf {
  scope: string;
  key: string;
  hash: string;
}

/** The use case running in phases now (for `phase`, `finish`, `current`). */
interface Phased {
  req: UseCaseRequest;
  opts: UseCaseOptions;
  id: KeyOf | null;
  replayed?: StoredAnswer;
}

class KeyTakenMeanwhile extends Error {}

/** A serialization failure or a deadlock: the transaction is worth running again. */
function isRetryable(err: unknown): boolean {
  if (!(err instanceof QueryFailedError)) return false;
  const code = (err.driverError as { code?: string }).code;
  return code === '40001' || code === '40P01';
}

/** Attempts of one transaction before a serialization failure reaches the client (409). */
export const MAX_ATTEMPTS = 4;

/**
 * The one way a request that creates or changes something runs (Formance's forgeLog): its
 * `Idempotency-Key` → one transaction → the effect → the answer stored under the key in that same
 * transaction → COMMIT; on a serialization failure or deadlock, the whole of it again, a few times,
 * after a jittered pause. The same key and request within 24 h get the first answer again
 * (`replayed`); the same key with another request → 422; while the first still runs → 409. Every
 * "now" is the use case's clock.
 */
@Injectable()
export class UseCaseRunner implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly phased = new AsyncLocalStorage<Phased>();
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly uow: UnitOfWork,
    private readonly keys: IdempotencyRepository,
    private readonly clock: Clock,
    private readonly env: Env,
  ) {}

  onApplicationBootstrap(): void {
    // keys past their 24 hours are forgotten hourly
    this.timer = setInterval(
      () => void this.keys.purgeExpired(this.clock.now()).catch(() => undefined),
      3_600_000,
    );
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  async run<T>(
    req: UseCaseRequest,
    opts: UseCaseOptions,
    work: () => Promise<T>,
  ): Promise<UseCaseOutcome<T>> {
    const key = checkedKey(req.key, opts.idempotency === 'required');
    const id: KeyOf | null =
      key === undefined
        ? null
        : {
            scope: scopeOf(req.actor, req.route),
            key,
            hash: requestHash(this.env.JWT_SECRET ?? '', req.input),
          };
    if (opts.transaction === 'phases') return this.runInPhases(req, opts, id, work);
    return this.attempts(
      async () => {
        const now = this.clock.now();
        if (id) {
          const found = await this.keys.lockAndFind(id.scope, id.key, now);
          if (!found.locked) throw keyInFlight();
          if (found.stored) return this.replay<T>(found.stored, id, opts);
        }
        const body = await work();
        if (id) this.store(id, req, opts, body, now);
        return { status: req.status, body, replayed: false };
      },
      id ? () => this.storedMeanwhile<T>(id, opts) : undefined,
    );
  }

  /**
   * A transaction of a use case that runs in phases (an external call between them), retried like
   * any use case's.
   */
  phase<T>(work: () => Promise<T>): Promise<T> {
    this.currentPhased();
    return this.attempts(work);
  }

  /**
   * The last transaction of a use case in phases: `work`'s answer is stored under the request's key
   * with its effect. If another request with the key finished first, its answer is replayed.
   */
  async finish<T>(work: () => Promise<T>): Promise<T> {
    const p = this.currentPhased();
    const out = await this.attempts(
      async () => {
        const now = this.clock.now();
        const body = await work();
        if (p.id) this.store(p.id, p.req, p.opts, body, now);
        return { status: p.req.status, body, replayed: false };
      },
      p.id ? () => this.storedMeanwhile<T>(p.id!, p.opts) : undefined,
    );
    if (out.replayed) p.replayed = { requestHash: p.id!.hash, status: out.status, body: out.body };
    return out.body;
  }

  /** The key and fingerprint of the use case in phases running now (its recovery point). */
  current(): { key: string | undefined; requestHash: string | undefined } {
    const p = this.currentPhased();
    return { key: p.id?.key, requestHash: p.id?.hash };
  }

  private currentPhased(): Phased {
    const p = this.phased.getStore();
    if (!p) throw new Error('not inside a use case declared with transaction: phases');
    return p;
  }

  private async runInPhases<T>(
    req: UseCaseRequest,
    opts: UseCaseOptions,
    id: KeyOf | null,
    work: () => Promise<T>,
  ): Promise<UseCaseOutcome<T>> {
    if (id) {
      const stored = await this.keys.find(id.scope, id.key, this.clock.now());
      if (stored) return this.replay<T>(stored, id, opts);
    }
    const p: Phased = { req, opts, id };
    const body = await this.phased.run(p, work);
    return p.replayed
      ? { status: p.replayed.status, body, replayed: true }
      : { status: req.status, body, replayed: false };
  }

  /**
   * One transaction, run again on a serialization failure or deadlock. `taken`: what to answer when
   * another request stored the key between this one's lookup and COMMIT (the effect is undone).
   */
  private async attempts<R>(work: () => Promise<R>, taken?: () => Promise<R>): Promise<R> {
    // inside a transaction already open, the retry belongs to whoever opened it
    const owner = !this.uow.inTransaction();
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.uow.run(work);
      } catch (err) {
        if (taken && err instanceof KeyTakenMeanwhile) return taken();
        if (!owner || !isRetryable(err) || attempt >= MAX_ATTEMPTS) throw err;
        // full jitter over 10, 20, 40 ms: two retrying transactions rarely meet again
        await sleep(Math.random() * 10 * 2 ** (attempt - 1));
      }
    }
  }

  /** The answer another request stored under the key meanwhile. */
  private async storedMeanwhile<T>(id: KeyOf, opts: UseCaseOptions): Promise<UseCaseOutcome<T>> {
    const stored = await this.keys.find(id.scope, id.key, this.clock.now());
    if (!stored) throw keyInFlight('Retry shortly');
    return this.replay<T>(stored, id, opts);
  }

  private store(
    id: KeyOf,
    req: UseCaseRequest,
    opts: UseCaseOptions,
    body: unknown,
    now: Date,
  ): void {
    this.keys.deferStore(
      {
        scope: id.scope,
        key: id.key,
        requestHash: id.hash,
        status: req.status,
        // a secret shown once is not kept
        body: opts.secretAnswer ? null : (body ?? null),
        createdAt: now,
        expiresAt: new Date(now.getTime() + IDEMPOTENCY_TTL_MS),
      },
      () => {
        throw new KeyTakenMeanwhile();
      },
    );
  }

  private replay<T>(stored: StoredAnswer, id: KeyOf, opts: UseCaseOptions): UseCaseOutcome<T> {
    if (stored.requestHash !== id.hash) throw keyReused();
    if (opts.secretAnswer) {
      throw new DomainError(
        'IDEMPOTENCY_ANSWER_NOT_KEPT',
        'The request with this key succeeded; its answer held a secret shown only once',
      );
    }
    return { status: stored.status, body: stored.body as T, replayed: true };
  }
}
