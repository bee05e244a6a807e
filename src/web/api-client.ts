import type { FastifyInstance, FastifyRequest } from 'fastify';

/** A problem document as the API answers it (RFC 9457 with our `code`). */
export interface Problem {
  status: number;
  code: string;
  title?: string;
  detail?: string;
  errors?: { field: string; message: string }[];
  nearestDates?: string[];
  [k: string]: unknown;
}

export type ApiResult<T> =
  { ok: true; status: number; body: T } | { ok: false; status: number; problem: Problem };

/** The session's token was refused (expired or signed out elsewhere): sign in again. */
export class SessionExpired extends Error {
  override name = 'SessionExpired';
}

/**
 * The pages are a client of the REST API like any other: each call goes through the whole API
 * (guard, validation, use cases, audit) in process, as the signed-in relative, from the user's own
 * address (so throttling and lockout count them as they would a direct call), under the page's
 * request id (so the logs and the audit trail tie the API's work to the page that asked).
 */
export class ApiClient {
  constructor(
    private readonly fastify: FastifyInstance,
    private readonly req: FastifyRequest,
    private readonly token: string | undefined,
  ) {}

  get signedIn(): boolean {
    return this.token !== undefined;
  }

  get<T>(path: string): Promise<ApiResult<T>> {
    return this.call<T>('GET', path);
  }

  post<T>(path: string, body: unknown, idempotencyKey?: string): Promise<ApiResult<T>> {
    return this.call<T>('POST', path, body, idempotencyKey);
  }

  /** Like `get`, for what a page cannot do without: any refusal is thrown. */
  async need<T>(path: string): Promise<T> {
    const r = await this.get<T>(path);
    if (!r.ok) throw new ApiRefused(r.problem);
    return r.body;
  }

  private async call<T>(
    method: 'GET' | 'POST',
    path: string,
    body?: unknown,
    idempotencyKey?: string,
  ): Promise<ApiResult<T>> {
    const headers: Record<string, string> = {
      accept: 'application/json',
      'x-request-id': this.req.id,
    };
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (idempotencyKey) headers['idempotency-key'] = idempotencyKey;
    const ua = this.req.headers['user-agent'];
    if (typeof ua === 'string') headers['user-agent'] = ua;
    const res = await this.fastify.inject({
      method,
      url: `/api/v1${path}`,
      headers,
      payload: body === undefined ? undefined : JSON.stringify(body),
      remoteAddress: this.req.ip,
    });
    const parsed: unknown = res.body ? JSON.parse(res.body) : undefined;
    if (res.statusCode < 400) return { ok: true, status: res.statusCode, body: parsed as T };
    const problem = (parsed ?? {}) as Problem;
    // the session's token refused (a wrong password at sign-in is not that)
    if (res.statusCode === 401 && this.token && problem.code !== 'INVALID_CREDENTIALS') {
      throw new SessionExpired();
    }
    return { ok: false, status: res.statusCode, problem: { ...problem, status: res.statusCode } };
  }
}

/** A refusal a page could not work around (shown as the error page, in the user's language). */
export class ApiRefused extends Error {
  override name = 'ApiRefused';
  constructor(readonly problem: Problem) {
    super(problem.code);
  }
}
