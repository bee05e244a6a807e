import { Injectable } from '@nestjs/common';
import { rowsOf } from './rows';
import { UnitOfWork } from './unit-of-work';

export type Row = Record<string, unknown>;

/** For repositories written in SQL: runs in the use case's transaction when one is open. */
@Injectable() // so subclasses inherit the constructor's parameter types for injection
export abstract class SqlRepository {
  constructor(protected readonly uow: UnitOfWork) {}

  protected q<T = Row>(sql: string, params: unknown[] = []): Promise<T[]> {
    return this.uow
      .manager()
      .query(sql, params)
      .then((r) => rowsOf<T>(r));
  }
}
