/** One HTTP exchange with a server that may die, hang or refuse: an answer, or why there is none. */
export interface Answer {
  status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
  contentType: string;
  replayed: boolean;
  ms: number;
}

export interface NoAnswer {
  status: 0;
  error: string;
  ms: number;
}

export type Outcome = Answer | NoAnswer;

export interface CallOptions {
  body?: unknown;
  token?: string;
  apiKey?: string;
  key?: string;
  headers?: Record<string, string>;
  /** No answer within this is counted as a hang (default 15 s). */
  timeoutMs?: number;
}

export const API = '/api/v1';

export async function call(
  base: string,
  method: string,
  path: string,
  opts: CallOptions = {},
): Promise<Outcome> {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  if (opts.apiKey) headers['x-api-key'] = opts.apiKey;
  if (opts.key) headers['idempotency-key'] = opts.key;
  const t0 = Date.now();
  try {
    const res = await fetch(`${base}${path.startsWith('/api') ? '' : API}${path}`, {
      method,
      headers,
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
      signal: AbortSignal.timeout(opts.timeoutMs ?? 15_000),
    });
    const text = await res.text();
    const contentType = res.headers.get('content-type') ?? '';
    let body: unknown = text;
    if (contentType.includes('json') && text) body = JSON.parse(text);
    return {
      status: res.status,
      body,
      contentType,
      replayed: res.headers.get('idempotent-replayed') === 'true',
      ms: Date.now() - t0,
    };
  } catch (err) {
    const e = err as Error & { cause?: { code?: string; message?: string } };
    return {
      status: 0,
      error:
        e.name === 'TimeoutError' ? 'timeout' : (e.cause?.code ?? e.cause?.message ?? e.message),
      ms: Date.now() - t0,
    };
  }
}

/** The answer, or a failed test naming what came instead. */
export async function must(
  expected: number,
  base: string,
  method: string,
  path: string,
  opts: CallOptions = {},
): Promise<Answer> {
  // setup and checks, not the load: a slow answer on a busy machine is not a fault
  const out = await call(base, method, path, { timeoutMs: 60_000, ...opts });
  if (out.status !== expected) {
    throw new Error(
      `${method} ${path}: expected ${expected}, got ${out.status} ${
        'error' in out ? out.error : JSON.stringify(out.body)
      }`,
    );
  }
  return out as Answer;
}
