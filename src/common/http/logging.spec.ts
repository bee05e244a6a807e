import pino from 'pino';
import { Writable } from 'node:stream';
import { loadEnv } from '../../config/env.schema';
import { baseLoggerOptions, createAppLogger, logFormat } from './logging';
import { RequestContext } from './request-context';
import { answeredLevel } from './request-hooks';

function capture(level: string): {
  logger: pino.Logger;
  lines: () => Array<Record<string, unknown>>;
} {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  const logger = pino(baseLoggerOptions(loadEnv({ LOG_LEVEL: level })), stream);
  return {
    logger,
    lines: () =>
      chunks
        .join('')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}

describe('the log format', () => {
  it('is readable on a terminal and one JSON line per event elsewhere or in production', () => {
    expect(logFormat('auto', true, undefined)).toBe('pretty');
    expect(logFormat('auto', false, undefined)).toBe('json');
    expect(logFormat('auto', true, 'production')).toBe('json');
    expect(logFormat('json', true, undefined)).toBe('json');
    expect(logFormat('pretty', false, 'production')).toBe('pretty');
  });
});

describe("Nest's start-up noise", () => {
  const nestLine = (logger: pino.Logger, context: string, msg: string): void =>
    logger.info({ context }, msg);

  it('goes out at debug: not shown at the default level', () => {
    const { logger, lines } = capture('info');
    nestLine(logger, 'RoutesResolver', 'AuditController {/api/v1}:');
    nestLine(logger, 'RouterExplorer', 'Mapped {/api/v1/audit/verify, GET} route');
    nestLine(logger, 'InstanceLoader', 'AppModule dependencies initialized');
    nestLine(logger, 'NestApplication', 'Nest application successfully started');
    nestLine(logger, 'Bootstrap', 'prisoner-services serving at http://127.0.0.1:3000/api/v1');
    expect(lines().map((l) => [l.level, l.context])).toEqual([[30, 'Bootstrap']]);
  });

  it('is still there at debug, as debug lines', () => {
    const { logger, lines } = capture('debug');
    nestLine(logger, 'RouterExplorer', 'Mapped {/api/v1/audit/verify, GET} route');
    logger.warn({ context: 'RouterExplorer' }, 'a warning stays a warning');
    expect(lines().map((l) => [l.level, l.msg])).toEqual([
      [20, 'Mapped {/api/v1/audit/verify, GET} route'],
      [40, 'a warning stays a warning'],
    ]);
  });
});

describe("the app's logger", () => {
  it('marks a line written while a request is handled with its id, without a child logger', () => {
    const chunks: string[] = [];
    const stream = new Writable({
      write(chunk: Buffer, _enc, done) {
        chunks.push(chunk.toString());
        done();
      },
    });
    const logger = createAppLogger(loadEnv({ LOG_LEVEL: 'info' }), stream);
    logger.info('outside');
    RequestContext.run({ requestId: 'req-9' }, () => {
      logger.warn({ context: 'Deposits' }, 'inside');
      logger.info({ req: { id: 'req-9' } }, 'request completed');
    });
    const lines = chunks.map((c) => JSON.parse(c) as Record<string, unknown>);
    expect(lines.map((l) => [l.msg, l.reqId])).toEqual([
      ['outside', undefined],
      ['inside', 'req-9'],
      ['request completed', undefined],
    ]);
  });
});

describe('the level of a request line', () => {
  it('is error for a failure of ours, warn for an outage answered 503 and for 4xx, info else', () => {
    expect(answeredLevel(500)).toBe('error');
    expect(answeredLevel(502)).toBe('error');
    expect(answeredLevel(599)).toBe('error');
    expect(answeredLevel(503)).toBe('warn');
    expect(answeredLevel(499)).toBe('warn');
    expect(answeredLevel(400)).toBe('warn');
    expect(answeredLevel(399)).toBe('info');
    expect(answeredLevel(201)).toBe('info');
    expect(answeredLevel(304)).toBe('info');
  });
});
