import Ajv, { ErrorObject, ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { Test } from 'supertest';

/* eslint-disable @typescript-eslint/no-explicit-any -- a walk over the plain JSON document */
type Json = Record<string, any>;

/** Headers any answer may carry without the document naming them (HTTP's, helmet's). */
const UNDOCUMENTED_HEADERS = new Set([
  'date',
  'connection',
  'keep-alive',
  'content-type',
  'content-length',
  'transfer-encoding',
  'vary',
  'cache-control',
  'content-security-policy',
  'cross-origin-opener-policy',
  'cross-origin-resource-policy',
  'origin-agent-cluster',
  'referrer-policy',
  'strict-transport-security',
  'x-content-type-options',
  'x-dns-prefetch-control',
  'x-download-options',
  'x-frame-options',
  'x-permitted-cross-domain-policies',
  'x-xss-protection',
]);

interface Operation {
  method: string;
  template: string;
  pattern: RegExp;
  op: Json;
}

export interface Answer {
  method: string;
  url: string;
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

/** Checks answers against the OpenAPI document the application serves. */
export class OpenApiValidator {
  private readonly ajv: Ajv;
  private readonly operations: Operation[] = [];
  private readonly compiled = new Map<object, ValidateFunction>();

  constructor(private readonly doc: Json) {
    this.ajv = new Ajv({
      allErrors: true,
      strict: true,
      strictTypes: false,
      strictRequired: false,
      validateFormats: true,
    });
    addFormats(this.ajv);
    for (const f of ['int32', 'int64', 'float', 'double', 'byte', 'binary', 'password']) {
      this.ajv.addFormat(f, true);
    }
    this.ajv.addVocabulary(['example', 'xml', 'externalDocs', 'discriminator']);
    for (const [name, schema] of Object.entries<Json>(doc.components?.schemas ?? {})) {
      this.ajv.addSchema(rewriteRefs(schema), `schema:${name}`);
    }
    for (const [template, item] of Object.entries<Json>(doc.paths ?? {})) {
      const pattern = new RegExp(
        '^' +
          template
            .split(/\{[^}]+\}/)
            .map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
            .join('[^/]+') +
          '$',
      );
      for (const [method, op] of Object.entries<Json>(item)) {
        if (typeof op === 'object' && op.responses) {
          this.operations.push({ method: method.toUpperCase(), template, pattern, op });
        }
      }
    }
  }

  /** What is wrong with this answer against the document (empty: nothing). */
  check(a: Answer): string[] {
    const path = new URL(a.url).pathname;
    if (!path.startsWith('/api/v1/')) return [];
    const candidates = this.operations.filter((o) => o.pattern.test(path));
    const found =
      candidates.find((o) => o.method === a.method) ??
      (a.method === 'HEAD' ? candidates.find((o) => o.method === 'GET') : undefined);
    if (!found) {
      // no such route (404) or method (405): the answer is still a problem document
      if (a.status !== 404 && a.status !== 405) {
        return [
          `${a.method} ${path}: no such operation in the document, yet it answered ${a.status}`,
        ];
      }
      return this.checkBody(`${a.method} ${path} (no such operation)`, a, {
        'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } },
      });
    }
    const where = `${a.method} ${found.template} (${found.op.operationId as string}) → ${a.status}`;
    const response = (found.op.responses[String(a.status)] ?? found.op.responses.default) as
      Json | undefined;
    if (!response) {
      return [
        `${where}: status ${a.status} is not declared (declared: ${Object.keys(found.op.responses).join(', ')})`,
      ];
    }
    return [
      ...this.checkHeaders(where, a, response.headers ?? {}),
      ...(a.method === 'HEAD' ? [] : this.checkBody(where, a, response.content)),
    ];
  }

  private checkHeaders(where: string, a: Answer, declared: Json): string[] {
    const errors: string[] = [];
    const byName = new Map<string, Json>(
      Object.entries<Json>(declared).map(([k, v]) => [k.toLowerCase(), this.deref(v)]),
    );
    for (const [name, spec] of byName) {
      const value = a.headers[name];
      if (value === undefined) {
        if (spec.required) errors.push(`${where}: required header ${name} is missing`);
        continue;
      }
      if (spec.schema) {
        const v = this.validator(spec.schema);
        const text = Array.isArray(value) ? value.join(', ') : value;
        if (!v(text)) {
          errors.push(`${where}: header ${name}: ${JSON.stringify(text)} ${describe(v.errors)}`);
        }
      }
    }
    for (const name of Object.keys(a.headers)) {
      if (!byName.has(name) && !UNDOCUMENTED_HEADERS.has(name)) {
        errors.push(`${where}: header ${name} is not declared for this answer`);
      }
    }
    return errors;
  }

  private checkBody(where: string, a: Answer, content: Json | undefined): string[] {
    const raw = a.headers['content-type'];
    const mediaType = (Array.isArray(raw) ? raw[0] : raw)?.split(';')[0].trim().toLowerCase();
    if (!content || Object.keys(content).length === 0) {
      return a.text.length === 0 || a.status === 304
        ? []
        : [`${where}: no body is declared, but it sent ${mediaType ?? 'one'}: ${clip(a.text)}`];
    }
    if (!mediaType)
      return [`${where}: no content type; declared: ${Object.keys(content).join(', ')}`];
    const media = content[mediaType] as Json | undefined;
    if (!media) {
      return [
        `${where}: content type ${mediaType} is not declared (declared: ${Object.keys(content).join(', ')})`,
      ];
    }
    if (!media.schema) return [];
    if (mediaType === 'application/x-ndjson') return this.checkLines(where, a.text, media.schema);
    let body: unknown = a.text;
    if (/[/+]json$/.test(mediaType)) {
      try {
        body = JSON.parse(a.text);
      } catch {
        return [`${where}: the ${mediaType} body is not JSON: ${clip(a.text)}`];
      }
    }
    const v = this.validator(media.schema as Json);
    return v(body) ? [] : [`${where}: body ${describe(v.errors)}`];
  }

  /** NDJSON: the schema is each line's (one JSON value a line). */
  private checkLines(where: string, text: string, schema: Json): string[] {
    const v = this.validator(schema);
    const errors: string[] = [];
    for (const [i, line] of text.split('\n').entries()) {
      if (line === '') continue;
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch {
        errors.push(`${where}: line ${i + 1} is not JSON: ${clip(line)}`);
        continue;
      }
      if (!v(value)) errors.push(`${where}: line ${i + 1} ${describe(v.errors)}`);
      if (errors.length >= 5) break;
    }
    return errors;
  }

  private deref(x: Json): Json {
    const ref = x?.$ref as string | undefined;
    if (!ref) return x;
    const parts = ref.replace(/^#\//, '').split('/');
    return parts.reduce<Json>((o, p) => o?.[p], this.doc);
  }

  private validator(schema: Json): ValidateFunction {
    let v = this.compiled.get(schema);
    if (!v) {
      v = this.ajv.compile(rewriteRefs(schema));
      this.compiled.set(schema, v);
    }
    return v;
  }
}

function rewriteRefs(schema: unknown): any {
  if (Array.isArray(schema)) return schema.map(rewriteRefs);
  if (!schema || typeof schema !== 'object') return schema;
  return Object.fromEntries(
    Object.entries(schema).map(([k, v]) => [
      k,
      k === '$ref' && typeof v === 'string'
        ? v.replace('#/components/schemas/', 'schema:')
        : rewriteRefs(v),
    ]),
  );
}

function describe(errors: ErrorObject[] | null | undefined): string {
  return (errors ?? [])
    .slice(0, 5)
    .map((e) => `at ${e.instancePath || '/'} ${e.message ?? ''} (schema ${e.schemaPath})`)
    .join('; ');
}

function clip(s: string): string {
  return s.length > 300 ? `${s.slice(0, 300)}…` : s;
}

/** The apps whose answers are checked, by origin (an app and its twins share a document). */
const validators = new Map<string, { validator: OpenApiValidator; mismatches: string[] }>();

export function validateAnswersOf(
  origin: string,
  validator: OpenApiValidator,
  mismatches: string[],
): () => void {
  validators.set(origin, { validator, mismatches });
  return () => validators.delete(origin);
}

export class OpenApiMismatch extends Error {
  override name = 'OpenApiMismatch';
}

let installed = false;

/**
 * Hooks supertest: every answer from a registered app is checked against the document; a mismatch
 * fails the request's promise (unless an expectation of the test failed first) and is kept for
 * TestApp.close(), which fails the file if any was swallowed.
 */
export function installAnswerValidation(): void {
  if (installed) return;
  installed = true;
  const proto = Test.prototype as unknown as {
    assert(err: unknown, res: unknown, fn?: (e: unknown, r: unknown) => void): void;
  };
  const original = proto.assert;
  proto.assert = function (
    this: Test & { url: string; method: string },
    resError: unknown,
    res: any,
    fn?: (e: unknown, r: unknown) => void,
  ) {
    let mismatch: Error | undefined;
    if (res && typeof res.status === 'number') {
      const entry = validators.get(new URL(this.url).origin);
      if (entry) {
        const errors = entry.validator.check({
          method: this.method,
          url: this.url,
          status: res.status as number,
          headers: res.headers as Answer['headers'],
          text: typeof res.text === 'string' ? res.text : '',
        });
        if (errors.length) {
          entry.mismatches.push(...errors);
          mismatch = new OpenApiMismatch(
            `The answer does not match the OpenAPI document:\n  ${errors.join('\n  ')}`,
          );
          // where in supertest it was noticed says nothing; the message says it all
          mismatch.stack = `${mismatch.name}: ${mismatch.message}`;
        }
      }
    }
    return original.call(this, resError, res, (err: unknown, r: unknown) =>
      fn?.call(this, err ?? mismatch ?? null, r),
    );
  };
}
