import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import type { Principal } from '../auth/principal';
import { DomainError } from '../errors/domain-error';
import { lowerCaseIdParams } from './edge-input';
import { InFlightTracker, RequestContext, RequestContextStore } from './request-context';

/** Whether an app is shutting down, and the requests it is serving (by request id). */
export interface DrainState {
  draining: boolean;
  open: Set<string>;
}

export interface RequestHookDeps {
  /** Paths under this prefix answer while draining (liveness: the process is still up). */
  livePath: string;
  /** Headers every answer carries (security headers), fixed once. */
  headers: Readonly<Record<string, string>>;
  inFlight: InFlightTracker;
  /** Where the line for each answered request goes. */
  logger: Logger;
}

const HANDLING = Symbol('handling');
type Tracked = FastifyRequest & { [HANDLING]?: boolean; principal?: Principal };

/**
 * What every request goes through before and after its handler, as plain Fastify hooks with
 * callbacks (no promise, no Nest interceptor, no child logger per request — each of those costs
 * every request, the bare ones included): its id and the security headers on the answer; 503 while
 * draining; no content coding; ids in the path lower-cased; the request context (request id, and
 * the principal once the guard has set it) around the handler; handlers counted while they run, so
 * shutdown waits for them even when the client has hung up; one log line when it is answered.
 */
export function installRequestHooks(fastify: FastifyInstance, deps: RequestHookDeps): DrainState {
  const state: DrainState = { draining: false, open: new Set() };
  const { headers, inFlight } = deps;

  fastify.addHook('onRequest', (req, reply, done) => {
    void reply.header('x-request-id', req.id).headers(headers);
    if (state.draining && !req.url.startsWith(deps.livePath)) {
      done(
        new DomainError(
          'SERVICE_UNAVAILABLE',
          'The server is shutting down: send the request again (with the same Idempotency-Key)',
          [],
          { 'retry-after': '1', connection: 'close' },
        ),
      );
      return;
    }
    state.open.add(req.id);
    // No body is decoded (gzip and the like): a coded body is refused rather than read as JSON.
    const coding = req.headers['content-encoding'];
    if (coding !== undefined && coding.trim().toLowerCase() !== 'identity') {
      done(
        new DomainError(
          'UNSUPPORTED_MEDIA_TYPE',
          'Bodies are taken without a content coding (send Content-Encoding: identity or none)',
        ),
      );
      return;
    }
    done();
  });

  // Ids in the path are lower-cased before the access guard or a handler reads them.
  fastify.addHook('preValidation', (req, _reply, done) => {
    lowerCaseIdParams(req.params);
    done();
  });

  // The handler (Nest's guards, pipes, use case) runs inside this call of `done`, so inside the
  // context: set here rather than earlier, as body parsing would lose an AsyncLocalStorage.
  fastify.addHook('preHandler', (req: Tracked, _reply, done) => {
    const store: RequestContextStore = {
      requestId: req.id,
      get principal() {
        return req.principal;
      },
    };
    req[HANDLING] = true;
    inFlight.enter();
    RequestContext.run(store, done);
  });

  const handled = (req: Tracked): void => {
    if (!req[HANDLING]) return;
    req[HANDLING] = false;
    inFlight.leave();
  };
  // the handler has its answer (sent even when the client is gone): it no longer runs
  fastify.addHook('onSend', (req: Tracked, _reply, payload, done) => {
    handled(req);
    done(null, payload);
  });

  fastify.addHook('onResponse', (req: Tracked, reply, done) => {
    handled(req);
    state.open.delete(req.id);
    logAnswered(deps.logger, req, reply);
    done();
  });
  fastify.addHook('onRequestAbort', (req, done) => {
    state.open.delete(req.id);
    deps.logger.warn(
      { req: requestFields(req), service: SERVICE },
      'request aborted by the client',
    );
    done();
  });
  return state;
}

const SERVICE = 'prisoner-services';

function requestFields(req: FastifyRequest) {
  return { id: req.id, method: req.method, url: req.url, remoteAddress: req.ip };
}

/**
 * The level of a request's line: error at 5xx, except 503, which is an outage being answered as
 * designed (the database away, a drain): warn, like 4xx, so that an outage does not page on-call
 * once per request on top of its own warning; info else.
 */
export function answeredLevel(status: number): 'error' | 'warn' | 'info' {
  if (status >= 500 && status !== 503) return 'error';
  return status >= 400 ? 'warn' : 'info';
}

/** One line per answered request, at answeredLevel. */
function logAnswered(logger: Logger, req: FastifyRequest, reply: FastifyReply): void {
  const status = reply.statusCode;
  const level = answeredLevel(status);
  if (!logger.isLevelEnabled(level)) return;
  logger[level](
    {
      req: requestFields(req),
      res: {
        statusCode: status,
        ...(reply.getHeader('idempotent-replayed') ? { replayed: true } : {}),
      },
      responseTime: Math.round(reply.elapsedTime),
      service: SERVICE,
    },
    status >= 500 ? 'request errored' : 'request completed',
  );
}
