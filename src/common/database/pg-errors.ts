import { QueryFailedError } from 'typeorm';

/** True when `err` is PostgreSQL's unique violation on the named constraint. */
export function isUniqueViolation(err: unknown, constraint: string): boolean {
  if (!(err instanceof QueryFailedError)) return false;
  const d = err.driverError as { code?: string; constraint?: string };
  return d.code === '23505' && d.constraint === constraint;
}

// The connection to PostgreSQL failed or went away, rather than a statement being refused: class 08
// (connection exception), 57P01-57P03 (the server is shutting down, crashed or still starting),
// 53300 (no connection slot), the socket's own errors, and node-postgres's words for a lost
// connection. Nothing about the request is wrong: it may succeed when sent again.
const UNAVAILABLE_SQLSTATE = /^(08...|57P0[123]|53300)$/;
const UNAVAILABLE_ERRNO = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);
// TypeORM releases a transaction's query runner when its connection reports an error; the use
// case's next statement (or its COMMIT, never sent) then meets one of these.
const RELEASED_RUNNER = new Set([
  'QueryRunnerAlreadyReleasedError',
  'QueryRunnerProviderAlreadyReleasedError',
]);
const UNAVAILABLE_MESSAGE =
  /Connection terminated|connection error and is not queryable|timeout exceeded when trying to connect|Client was closed and is not queryable|Connection lost/i;

/** True when `err` says the database could not be reached, not that it refused the statement. */
export function isDatabaseUnavailable(err: unknown): boolean {
  const e = (err instanceof QueryFailedError ? err.driverError : err) as
    { code?: unknown; message?: unknown; errors?: unknown; name?: unknown } | undefined;
  if (typeof e !== 'object' || e === null) return false;
  if (typeof e.name === 'string' && RELEASED_RUNNER.has(e.name)) return true;
  const code = typeof e.code === 'string' ? e.code : '';
  if (UNAVAILABLE_SQLSTATE.test(code) || UNAVAILABLE_ERRNO.has(code)) return true;
  // an AggregateError (every address of the host refused) carries the causes
  if (Array.isArray(e.errors) && e.errors.length && e.errors.every(isDatabaseUnavailable))
    return true;
  return typeof e.message === 'string' && UNAVAILABLE_MESSAGE.test(e.message);
}
