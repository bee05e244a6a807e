import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { randomUUID } from 'node:crypto';
import { STATUS_CODES as REASON_PHRASES } from 'node:http';
import type { Socket } from 'node:net';
import { QueryFailedError } from 'typeorm';
import { isDatabaseUnavailable } from '../database/pg-errors';
import { DomainError, FieldError } from './domain-error';
import { ERROR_STATUS, ERROR_TITLES, ErrorCode } from './error-codes';

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  code: ErrorCode;
  errors: FieldError[];
  instance?: string;
  requestId?: string;
  /** A refused booking: the nearest start dates with a room free (LONG_VISIT_NO_ROOM). */
  nearestDates?: string[];
}

const STATUS_CODES: Partial<Record<number, ErrorCode>> = {
  400: 'VALIDATION_FAILED',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'ROUTE_NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  409: 'CONFLICT',
  408: 'REQUEST_TIMEOUT',
  413: 'PAYLOAD_TOO_LARGE',
  414: 'URI_TOO_LONG',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  422: 'RULE_VIOLATION',
  429: 'RATE_LIMITED',
  431: 'HEADERS_TOO_LARGE',
  503: 'SERVICE_UNAVAILABLE',
};

// Fastify raises these before a route handler runs (routing, body parsing, limits); the detail
// is ours, so no answer names the framework's internals.
const FASTIFY_CODES: Record<string, { code: ErrorCode; detail: string }> = {
  FST_ERR_CTP_INVALID_JSON_BODY: { code: 'MALFORMED_REQUEST', detail: 'The body is not JSON' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { code: 'MALFORMED_REQUEST', detail: 'The body is empty' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: {
    code: 'MALFORMED_REQUEST',
    detail: 'The Content-Length does not match the body',
  },
  FST_ERR_CTP_BODY_TOO_LARGE: { code: 'PAYLOAD_TOO_LARGE', detail: 'The body is too large' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: {
    code: 'UNSUPPORTED_MEDIA_TYPE',
    detail: 'Send the body as application/json',
  },
  FST_ERR_CTP_INVALID_TYPE: {
    code: 'UNSUPPORTED_MEDIA_TYPE',
    detail: 'Send the body as application/json',
  },
  FST_ERR_BAD_URL: { code: 'MALFORMED_REQUEST', detail: 'The URL is not validly encoded' },
  FST_ERR_MAX_PARAM_LENGTH: {
    code: 'URI_TOO_LONG',
    detail: 'A path parameter is longer than any this API takes',
  },
};

// PostgreSQL errors that a client's input can cause; anything else is ours (500).
const PG_CODES: Record<string, ErrorCode> = {
  '23505': 'CONFLICT',
  // an exclusion constraint (e.g. two bookings of one room at overlapping times)
  '23P01': 'CONFLICT',
  '40001': 'CONCURRENT_UPDATE',
  '40P01': 'CONCURRENT_UPDATE',
  '55P03': 'CONCURRENT_UPDATE',
  '22P02': 'VALIDATION_FAILED',
  '22003': 'VALIDATION_FAILED',
  '22007': 'VALIDATION_FAILED',
  '22008': 'VALIDATION_FAILED',
  '22001': 'VALIDATION_FAILED',
};

function problemFor(
  code: ErrorCode,
  detail?: string,
  errors: FieldError[] = [],
): Omit<Problem, 'instance' | 'requestId'> {
  return {
    type: `urn:prisoner-services:problem:${code.toLowerCase().replace(/_/g, '-')}`,
    title: ERROR_TITLES[code],
    status: ERROR_STATUS[code],
    ...(detail ? { detail } : {}),
    code,
    errors,
  };
}

interface Classified {
  code: ErrorCode;
  detail?: string;
  errors?: FieldError[];
  headers?: Record<string, string>;
  extensions?: Record<string, unknown>;
}

function classify(exception: unknown): Classified {
  if (exception instanceof DomainError) {
    return {
      code: exception.code,
      detail: exception.detail,
      errors: exception.errors,
      headers: exception.headers,
      extensions: exception.extensions,
    };
  }
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    const body = exception.getResponse();
    const message =
      typeof body === 'object' && body !== null && 'message' in body
        ? String((body as { message: unknown }).message)
        : exception.message;
    // Our own validation raises DomainErrors; a bare 400 here comes from parsing the request.
    const code = status === 400 ? 'MALFORMED_REQUEST' : STATUS_CODES[status];
    return { code: code ?? (status >= 500 ? 'INTERNAL' : 'RULE_VIOLATION'), detail: message };
  }
  // before anything else that is not ours: a lost connection may surface as a query's failure
  if (isDatabaseUnavailable(exception)) {
    return {
      code: 'DATABASE_UNAVAILABLE',
      detail: 'The database does not answer (restarting?); send the request again shortly',
      headers: { 'retry-after': '1' },
    };
  }
  if (exception instanceof QueryFailedError) {
    const pgCode = (exception.driverError as { code?: string } | undefined)?.code ?? '';
    const code = PG_CODES[pgCode];
    if (code)
      return {
        code,
        detail: code === 'CONCURRENT_UPDATE' ? undefined : 'Rejected by the database',
      };
    return { code: 'INTERNAL' };
  }
  if (typeof exception === 'object' && exception !== null) {
    const e = exception as { code?: unknown; statusCode?: unknown; message?: unknown };
    if (typeof e.code === 'string' && e.code.startsWith('FST_')) {
      const known = FASTIFY_CODES[e.code];
      if (known) return known;
      const status = typeof e.statusCode === 'number' ? e.statusCode : 500;
      return { code: STATUS_CODES[status] ?? (status >= 500 ? 'INTERNAL' : 'MALFORMED_REQUEST') };
    }
    // body-parser style errors (e.g. a JSON SyntaxError tagged with a 4xx status)
    if (typeof e.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) {
      return { code: STATUS_CODES[e.statusCode] ?? 'MALFORMED_REQUEST' };
    }
  }
  return { code: 'INTERNAL' };
}

/**
 * Writes every error as RFC 9457 problem details. Never echoes SQL or stack traces; anything it
 * cannot classify is a 500 whose cause goes to the log only.
 */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('ProblemDetails');

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const reply = ctx.getResponse<FastifyReply>();
    const request = ctx.getRequest<FastifyRequest>();
    sendProblem(exception, request, reply, this.logger);
  }
}

/** What of an unexpected error goes to the log: never a query's parameters (they may hold secrets). */
function safeError(e: unknown): Record<string, unknown> {
  if (!(e instanceof Error)) return { message: String(e) };
  const pg =
    e instanceof QueryFailedError
      ? (e.driverError as { code?: string; constraint?: string })
      : undefined;
  return {
    type: e.name,
    message: e.message,
    stack: e.stack,
    pgCode: pg?.code,
    constraint: pg?.constraint,
  };
}

/** A lost connection, in a word: what it was and PostgreSQL's or the socket's code. */
function briefError(e: unknown): Record<string, unknown> {
  if (!(e instanceof Error)) return { message: String(e) };
  const cause =
    e instanceof QueryFailedError ? (e.driverError as { code?: string } | undefined) : undefined;
  const code = cause?.code ?? (e as { code?: unknown }).code;
  return { type: e.name, message: e.message, code: typeof code === 'string' ? code : undefined };
}

function sendProblem(
  exception: unknown,
  request: FastifyRequest,
  reply: FastifyReply,
  logger: Pick<Logger, 'error' | 'warn'>,
): void {
  const c = classify(exception);
  const problem: Problem = {
    ...problemFor(c.code, c.detail, c.errors ?? []),
    ...c.extensions,
    instance: request.url?.split('?')[0],
    requestId: String(request.id),
  };
  if (c.code === 'DATABASE_UNAVAILABLE') {
    // expected while PostgreSQL restarts, and then on every request: one line each, no stack
    logger.warn(
      { err: briefError(exception), requestId: request.id },
      'database unavailable: answered 503',
    );
  } else if (problem.status === 503) {
    // an outage answered as designed (readiness while the database is away, a drain): no stack
    logger.warn(
      { err: briefError(exception), code: c.code, requestId: request.id },
      'unavailable: answered 503',
    );
  } else if (problem.status >= 500) {
    logger.error({ err: safeError(exception), requestId: request.id }, 'unhandled error');
  }
  if (reply.sent) return;
  for (const [k, v] of Object.entries(c.headers ?? {})) void reply.header(k, v);
  void reply
    .status(problem.status)
    .header('content-type', 'application/problem+json; charset=utf-8')
    .send(problem);
}

const frameworkLogger = new Logger('ProblemDetails');

/** Fastify's `frameworkErrors`: a bad URL or an over-long path parameter, before routing. */
export function onFrameworkError(
  error: FastifyError,
  request: FastifyRequest,
  reply: FastifyReply,
): void {
  sendProblem(error, request, reply, frameworkLogger);
}

// What Node's HTTP parser refuses before there is a request (see Fastify's default handler).
const CLIENT_ERRORS: Record<string, { code: ErrorCode; detail: string }> = {
  ERR_HTTP_REQUEST_TIMEOUT: {
    code: 'REQUEST_TIMEOUT',
    detail: 'The request did not arrive in time',
  },
  HPE_HEADER_OVERFLOW: {
    code: 'HEADERS_TOO_LARGE',
    detail: 'The request headers are too large',
  },
};

/**
 * Fastify's `clientErrorHandler` (Node's 'clientError'): the request could not be parsed as
 * HTTP (a NUL in a header, headers too large, a timeout). There is no request to answer
 * through, so the problem document is written on the socket, which is then closed.
 */
export function onClientError(this: unknown, err: Error & { code?: string }, socket: Socket) {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const c = CLIENT_ERRORS[err.code ?? ''] ?? {
    code: 'MALFORMED_REQUEST' as const,
    detail: 'The request is not valid HTTP',
  };
  const requestId = randomUUID();
  const problem: Problem = { ...problemFor(c.code, c.detail), requestId };
  frameworkLogger.log({ requestId, code: c.code, cause: err.code }, 'refused a malformed request');
  if (socket.writable) {
    const body = JSON.stringify(problem);
    socket.write(
      `HTTP/1.1 ${problem.status} ${REASON_PHRASES[problem.status] ?? 'Error'}\r\n` +
        `Content-Type: application/problem+json; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\n` +
        `X-Request-Id: ${requestId}\r\n` +
        `Connection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(err);
}
