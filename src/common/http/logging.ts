import { RequestMethod } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';
import type { Params } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import type { Env } from '../../config/env.schema';

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

/** `stream`: where the JSON lines go (stdout when absent); tests capture them. */
export function loggerOptions(env: Env, stream?: DestinationStream): Params {
  return {
    forRoutes: [{ path: '{*splat}', method: RequestMethod.ALL }],
    pinoHttp: [
      {
        level: env.LOG_LEVEL,
        redact: { paths: REDACT_PATHS, censor: '[Redacted]' },
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
      stream ?? process.stdout,
    ],
  };
}
