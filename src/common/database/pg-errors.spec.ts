import {
  QueryFailedError,
  QueryRunnerAlreadyReleasedError,
  QueryRunnerProviderAlreadyReleasedError,
} from 'typeorm';
import { isDatabaseUnavailable } from './pg-errors';

const pg = (code: string, message = 'x') => Object.assign(new Error(message), { code });
const failed = (driverError: Error) => new QueryFailedError('SELECT 1', [], driverError);

describe('isDatabaseUnavailable: a lost or refused connection, not a refused statement', () => {
  it.each([
    [
      'the server shutting down (57P01)',
      failed(pg('57P01', 'terminating connection due to administrator command')),
    ],
    ['the server starting up (57P03)', pg('57P03', 'the database system is starting up')],
    ['a connection exception (08006)', failed(pg('08006'))],
    ['no connection slot (53300)', pg('53300')],
    ['a refused socket', pg('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:5432')],
    ['a reset socket', pg('ECONNRESET')],
    ['a connection that ended mid-query', failed(new Error('Connection terminated unexpectedly'))],
    [
      'a COMMIT after the connection went (TypeORM released it)',
      new QueryRunnerAlreadyReleasedError(),
    ],
    ['a statement after the connection went', new QueryRunnerProviderAlreadyReleasedError()],
    ['a pool that could not connect in time', new Error('timeout exceeded when trying to connect')],
    [
      'every address refused',
      Object.assign(new Error(''), { errors: [pg('ECONNREFUSED'), pg('ECONNREFUSED')] }),
    ],
  ])('%s: yes', (_what, err) => expect(isDatabaseUnavailable(err)).toBe(true));

  it.each([
    ['a unique violation', failed(pg('23505'))],
    ['a serialization failure', failed(pg('40001'))],
    ['a syntax error', failed(pg('42601'))],
    ['a plain error', new Error('boom')],
    ['a value that is not an error', 'ECONNREFUSED'],
    ['nothing', undefined],
  ])('%s: no', (_what, err) => expect(isDatabaseUnavailable(err)).toBe(false));
});
