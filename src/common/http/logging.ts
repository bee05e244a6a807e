import { RequestMethod } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';
import type { Params } from 'nestjs-pino';
import pino, { DestinationStream, Logger, LoggerOptions } from 'pino';
import pretty from 'pino-pretty';
import type { Env } from '../../config/env.schema';

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

/** `stream`: where the lines go (`logDestination(env)` when absent); tests capture them. */
export function loggerOptions(env: Env, stream?: DestinationStream): Params {
  return {
    forRoutes: [{ path: '{*splat}', method: RequestMethod.ALL }],
    pinoHttp: [
      {
        ...baseLoggerOptions(env),
        // Fastify already chose the id (honouring a sane X-Request-Id); reuse it.
        genReqId: (req: IncomingMessage) => (req as IncomingMessage & { id?: string }).id ?? '',
        customProps: () => ({ service: 'prisoner-services' }),
        serializers: {
          req: (req: { id: string; method: string; url: string; remoteAddress?: string }) => ({
            id: req.id,
            method: req.method,
            url: req.url,
            remoteAddress: req.remoteAddress,
          }),
          // pino-http hands the serializer { statusCode, headers } (and the raw response)
          res: (res: { statusCode: number; headers?: Record<string, unknown> }) => ({
            statusCode: res.statusCode,
            ...(res.headers?.['idempotent-replayed'] ? { replayed: true } : {}),
          }),
        },
        customLogLevel: (_req, res, err) =>
          err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info',
      },
      stream ?? logDestination(env),
    ],
  };
}
