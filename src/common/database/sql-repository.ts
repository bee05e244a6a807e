import { Injectable } from '@nestjs/common';
import { UnitOfWork } from './unit-of-work';

export type Row = Record<string, unknown>;

/** For repositories written in SQL: runs in the use case's transaction when one is open. */
@Injectable() // so subclasses inherit the constructor's parameter types for injection
export abstract class SqlRepository {
  constructor(protected readonly uow: UnitOfWork) {}

  /** `prepare`: a hot-path statement of fixed text (see `UnitOfWork.query`). */
  protected q<T = Row>(
    sql: string,
    params: unknown[] = [],
    opts: { prepare?: boolean } = {},
  ): Promise<T[]> {
    return this.uow.query<T>(sql, params, opts);
  }
}
