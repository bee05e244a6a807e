import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import { isUtf8 } from 'node:buffer';
import { randomUUID } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { IncomingMessage } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import type { DestinationStream } from 'pino';
import { AppModule } from './app.module';
import {
  onClientError,
  onFrameworkError,
  ProblemDetailsFilter,
} from './common/errors/problem-details.filter';
import { DomainError } from './common/errors/domain-error';
import { MAX_JSON_DEPTH, nestsDeeperThan } from './common/http/json-depth';
import { createValidationPipe } from './common/http/validation';
import { InFlightTracker } from './common/http/request-context';
import { DrainState, installRequestHooks } from './common/http/request-hooks';
import { createAppLogger } from './common/http/logging';
import { API_SECURITY, securityHeaders } from './common/http/security-headers';
import { Env } from './config/env.schema';
import { normalizeDocument } from './common/openapi/normalize-document';
import { registerWeb } from './web/web.plugin';

export const API_PREFIX = 'api/v1';
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

const drains = new WeakMap<object, DrainState>();

/**
 * Shuts the HTTP side down in order: from now on every new request (on a new connection or a kept
 * one) is answered 503 `SERVICE_UNAVAILABLE` (readiness too, so a balancer stops sending); the
 * requests already in flight, and handlers whose client hung up, are let finish for up to
 * `timeoutMs`; then the server stops listening and cuts what is left, so the database is not
 * closed under a handler unless the deadline forces it. Resolves to the number of requests cut off.
 */
export async function drainHttp(app: NestFastifyApplication, timeoutMs = 10_000): Promise<number> {
  const fastify = app.getHttpAdapter().getInstance();
  const state = drains.get(fastify);
  const until = Date.now() + timeoutMs;
  if (state) {
    state.draining = true;
    while (state.open.size > 0 && Date.now() < until) await sleep(10);
  }
  await app.get(InFlightTracker).idle(Math.max(0, until - Date.now()));
  const closing = fastify.close();
  // past the deadline: connections still open are cut (their transactions roll back unanswered)
  const cut = state?.open.size ?? 0;
  if (cut) fastify.server.closeAllConnections();
  await closing;
  return cut;
}

/** Builds the HTTP application (not yet listening): used by `main`, the tests and the bench. */
export async function createHttpApp(
  env: Env,
  opts: { logStream?: DestinationStream } = {},
): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    bodyLimit: env.BODY_LIMIT_BYTES,
    trustProxy: env.TRUST_PROXY,
    routerOptions: { maxParamLength: 256 },
    // what Fastify and Node answer by themselves (a bad URL, a parameter over the length, a
    // header too large or malformed) is a problem document with our own code too
    frameworkErrors: onFrameworkError,
    clientErrorHandler: onClientError,
    // Keep a caller's request id when it is sane, so a terminal can correlate; else make one.
    genReqId: (req: IncomingMessage) => {
      const h = req.headers['x-request-id'];
      return typeof h === 'string' && REQUEST_ID.test(h) ? h : randomUUID();
    },
  });
  const logger = createAppLogger(env, opts.logStream);
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot(env, logger),
    adapter,
    {
      rawBody: true,
      bufferLogs: true,
      abortOnError: false,
    },
  );
  app.useLogger(app.get(Logger));
  app.flushLogs();

  const fastify = app.getHttpAdapter().getInstance();
  drains.set(
    fastify,
    installRequestHooks(fastify, {
      livePath: `/${API_PREFIX}/health/live`,
      headers: securityHeaders(API_SECURITY),
      inFlight: app.get(InFlightTracker),
      logger,
    }),
  );

  app.setGlobalPrefix(API_PREFIX);
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new ProblemDetailsFilter());
  setupOpenApi(app);
  try {
    await app.init();
  } catch (err) {
    // a failed start (a bad policy file, no admin password) must not leave connections open
    await app.close().catch(() => undefined);
    throw err;
  }
  // JSON only: other bodies get 415 rather than a string for the validator to puzzle over.
  fastify.removeContentTypeParser(['text/plain', 'application/x-www-form-urlencoded']);
  // JSON with the raw bytes kept (Stripe signatures); an empty body with a JSON content type, as
  // many HTTP clients send on body-less POSTs, is no body rather than a parse error.
  const json = fastify.getDefaultJsonParser('error', 'error');
  fastify.removeContentTypeParser('application/json');
  fastify.addContentTypeParser(
    'application/json',
    { parseAs: 'buffer', bodyLimit: env.BODY_LIMIT_BYTES },
    (req, body: Buffer, done) => {
      (req as unknown as { rawBody: Buffer }).rawBody = body;
      if (body.length === 0) done(null, undefined);
      else if (!isUtf8(body)) {
        // JSON is UTF-8 (RFC 8259); the parser would store bad bytes as U+FFFD instead
        done(new DomainError('MALFORMED_REQUEST', 'The body is not valid UTF-8'), undefined);
      } else if (nestsDeeperThan(body, MAX_JSON_DEPTH)) {
        done(
          new DomainError(
            'MALFORMED_REQUEST',
            `The JSON body nests deeper than ${MAX_JSON_DEPTH} levels`,
          ),
          undefined,
        );
      } else void json(req, body as unknown as string, done);
    },
  );
  // the relatives' pages at `/` (plain Fastify routes, outside Nest and its OpenAPI document)
  await registerWeb(app, env);
  return app;
}

function setupOpenApi(app: NestFastifyApplication): void {
  const config = new DocumentBuilder()
    .setTitle('prisoner-services')
    .setDescription(
      'Backend of the penitentiary services: facilities and prisoners, versioned policies, parcels, ' +
        'payphones, prisoner cards, long visits, care, audit. Errors are RFC 9457 problem details ' +
        '(`application/problem+json`) with a stable `code`. Unknown fields in a body are refused ' +
        '(400). Instants are ISO 8601 with an offset, money is integer minor units with `currency`.',
    )
    .setVersion('1')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
    .addApiKey({ type: 'apiKey', in: 'header', name: 'X-Api-Key' }, 'terminal-key')
    .build();
  const doc = normalizeDocument(SwaggerModule.createDocument(app, config));
  SwaggerModule.setup('api/docs', app, doc, {
    jsonDocumentUrl: 'api/docs-json',
    // the server is where the reader fetched the document from (behind a proxy: what it forwarded)
    patchDocumentOnRequest: (req, _res, document) => ({
      ...document,
      servers: [{ url: serverUrl(req as FastifyRequest), description: 'This server' }],
    }),
  });
}

const HOST = /^[A-Za-z0-9.-]+(:[0-9]{1,5})?$|^\[[0-9A-Fa-f:.]+\](:[0-9]{1,5})?$/;

function serverUrl(req: FastifyRequest): string {
  const host = req.host;
  const proto = req.protocol === 'https' ? 'https' : 'http';
  return typeof host === 'string' && HOST.test(host) ? `${proto}://${host}` : 'http://localhost';
}
