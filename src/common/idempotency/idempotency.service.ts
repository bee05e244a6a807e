import { Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { Principal } from '../auth/principal';
import { UnitOfWork } from '../database/unit-of-work';
import { DomainError } from '../errors/domain-error';
import { canonicalJson } from '../json/canonical-json';

class KeyTakenMeanwhile extends Error {}

const KEY = /^[\x21-\x7e]{1,255}$/;
const TTL_HOURS = 24;

export interface IdempotentOutcome<T> {
  status: number;
  body: T;
  replayed: boolean;
}

export interface IdempotencyContext {
  /** The raw `Idempotency-Key` header. */
  key: string | undefined;
  /** Required on routes that move money. */
  required: boolean;
  actor: Principal;
  /** The route, e.g. `POST /charges`: a key is scoped to the caller and the route. */
  route: string;
  /** What identifies "the same request": path parameters and body. */
  request: unknown;
}

/** The key as checked (400 when required and missing or malformed). */
export function checkedKey(ctx: Pick<IdempotencyContext, 'key' | 'required'>): string | undefined {
  if (ctx.key === undefined) {
    if (ctx.required)
      throw new DomainError(
        'IDEMPOTENCY_KEY_REQUIRED',
        'Send an Idempotency-Key header (e.g. a UUID)',
      );
    return undefined;
  }
  if (!KEY.test(ctx.key)) {
    throw new DomainError(
      'VALIDATION_FAILED',
      'Idempotency-Key must be 1-255 visible ASCII characters',
      [{ field: 'Idempotency-Key', message: 'must be 1-255 visible ASCII characters' }],
    );
  }
  return ctx.key;
}

/** The same key came with another request (422). */
export function keyReused(): DomainError {
  return new DomainError(
    'IDEMPOTENCY_KEY_REUSED',
    'This Idempotency-Key was already used with a different request',
  );
}

/** The first request with the key has not finished (409). */
export function keyInFlight(
  detail = 'The first request with this key is still running; retry shortly',
): DomainError {
  return new DomainError('IDEMPOTENCY_IN_FLIGHT', detail);
}

export function requestHash(request: unknown): string {
  return createHash('sha256').update(canonicalJson(request)).digest('hex');
}

export function scopeOf(ctx: Pick<IdempotencyContext, 'actor' | 'route'>): string {
  return `${ctx.actor.kind}:${ctx.actor.id}:${ctx.route}`;
}

/**
 * Idempotency keys as the IETF draft has them: the same key and the same request within 24 h get
 * the first response again (`replayed`); the same key with another request → 422; while the first
 * is still running → 409. The key is written in the transaction of the effect, so an effect never
 * commits without its key, nor a key without its effect (Formance's log_process, in SQL).
 */
@Injectable()
export class IdempotencyService implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer?: NodeJS.Timeout;

  constructor(private readonly uow: UnitOfWork) {}

  onApplicationBootstrap(): void {
    // keys past their 24 hours are forgotten hourly
    this.timer = setInterval(() => void this.purgeExpired().catch(() => undefined), 3_600_000);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  async execute<T>(
    ctx: IdempotencyContext,
    work: () => Promise<{ status: number; body: T }>,
  ): Promise<IdempotentOutcome<T>> {
    const key = checkedKey(ctx);
    if (key === undefined) return { ...(await this.uow.run(work)), replayed: false };
    const scope = scopeOf(ctx);
    const hash = requestHash(ctx.request);
    return this.uow
      .run(async () => {
        // One round trip: take the key's lock (held to COMMIT: a second request meanwhile is told the
        // first is in flight) and read what is stored under the key.
        const [row] = await this.uow.query<{
          ok: boolean;
          request_hash: string | null;
          response_status: number;
          response_body: unknown;
        }>(
          `SELECT pg_try_advisory_xact_lock(hashtextextended($1, 0)) AS ok, k.request_hash, k.response_status, k.response_body
           FROM (SELECT 1) one
           LEFT JOIN idempotency_keys k ON k.scope = $2 AND k.key = $3 AND k.expires_at > now()`,
          [`idem|${scope}|${key}`, scope, key],
          { prepare: true },
        );
        if (!row.ok) throw keyInFlight();
        if (row.request_hash !== null)
          return this.replay<T>({ ...row, request_hash: row.request_hash }, hash);
        const result = await work();
        // Only a missing or expired key is (over)written, with the effect's last writes. A live one
        // here means another request committed it between the lookup's snapshot and the lock:
        // undo this effect, replay that.
        this.uow.defer({
          build: ({ param, name }) => ({
            ctes: [
              `${name('key')} AS (
                 INSERT INTO idempotency_keys (scope, key, request_hash, response_status, response_body, expires_at)
                 VALUES (${param(scope)}, ${param(key)}, ${param(hash)}, ${param(result.status)}::int,
                         ${param(JSON.stringify(result.body))}::jsonb, now() + make_interval(hours => ${param(TTL_HOURS)}::int))
                 ON CONFLICT (scope, key) DO UPDATE SET request_hash = EXCLUDED.request_hash,
                   response_status = EXCLUDED.response_status, response_body = EXCLUDED.response_body,
                   created_at = now(), expires_at = EXCLUDED.expires_at
                 WHERE idempotency_keys.expires_at <= now()
                 RETURNING 1)`,
            ],
            result: `SELECT count(*)::int FROM ${name('key')}`,
          }),
          check: (written) => {
            if (written !== 1) throw new KeyTakenMeanwhile();
          },
          prepare: true,
        });
        return { ...result, replayed: false };
      })
      .catch(async (err: unknown) => {
        if (!(err instanceof KeyTakenMeanwhile)) throw err;
        const stored = await this.find(scope, key);
        if (!stored) throw keyInFlight('Retry shortly');
        return this.replay<T>(stored, hash);
      });
  }

  /** A stored response for this key, if one is still valid. */
  async find(
    scope: string,
    key: string,
  ): Promise<{ request_hash: string; response_status: number; response_body: unknown } | null> {
    const rows: Array<{ request_hash: string; response_status: number; response_body: unknown }> =
      await this.uow.manager().query(
        `SELECT request_hash, response_status, response_body FROM idempotency_keys
          WHERE scope = $1 AND key = $2 AND expires_at > now()`,
        [scope, key],
      );
    return rows[0] ?? null;
  }

  replay<T>(
    stored: { request_hash: string; response_status: number; response_body: unknown },
    hash: string,
  ): IdempotentOutcome<T> {
    if (stored.request_hash !== hash) throw keyReused();
    return { status: stored.response_status, body: stored.response_body as T, replayed: true };
  }

  /** Stores a response for a key outside `execute` (multi-phase use cases like Stripe deposits). */
  async store(ctx: IdempotencyContext, key: string, status: number, body: unknown): Promise<void> {
    await this.uow.manager().query(
      `INSERT INTO idempotency_keys (scope, key, request_hash, response_status, response_body, expires_at)
       VALUES ($1, $2, $3, $4, $5, now() + make_interval(hours => $6))
       ON CONFLICT (scope, key) DO NOTHING`,
      [scopeOf(ctx), key, requestHash(ctx.request), status, JSON.stringify(body), TTL_HOURS],
    );
  }

  /** Forgets keys past their 24 hours. */
  async purgeExpired(): Promise<number> {
    const res: [unknown[], number] = await this.uow
      .manager()
      .query(`DELETE FROM idempotency_keys WHERE expires_at <= now()`);
    return res[1] ?? 0;
  }
}
