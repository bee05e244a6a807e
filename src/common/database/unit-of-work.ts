import { Injectable } from '@nestjs/common';
import { AsyncLocalStorage } from 'node:async_hooks';
import { createHash } from 'node:crypto';
import { DataSource, EntityManager, QueryFailedError } from 'typeorm';
import { rowsOf } from './rows';
import type { IsolationLevel } from 'typeorm/driver/types/IsolationLevel';

interface Tx {
  em: EntityManager;
  beforeCommit: Map<string, () => Promise<void>>;
  state: Map<string, unknown>;
  deferred: DeferredWrite[];
  afterCommit: Array<() => void>;
  events: DomainEvent[];
}

/**
 * Something that happened in a use case that other modules may react to (a transfer, a release).
 * The module that raises it defines it and knows none of its consumers.
 */
export abstract class DomainEvent {
  /** For logs and audit: e.g. `prisoner.transferred`. */
  abstract readonly name: string;
}

/** An event class, as handlers subscribe to it. */
export type DomainEventType<E extends DomainEvent> = abstract new (...args: never[]) => E;

export type DomainEventHandler<E extends DomainEvent> = (event: E) => Promise<void>;

/** Names and parameters of one deferred write inside the statement that carries them all. */
export interface SqlParts {
  /** A placeholder (`$n`) for a value. */
  param(value: unknown): string;
  /** A CTE name private to this write. */
  name(local: string): string;
}

/**
 * A write that needs nothing back before COMMIT: it is sent with the transaction's other deferred
 * writes as one statement (data-modifying CTEs), so a use case's last writes (its records, its
 * ledger entry, its audit events, its idempotency key) cost one round trip, not one each. The
 * statement sees the snapshot it starts with: deferred writes must not depend on one another, and
 * no two may change the same row.
 */
export interface DeferredWrite {
  /** `ctes`: `name AS (...)` items; `result`: an expression over them, handed to `check`. */
  build(sql: SqlParts): { ctes: string[]; result: string };
  /**
   * The write's SQL takes few shapes (it is on a hot path): the statement may be prepared (see
   * `UnitOfWork.query`). A batch is prepared when all its writes say so.
   */
  prepare?: boolean;
  /** Throw to roll the transaction back (e.g. an expected row was not written). */
  check?(value: unknown): void;
}

/**
 * Owns transactions for use cases. `run` opens one (or joins the one already open) and makes its
 * EntityManager the current one, so every repository and the audit writer the use case calls work
 * inside the same transaction without threading it through each signature.
 */
@Injectable()
export class UnitOfWork {
  private readonly als = new AsyncLocalStorage<Tx>();
  private readonly handlers = new Map<DomainEventType<DomainEvent>, DomainEventHandler<never>[]>();

  constructor(private readonly dataSource: DataSource) {}

  /** The manager of the open transaction, or the pool's default outside one. */
  manager(): EntityManager {
    return this.als.getStore()?.em ?? this.dataSource.manager;
  }

  inTransaction(): boolean {
    return this.als.getStore() !== undefined;
  }

  /**
   * Runs a statement in the open transaction (or on the pool outside one) and returns its rows.
   * `prepare`: inside a transaction, as a named prepared statement, parsed and planned once per
   * connection rather than on every call; PostgreSQL spends more on planning the hot path's
   * statements than on running them. Only for statements whose text takes few shapes: each shape
   * stays prepared on each connection for the connection's life. Name the columns (no `*`): a
   * prepared statement whose result columns change under it (a migration by a newer instance)
   * fails until the connection is replaced.
   */
  async query<T = Record<string, unknown>>(
    sql: string,
    params: unknown[] = [],
    opts: { prepare?: boolean } = {},
  ): Promise<T[]> {
    const client = opts.prepare ? this.connection() : undefined;
    if (!client) return rowsOf<T>(await this.manager().query(sql, params));
    try {
      const res = await client.query({ name: statementName(sql), text: sql, values: params });
      return res.rows as T[];
    } catch (err) {
      // the same error TypeORM would raise, for the error filter and the constraint checks
      throw new QueryFailedError(sql, params, err as Error);
    }
  }

  /**
   * Takes a transaction-scoped advisory lock, held to COMMIT: a number as it is, a name by its
   * 64-bit hash. Serializes work no row stands for (first start, loading the policy files).
   */
  async lock(key: number | string): Promise<void> {
    if (!this.inTransaction()) throw new Error('lock outside a transaction');
    await this.query(
      typeof key === 'number'
        ? 'SELECT pg_advisory_xact_lock($1::bigint)'
        : 'SELECT pg_advisory_xact_lock(hashtextextended($1, 0))',
      [key],
    );
  }

  /**
   * Takes the same lock as `lock` if nobody holds it, without waiting: false when it is taken.
   * For work that must not queue connections behind one name (a crowd guessing one account's
   * password would hold the whole pool waiting).
   */
  async tryLock(key: string): Promise<boolean> {
    if (!this.inTransaction()) throw new Error('lock outside a transaction');
    const [row] = await this.query<{ ok: boolean }>(
      'SELECT pg_try_advisory_xact_lock(hashtextextended($1, 0)) AS ok',
      [key],
    );
    return row.ok;
  }

  /** The open transaction's own connection, when there is one. */
  private connection(): PgConnection | undefined {
    const qr = this.als.getStore()?.em.queryRunner as
      { databaseConnection?: PgConnection } | undefined;
    return qr?.databaseConnection;
  }

  /**
   * Registers work to run inside the open transaction after the use case's own work, just before
   * COMMIT (once per key). Locks taken there are held for the shortest time.
   */
  beforeCommit(key: string, hook: () => Promise<void>): void {
    const tx = this.als.getStore();
    if (!tx) throw new Error('beforeCommit outside a transaction');
    if (!tx.beforeCommit.has(key)) tx.beforeCommit.set(key, hook);
  }

  /**
   * Subscribes to an event, for every transaction (a consuming module calls this once, at module
   * init). Handlers run in the transaction that raised the event, after its use case's work and
   * before its `beforeCommit` hooks and deferred writes: what they change commits with the event,
   * and a handler that throws rolls the whole use case back.
   */
  on<E extends DomainEvent>(type: DomainEventType<E>, handler: DomainEventHandler<E>): void {
    const list = this.handlers.get(type) ?? [];
    list.push(handler as DomainEventHandler<never>);
    this.handlers.set(type, list);
  }

  /** Raises an event in the open transaction; its handlers run before COMMIT (in raising order). */
  publish(event: DomainEvent): void {
    const tx = this.als.getStore();
    if (!tx) throw new Error('publish outside a transaction');
    tx.events.push(event);
  }

  /** Runs the handlers of the events raised so far, and of those they raise in turn. */
  private async dispatch(tx: Tx): Promise<void> {
    for (let i = 0; i < tx.events.length; i++) {
      const event = tx.events[i];
      for (const [type, list] of this.handlers) {
        if (!(event instanceof type)) continue;
        for (const handler of list) await (handler as DomainEventHandler<DomainEvent>)(event);
      }
    }
  }

  /**
   * Registers work for after COMMIT (e.g. forgetting a cached value the transaction changed); run
   * at once outside a transaction, never after a rollback.
   */
  afterCommit(fn: () => void): void {
    const tx = this.als.getStore();
    if (tx) tx.afterCommit.push(fn);
    else fn();
  }

  /** Runs a write built for deferral at once, in the open transaction (or on its own). */
  async writeNow(write: DeferredWrite): Promise<unknown> {
    return (await this.flushDeferred([write]))[0];
  }

  /** Sends the writes as one statement and lets each check what it wrote. */
  private async flushDeferred(writes: DeferredWrite[]): Promise<unknown[]> {
    const { sql, params } = composeWrites(writes);
    const [row] = await this.query(sql, params, { prepare: writes.every((w) => w.prepare) });
    return writes.map((w, i) => {
      w.check?.(row[`r${i}`]);
      return row[`r${i}`];
    });
  }

  /**
   * Queues a write for the statement sent after the use case's work and its `beforeCommit` hooks,
   * just before COMMIT (in queueing order).
   */
  defer(write: DeferredWrite): void {
    const tx = this.als.getStore();
    if (!tx) throw new Error('defer outside a transaction');
    tx.deferred.push(write);
  }

  /** State kept for the life of the open transaction (e.g. events to write before COMMIT). */
  txState<T>(key: string, init: () => T): T {
    const tx = this.als.getStore();
    if (!tx) throw new Error('txState outside a transaction');
    if (!tx.state.has(key)) tx.state.set(key, init());
    return tx.state.get(key) as T;
  }

  /**
   * Runs reads in one snapshot that writes nothing: its own REPEATABLE READ, READ ONLY
   * transaction, so everything it reads is of one instant, whatever commits meanwhile (a report
   * that checks rows against each other must not see half of a write).
   */
  async snapshot<T>(work: () => Promise<T>): Promise<T> {
    // joined to an open transaction, it would be neither read-only nor one snapshot
    if (this.inTransaction()) throw new Error('snapshot inside a transaction');
    return this.run(
      async () => {
        await this.query('SET TRANSACTION READ ONLY');
        return work();
      },
      { isolation: 'REPEATABLE READ' },
    );
  }

  async run<T>(
    work: (em: EntityManager) => Promise<T>,
    opts: { isolation?: IsolationLevel } = {},
  ): Promise<T> {
    const current = this.als.getStore();
    if (current) return work(current.em);
    const after: Array<() => void> = [];
    const body = (em: EntityManager) => {
      after.length = 0;
      const tx: Tx = {
        em,
        beforeCommit: new Map(),
        state: new Map(),
        deferred: [],
        afterCommit: after,
        events: [],
      };
      return this.als.run(tx, async () => {
        const result = await work(em);
        await this.dispatch(tx);
        for (const hook of tx.beforeCommit.values()) await hook();
        if (tx.deferred.length) await this.flushDeferred(tx.deferred);
        return result;
      });
    };
    const result = await (opts.isolation
      ? this.dataSource.transaction(opts.isolation, body)
      : this.dataSource.transaction(body));
    for (const fn of after) fn();
    return result;
  }
}

interface PgConnection {
  query(q: { name: string; text: string; values: unknown[] }): Promise<{ rows: unknown[] }>;
}

const names = new Map<string, string>();

/** A prepared statement's name: the same text gets the same name on every connection. */
function statementName(sql: string): string {
  let name = names.get(sql);
  if (!name) {
    name = `ps_${createHash('sha256').update(sql).digest('hex').slice(0, 32)}`;
    if (names.size < 1_000) names.set(sql, name);
  }
  return name;
}

/** Deferred writes as one statement: their CTEs, then each one's result as a column `r<i>`. */
function composeWrites(writes: DeferredWrite[]): { sql: string; params: unknown[] } {
  const params: unknown[] = [];
  const ctes: string[] = [];
  const results: string[] = [];
  writes.forEach((w, i) => {
    const built = w.build({
      param: (v) => {
        params.push(v);
        return `$${params.length}`;
      },
      name: (local) => `d${i}_${local}`,
    });
    ctes.push(...built.ctes);
    // read left to right in the select list: in practice the writes run in queueing order
    results.push(`(${built.result}) AS r${i}`);
  });
  return {
    sql: `${ctes.length ? `WITH ${ctes.join(',\n')}\n` : ''}SELECT ${results.join(', ')}`,
    params,
  };
}
