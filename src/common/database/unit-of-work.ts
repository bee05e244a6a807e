import { Injectable } from '@nestjs/common';
import { AsyncLocalStorage } from 'node:async_hooks';
import { DataSource, EntityManager } from 'typeorm';
import type { IsolationLevel } from 'typeorm/driver/types/IsolationLevel';

interface Tx {
  em: EntityManager;
  beforeCommit: Map<string, () => Promise<void>>;
  state: Map<string, unknown>;
  deferred: DeferredWrite[];
}

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

  constructor(private readonly dataSource: DataSource) {}

  /** The manager of the open transaction, or the pool's default outside one. */
  manager(): EntityManager {
    return this.als.getStore()?.em ?? this.dataSource.manager;
  }

  inTransaction(): boolean {
    return this.als.getStore() !== undefined;
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
   * Queues a write for the statement sent after the use case's work and its `beforeCommit` hooks,
   * just before COMMIT (in queueing order).
   */
  /** Runs a write built for deferral at once, in the open transaction (or on its own). */
  writeNow(write: DeferredWrite): Promise<unknown> {
    return writeNow(this.manager(), write);
  }

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

  async run<T>(
    work: (em: EntityManager) => Promise<T>,
    opts: { isolation?: IsolationLevel } = {},
  ): Promise<T> {
    const current = this.als.getStore();
    if (current) return work(current.em);
    const body = (em: EntityManager) => {
      const tx: Tx = { em, beforeCommit: new Map(), state: new Map(), deferred: [] };
      return this.als.run(tx, async () => {
        const result = await work(em);
        for (const hook of tx.beforeCommit.values()) await hook();
        if (tx.deferred.length) await flushDeferred(em, tx.deferred);
        return result;
      });
    };
    return opts.isolation
      ? this.dataSource.transaction(opts.isolation, body)
      : this.dataSource.transaction(body);
  }
}

/** Runs one write at once, in the given manager's transaction; returns its checked result. */
export async function writeNow(em: EntityManager, write: DeferredWrite): Promise<unknown> {
  return (await flushDeferred(em, [write]))[0];
}

/** Sends the deferred writes as one statement and lets each check what it wrote. */
async function flushDeferred(em: EntityManager, writes: DeferredWrite[]): Promise<unknown[]> {
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
  const rows = (await em.query(
    `${ctes.length ? `WITH ${ctes.join(',\n')}\n` : ''}SELECT ${results.join(', ')}`,
    params,
  )) as Array<Record<string, unknown>>;
  return writes.map((w, i) => {
    w.check?.(rows[0][`r${i}`]);
    return rows[0][`r${i}`];
  });
}
