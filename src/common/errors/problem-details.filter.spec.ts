import { ArgumentsHost, Logger, ServiceUnavailableException } from '@nestjs/common';
import { QueryFailedError } from 'typeorm';
import { ProblemDetailsFilter } from './problem-details.filter';

/** A Fastify reply that keeps what was sent. */
function reply() {
  const r = {
    sent: false,
    statusCode: 0,
    headers: {} as Record<string, string>,
    body: undefined as unknown,
    header(k: string, v: string) {
      r.headers[k] = v;
      return r;
    },
    status(s: number) {
      r.statusCode = s;
      return r;
    },
    send(b: unknown) {
      r.body = b;
      return r;
    },
  };
  return r;
}

function answer(exception: unknown) {
  const r = reply();
  const host = {
    switchToHttp: () => ({
      getResponse: () => r,
      getRequest: () => ({ url: '/api/v1/charges?x=1', id: 'req-7' }),
    }),
  } as unknown as ArgumentsHost;
  new ProblemDetailsFilter().catch(exception, host);
  return r;
}

describe('ProblemDetailsFilter: what it logs', () => {
  let warn: jest.SpyInstance;
  let error: jest.SpyInstance;
  beforeEach(() => {
    warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    error = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
  });
  afterEach(() => jest.restoreAllMocks());

  it('a lost database connection: 503 DATABASE_UNAVAILABLE and one warning line, no stack trace', () => {
    const lost = new QueryFailedError(
      'SELECT 1',
      [],
      Object.assign(new Error('terminating connection due to administrator command'), {
        code: '57P01',
      }),
    );
    const r = answer(lost);
    expect(r.statusCode).toBe(503);
    expect(r.body).toMatchObject({ code: 'DATABASE_UNAVAILABLE' });
    expect(r.headers['retry-after']).toBe('1');
    expect(error).not.toHaveBeenCalled();
    expect(warn).toHaveBeenCalledTimes(1);
    const logged = JSON.stringify(warn.mock.calls[0]);
    expect(logged).not.toContain('stack');
    expect(logged).not.toContain('    at ');
    expect(logged).toContain('57P01');
    expect(logged).toContain('req-7');
  });

  it('readiness failing while the database is away: 503 and one warning line, no stack trace', () => {
    const r = answer(new ServiceUnavailableException({ status: 'error', info: {}, error: {} }));
    expect(r.statusCode).toBe(503);
    expect(error).not.toHaveBeenCalled();
    expect(warn).toHaveBeenCalledTimes(1);
    const logged = JSON.stringify(warn.mock.calls[0]);
    expect(logged).not.toContain('stack');
    expect(logged).toContain('req-7');
  });

  it('an unexpected error: 500 INTERNAL, logged as an error with its stack', () => {
    const r = answer(new Error('boom'));
    expect(r.statusCode).toBe(500);
    expect(warn).not.toHaveBeenCalled();
    expect(error).toHaveBeenCalledTimes(1);
    expect(JSON.stringify(error.mock.calls[0])).toContain('stack');
  });
});
