import { Injectable } from '@nestjs/common';
import { AsyncLocalStorage } from 'node:async_hooks';
import { DataSource, EntityManager } from 'typeorm';
import type { IsolationLevel } from 'typeorm/driver/types/IsolationLevel';

const RETRYABLE = new Set(['40001', '40P01']);

/**
 * Owns transactions for use cases. `run` opens one (or joins the one already open) and makes its
 * EntityManager the current one, so every repository and the audit writer the use case calls work
 * inside the same transaction without threading it through each signature.
 */
@Injectable()
export class UnitOfWork {
  private readonly als = new AsyncLocalStorage<EntityManager>();

  constructor(private readonly dataSource: DataSource) {}

  /** The manager of the open transaction, or the pool's default outside one. */
  manager(): EntityManager {
    return this.als.getStore() ?? this.dataSource.manager;
  }

  inTransaction(): boolean {
    return this.als.getStore() !== undefined;
  }

  async run<T>(
    work: (em: EntityManager) => Promise<T>,
    opts: { isolation?: IsolationLevel; retries?: number } = {},
  ): Promise<T> {
    const current = this.als.getStore();
    if (current) return work(current);
    const retries = opts.retries ?? (opts.isolation === 'SERIALIZABLE' ? 5 : 0);
    for (let attempt = 0; ; attempt++) {
      try {
        const run = (em: EntityManager) => this.als.run(em, () => work(em));
        return opts.isolation
          ? await this.dataSource.transaction(opts.isolation, run)
          : await this.dataSource.transaction(run);
      } catch (err) {
        const code = (err as { driverError?: { code?: string } }).driverError?.code;
        if (attempt < retries && code && RETRYABLE.has(code)) continue;
        throw err;
      }
    }
  }
}
