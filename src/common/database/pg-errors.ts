import { QueryFailedError } from 'typeorm';

/** True when `err` is PostgreSQL's unique violation on the named constraint. */
export function isUniqueViolation(err: unknown, constraint: string): boolean {
  if (!(err instanceof QueryFailedError)) return false;
  const d = err.driverError as { code?: string; constraint?: string };
  return d.code === '23505' && d.constraint === constraint;
}
