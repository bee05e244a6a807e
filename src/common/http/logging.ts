import type { Params } from 'nestjs-pino';
import pino, { DestinationStream, Logger, LoggerOptions } from 'pino';
import pretty from 'pino-pretty';
import type { Env } from '../../config/env.schema';
import { RequestContext } from './request-context';

/**
 * Nest's start-up chatter (each module wired, each route mapped: some eighty lines) goes out at
 * debug: `LOG_LEVEL=debug` shows it, the default does not.
 */
export const STARTUP_NOISE: ReadonlySet<string> = new Set([
  'NestFactory',
  'InstanceLoader',
  'RoutesResolver',
  'RouterExplorer',
  'NestApplication',
]);

/** Readable lines for a person at a terminal; one JSON line per event for everything else. */
export function logFormat(
  setting: Env['LOG_FORMAT'],
  isTTY: boolean,
  nodeEnv?: string,
): 'json' | 'pretty' {
  if (setting !== 'auto') return setting;
  return isTTY && nodeEnv !== 'production' ? 'pretty' : 'json';
}

/** Where log lines go: stdout as JSON, or through pino-pretty when `logFormat` says so. */
export function logDestination(
  env: Env,
  out: NodeJS.WriteStream = process.stdout,
): DestinationStream {
  if (logFormat(env.LOG_FORMAT, out.isTTY === true, env.NODE_ENV) === 'json') return out;
  return pretty({
    destination: out,
    sync: true,
    colorize: out.isTTY === true,
    translateTime: 'SYS:HH:MM:ss.l',
    ignore: 'pid,hostname,context,service,req,res,responseTime',
    messageFormat: prettyMessage,
  });
}

function prettyMessage(log: Record<string, unknown>, messageKey: string): string {
  const msg = String(log[messageKey] ?? '');
  const req = log.req as { id?: string; method?: string; url?: string } | undefined;
  const res = log.res as { statusCode?: number } | undefined;
  if (req?.method) {
    const took = typeof log.responseTime === 'number' ? ` ${log.responseTime} ms` : '';
    return `${req.method} ${req.url} → ${res?.statusCode ?? '?'}${took}  ${msg} (${req.id})`;
  }
  return typeof log.context === 'string' ? `[${log.context}] ${msg}` : msg;
}

/** The pino options every logger of the app shares: level, redaction, the noise demoted. */
export function baseLoggerOptions(env: Env): LoggerOptions {
  return {
    level: env.LOG_LEVEL,
    redact: { paths: REDACT_PATHS, censor: '[Redacted]' },
    hooks: {
      logMethod(args, method, level) {
        const first = args[0] as unknown;
        const context =
          typeof first === 'object' && first !== null
            ? (first as { context?: unknown }).context
            : undefined;
        if (level === 30 && typeof context === 'string' && STARTUP_NOISE.has(context)) {
          return this.debug(...(args as Parameters<Logger['debug']>));
        }
        return method.apply(this, args);
      },
    },
  };
}

/** A logger for the start before the app exists (same destination and format as the app's). */
export function createStartLogger(env: Env, stream: DestinationStream, context: string): Logger {
  return pino(baseLoggerOptions(env), stream).child({ context });
}

/** Paths of request fields that may carry secrets; pino writes them as [Redacted]. */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers["x-api-key"]',
  'req.headers.cookie',
  'req.headers["stripe-signature"]',
  'res.headers["set-cookie"]',
  '*.password',
  '*.apiKey',
  '*.cardNumber',
  '*.accessToken',
];

/**
 * The app's root logger: one per app, writing to `stream` (`logDestination(env)` when absent; tests
 * capture it). A line written while a request is handled carries its id (`reqId`) from the request
 * context, so no child logger is made per request; the request line itself is written by
 * `installRequestHooks` with `req`, `res` and `responseTime`.
 */
export function createAppLogger(env: Env, stream?: DestinationStream): Logger {
  return pino(
    {
      ...baseLoggerOptions(env),
      mixin(line: object) {
        const id = 'req' in line ? undefined : RequestContext.current()?.requestId;
        return id ? { reqId: id } : {};
      },
    },
    stream ?? logDestination(env),
  );
}

/**
 * nestjs-pino over the app's logger: Nest's own lines and every `Logger` of the app go to it, and
 * it adds no middleware (`forRoutes: []`): pino-http's child logger per request is not wanted.
 */
export function loggerParams(logger: Logger): Params {
  return { pinoHttp: { logger }, forRoutes: [] };
}
