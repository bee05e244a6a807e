import { DomainError, FieldError } from '../errors/domain-error';
import { isPlainText, normaliseText, textFault } from '../text/text';

const MAX_REPORTED = 20;
const UUID_ANY_CASE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A parsed body, a query (whose parser makes objects of a prototype-less class) or the params. */
export function isRecord(v: unknown): v is Record<string, unknown> {
  return (
    typeof v === 'object' &&
    v !== null &&
    !Array.isArray(v) &&
    !(v instanceof Date) &&
    !Buffer.isBuffer(v)
  );
}

// The path of the value being walked, joined only when a field is reported.
type Path = Array<string | number>;

function report(errors: FieldError[], path: Path, fault: string, what?: string): void {
  const field = path.join('.');
  errors.push({ field: field || '(body)', message: `${what ?? (field || 'the body')} ${fault}` });
}

/** The value settled: the same value when nothing in it changes, a copy with the changes else. */
function walk(v: unknown, path: Path, errors: FieldError[]): unknown {
  if (typeof v === 'string') {
    if (isPlainText(v)) return v;
    const fault = textFault(v);
    if (fault) report(errors, path, fault);
    return fault ? v : normaliseText(v);
  }
  if (Array.isArray(v)) {
    let out: unknown[] | undefined;
    for (let i = 0; i < v.length; i++) {
      path.push(i);
      const x = walk(v[i], path, errors);
      path.pop();
      if (x !== v[i]) (out ??= v.slice())[i] = x;
    }
    return out ?? v;
  }
  if (isRecord(v)) {
    let out: Record<string, unknown> | undefined;
    const keys = Object.keys(v);
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i];
      let key = k;
      if (!isPlainText(k)) {
        const fault = textFault(k);
        if (fault) {
          path.push('(key)');
          report(errors, path, fault, 'a field name');
          path.pop();
          continue;
        }
        key = normaliseText(k);
      }
      path.push(k);
      const x = walk(v[k], path, errors);
      path.pop();
      if (!out && (key !== k || x !== v[k])) {
        out = {};
        for (let j = 0; j < i; j++) out[keys[j]] = v[keys[j]];
      }
      if (out) out[key] = x;
    }
    return out ?? v;
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
  const settled = walk(value, path ? [path] : [], errors);
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
