import { Injectable } from '@nestjs/common';
import { AsyncLocalStorage } from 'node:async_hooks';
import { DataSource, EntityManager } from 'typeorm';
import type { IsolationLevel } from 'typeorm/driver/types/IsolationLevel';

interface Tx {
  em: EntityManager;
  beforeCommit: Map<string, () => Promise<void>>;
  state: Map<string, unknown>;
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
      const tx: Tx = { em, beforeCommit: new Map(), state: new Map() };
      return this.als.run(tx, async () => {
        const result = await work(em);
        for (const hook of tx.beforeCommit.values()) await hook();
        return result;
      });
    };
    return opts.isolation
      ? this.dataSource.transaction(opts.isolation, body)
      : this.dataSource.transaction(body);
  }
}
