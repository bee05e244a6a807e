import { DomainError, FieldError } from '../errors/domain-error';
import { normaliseText, textFault } from '../text/text';

const MAX_REPORTED = 20;
const UUID_ANY_CASE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

// A parsed body, a query (whose parser makes objects of a prototype-less class) or the params.
function isRecord(v: unknown): v is Record<string, unknown> {
  return (
    typeof v === 'object' &&
    v !== null &&
    !Array.isArray(v) &&
    !(v instanceof Date) &&
    !Buffer.isBuffer(v)
  );
}

function at(path: string, key: string | number): string {
  return path ? `${path}.${key}` : String(key);
}

function walk(v: unknown, path: string, errors: FieldError[]): unknown {
  if (typeof v === 'string') {
    const fault = textFault(v);
    if (fault) {
      errors.push({ field: path || '(body)', message: `${path || 'the body'} ${fault}` });
      return v;
    }
    return normaliseText(v);
  }
  if (Array.isArray(v)) return v.map((x, i) => walk(x, at(path, i), errors));
  if (isRecord(v)) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      const fault = textFault(k);
      if (fault) {
        errors.push({ field: at(path, '(key)'), message: `a field name ${fault}` });
        continue;
      }
      out[normaliseText(k)] = walk(x, at(path, k), errors);
    }
    return out;
  }
  return v;
}

/**
 * Every string of a request's body, query or path parameters (keys included), settled once at
 * the edge: control characters and lone surrogates refused with a 400 naming the field, the rest
 * normalised to NFC. `path` names the value when it is one field (`@Query('at')`).
 */
export function settleInput(value: unknown, path = ''): unknown {
  const errors: FieldError[] = [];
  const settled = walk(value, path, errors);
  if (errors.length > 0) {
    throw new DomainError(
      'VALIDATION_FAILED',
      'The request holds characters that are not text',
      errors.slice(0, MAX_REPORTED),
    );
  }
  return settled;
}

/** A UUID in any case is written lower-case: ids are compared as text further in. */
export function lowerCaseId<T>(v: T): T {
  return (typeof v === 'string' && UUID_ANY_CASE.test(v) ? v.toLowerCase() : v) as T;
}

/** Path parameters that are UUIDs, lower-cased before anything (the access guard included) reads them. */
export function lowerCaseIdParams(params: unknown): void {
  if (!isRecord(params)) return;
  for (const [k, v] of Object.entries(params)) params[k] = lowerCaseId(v);
}
