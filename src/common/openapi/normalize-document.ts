import type { OpenAPIObject } from '@nestjs/swagger';
import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { ACCESS_EXTENSION, AccessRule } from '../auth/access.decorator';
import { PROBLEM_MEDIA_TYPE, PROBLEM_SCHEMA } from './problem.schema';

/* eslint-disable @typescript-eslint/no-explicit-any -- a walk over plain JSON */
type Json = Record<string, any>;

/**
 * What `@nestjs/swagger` and its CLI plugin generate is close to the truth but not there; this pass
 * makes the whole document true in one place, by rules that hold for every route and DTO of this
 * API, instead of a decorator on each of hundreds of properties:
 * - numbers: the API has no fractions outside policy values (money is minor units, weights whole
 *   grams), so a `number` is an `integer`; a property that really carries a fraction declares a
 *   `format` (`float`, `double`) and is left alone;
 * - a string property named `…At` is an instant (`format: date-time`), as every one is here; other
 *   instants and local dates say so with `@ApiProperty({ format })`;
 * - a nullable reference (`nullable` beside `allOf`, which validators ignore) becomes
 *   `anyOf: [the reference, null]`;
 * - request bodies are closed (`additionalProperties: false`), as the validation pipe refuses
 *   unknown fields, down to nested objects; a body that requires nothing is itself optional (an
 *   absent body is an empty one);
 * - every POST but Stripe's webhook and the sign-ins accepts `Idempotency-Key` (the contract), may
 *   answer `Idempotent-Replayed: true`, 409 (same key still running, with `Retry-After`) and 422
 *   (same key, other body);
 * - every answer carries `X-Request-Id`; every error is a problem document (the global filter writes
 *   them all), 401 with `WWW-Authenticate`, 429 with `Retry-After`;
 * - any operation may answer 400 (a URL not validly encoded); one with a path parameter, 414 (a
 *   parameter longer than the router takes); one behind the access guard, 401 and 403; one that
 *   takes a body, 413 and 415;
 * - a throttled operation (one that may answer 429) sends the throttle's `X-RateLimit-*` headers;
 * - an operation's doc comment is its description, its first sentence its summary;
 * - an operation's credentials (`security`) are what its `@Access` rule admits — a bearer token for
 *   staff and relatives, `X-Api-Key` for terminals, none for a public route — and its description
 *   ends with who may call it, so a client generated from the document asks for the right one;
 * - tags are declared once, at the top.
 */
export function normalizeDocument(source: OpenAPIObject): OpenAPIObject {
  const doc = structuredClone(source) as Json;
  doc.components ??= {};
  doc.components.schemas ??= {};
  doc.components.schemas.Problem = structuredClone(PROBLEM_SCHEMA);
  doc.components.parameters = { ...doc.components.parameters, IdempotencyKey: IDEMPOTENCY_KEY };
  doc.components.headers = { ...doc.components.headers, ...HEADERS };

  for (const schema of Object.values<Json>(doc.components.schemas)) walkSchema(schema);
  for (const [path, item] of Object.entries<Json>(doc.paths ?? {})) {
    for (const [method, op] of Object.entries<Json>(item)) {
      if (!HTTP_METHODS.has(method)) continue;
      normalizeOperation(doc, path, method, op);
    }
  }
  // routes may declare the header themselves; an unused component would be noise
  if (!JSON.stringify(doc.paths ?? {}).includes('"#/components/parameters/IdempotencyKey"')) {
    delete doc.components.parameters.IdempotencyKey;
  }
  closeRequestSchemas(doc);
  declareTags(doc);
  return doc as OpenAPIObject;
}

const HTTP_METHODS = new Set(['get', 'put', 'post', 'delete', 'patch', 'head', 'options']);

/** POSTs that do not take an Idempotency-Key: Stripe's own retries, and sign-ins (nothing stored). */
const NOT_IDEMPOTENT_POSTS = [/\/webhooks\/stripe$/, /\/auth\/[a-z]+\/login$/];

const INSTANT_PROPERTY = /At$/;

/** A JSON null, in OpenAPI 3.0 terms (`nullable` needs a `type` beside it). */
export const NULL_SCHEMA: SchemaObject = { type: 'object', nullable: true, enum: [null] };

const IDEMPOTENCY_KEY = {
  name: 'Idempotency-Key',
  in: 'header',
  required: false,
  description:
    'A retry with the same key and the same body within 24 h gets the first answer again, with ' +
    '`Idempotent-Replayed: true`; the same key with another body answers 422, and while the first ' +
    'request is still running, 409.',
  schema: { type: 'string', minLength: 1, maxLength: 255 },
};

const HEADERS: Json = {
  IdempotentReplayed: {
    description: '`true` when this is the stored answer to an earlier request with the same key',
    schema: { type: 'string', enum: ['true'] },
  },
  RateLimitLimit: {
    description: 'Requests allowed in the window (shared by every sign-in and registration route)',
    schema: { type: 'string', pattern: '^[0-9]+$' },
  },
  RateLimitRemaining: {
    description: 'Requests left in the window',
    schema: { type: 'string', pattern: '^[0-9]+$' },
  },
  RateLimitReset: {
    description: 'Seconds until the window ends',
    schema: { type: 'string', pattern: '^[0-9]+$' },
  },
  WwwAuthenticate: {
    description: 'The schemes that would do: a bearer token, or a terminal API key',
    schema: { type: 'string' },
  },
  RetryAfter: {
    description: 'Seconds to wait before trying again',
    schema: { type: 'string', pattern: '^[0-9]+$' },
  },
  RequestId: {
    description: "The request's id (the caller's `X-Request-Id` when it sent a sane one)",
    schema: { type: 'string', minLength: 1, maxLength: 128 },
  },
};

const STATUS_TEXT: Record<string, string> = {
  '200': 'OK',
  '201': 'Created',
  '204': 'No content',
  '304': 'Not modified',
  '409': 'The same Idempotency-Key is still being processed, or another conflict',
  '413': 'Body too large',
  '414': 'A path parameter is longer than any this API takes',
  '415': 'Unsupported content type (JSON only)',
  '422': 'Against a rule or the current state, or an Idempotency-Key reused with another body',
  '400': 'Invalid input (problem details with field errors)',
  '401': 'No or bad credentials',
  '403': 'Not allowed for this caller',
};

const TAG_DESCRIPTIONS: Record<string, string> = {
  auth: 'Sign-in of staff and relatives: bearer tokens',
  staff: 'Staff accounts, their roles and facilities',
  relatives: "Relatives' accounts",
  'relative links': 'Relatives asking to be linked to a prisoner, and the decisions',
  terminals: "Terminals' API keys: one facility, one kind",
  facilities: 'Facilities and their time zones',
  prisoners: 'Prisoners: registration, conditions of serving, transfers, history',
  policies: 'Versioned policies: the catalog, drafts, publication, what is in force when',
  parcels: "Parcel intake decisions and the prisoners' yearly allowances",
  'cards and money': 'Prisoner cards, wallets, charges, refunds, deposits, reconciliation',
  audit: 'The hash-chained audit trail',
  health: 'Liveness and readiness',
};

function problemResponse(status: string): Json {
  return {
    description: STATUS_TEXT[status] ?? 'Problem',
    content: { [PROBLEM_MEDIA_TYPE]: { schema: { $ref: '#/components/schemas/Problem' } } },
  };
}

function walkSchema(schema: Json, name?: string): void {
  if (!schema || typeof schema !== 'object' || schema.$ref) return;
  if (schema.type === 'number' && !schema.format) schema.type = 'integer';
  if (name && INSTANT_PROPERTY.test(name) && schema.type === 'string' && !schema.format) {
    schema.format = 'date-time';
  }
  // an enum lists every allowed value, null included (OpenAPI 3.0.3)
  if (schema.nullable && Array.isArray(schema.enum) && !schema.enum.includes(null)) {
    schema.enum = [...schema.enum, null];
  }
  if (schema.nullable && Array.isArray(schema.allOf) && schema.allOf.length === 1) {
    const [ref] = schema.allOf as Json[];
    for (const k of ['allOf', 'nullable', 'type']) delete schema[k];
    schema.anyOf = [ref, structuredClone(NULL_SCHEMA)];
  }
  for (const [prop, sub] of Object.entries<Json>(schema.properties ?? {})) walkSchema(sub, prop);
  if (schema.items) walkSchema(schema.items);
  if (typeof schema.additionalProperties === 'object') walkSchema(schema.additionalProperties);
  for (const k of ['allOf', 'anyOf', 'oneOf']) {
    for (const sub of (schema[k] as Json[] | undefined) ?? []) walkSchema(sub);
  }
}

function resolve(doc: Json, schema: Json | undefined): Json | undefined {
  const ref = schema?.$ref as string | undefined;
  if (!ref) return schema;
  return doc.components.schemas[ref.replace('#/components/schemas/', '')] as Json | undefined;
}

function normalizeOperation(doc: Json, path: string, method: string, op: Json): void {
  if (!op.description && op.summary) {
    op.description = op.summary;
    op.summary = firstSentence(op.summary as string);
  }
  op.responses ??= {};
  op.parameters ??= [];
  const rule = op[ACCESS_EXTENSION] as AccessRule | undefined;
  delete op[ACCESS_EXTENSION];
  if (rule) {
    op.security = securityOf(rule);
    if (!op.security.length) delete op.security;
    op.description = `${op.description ? `${op.description}\n\n` : ''}Who may call: ${whoMayCall(rule)}.`;
  }
  for (const p of op.parameters as Json[]) {
    if (p.schema) walkSchema(p.schema, p.name);
  }

  op.responses['400'] ??= problemResponse('400');
  if ((op.parameters as Json[]).some((p) => p.in === 'path')) {
    op.responses['414'] ??= problemResponse('414');
  }
  if (Array.isArray(op.security) && op.security.length > 0) {
    for (const s of ['401', '403']) op.responses[s] ??= problemResponse(s);
  }

  const body = op.requestBody as Json | undefined;
  if (body) {
    const json = body.content?.['application/json'];
    if (json?.schema) walkSchema(json.schema);
    const resolved = resolve(doc, json?.schema);
    if (resolved && !(resolved.required as string[] | undefined)?.length) body.required = false;
    for (const s of ['400', '413', '415']) op.responses[s] ??= problemResponse(s);
  }

  const idempotent = method === 'post' && !NOT_IDEMPOTENT_POSTS.some((re) => re.test(path));
  if (idempotent) {
    const has = (op.parameters as Json[]).some(
      (p) => p.in === 'header' && String(p.name).toLowerCase() === 'idempotency-key',
    );
    if (!has) op.parameters.push({ $ref: '#/components/parameters/IdempotencyKey' });
    for (const s of ['409', '422']) op.responses[s] ??= problemResponse(s);
  }

  const throttled = '429' in op.responses;
  for (const [status, response] of Object.entries<Json>(op.responses)) {
    if (!response.description) response.description = STATUS_TEXT[status] ?? 'Answer';
    response.headers = { ...response.headers };
    response.headers['X-Request-Id'] ??= { $ref: '#/components/headers/RequestId' };
    if (Number(status) >= 400) {
      // whatever a decorator said, the global filter answers every error as a problem document
      response.content = problemResponse(status).content;
      if (status === '401') {
        response.headers['WWW-Authenticate'] ??= { $ref: '#/components/headers/WwwAuthenticate' };
      }
      // 409 IDEMPOTENCY_IN_FLIGHT says when to send the same request again
      if (status === '429' || (status === '409' && idempotent)) {
        response.headers['Retry-After'] ??= { $ref: '#/components/headers/RetryAfter' };
      }
    }
    if (throttled) {
      for (const h of ['Limit', 'Remaining', 'Reset']) {
        response.headers[`X-RateLimit-${h}`] ??= { $ref: `#/components/headers/RateLimit${h}` };
      }
    }
    if (idempotent && status.startsWith('2')) {
      response.headers['Idempotent-Replayed'] ??= {
        $ref: '#/components/headers/IdempotentReplayed',
      };
    }
    for (const media of Object.values<Json>(response.content ?? {})) {
      if (media.schema) walkSchema(media.schema);
    }
  }
  if (op.parameters.length === 0) delete op.parameters;
}

/** Every schema a request body reaches is closed: the validation pipe refuses unknown fields. */
function closeRequestSchemas(doc: Json): void {
  const seen = new Set<Json>();
  const close = (schema: Json | undefined): void => {
    if (!schema || typeof schema !== 'object') return;
    const target = resolve(doc, schema);
    if (!target || seen.has(target)) return;
    seen.add(target);
    if (target.properties && target.additionalProperties === undefined) {
      target.additionalProperties = false;
    }
    for (const sub of Object.values<Json>(target.properties ?? {})) close(sub);
    close(target.items);
    for (const k of ['allOf', 'anyOf', 'oneOf']) {
      for (const sub of (target[k] as Json[] | undefined) ?? []) close(sub);
    }
  };
  for (const item of Object.values<Json>(doc.paths ?? {})) {
    for (const [method, op] of Object.entries<Json>(item)) {
      if (!HTTP_METHODS.has(method)) continue;
      close(op.requestBody?.content?.['application/json']?.schema);
    }
  }
}

function declareTags(doc: Json): void {
  const names = new Set<string>();
  for (const item of Object.values<Json>(doc.paths ?? {})) {
    for (const [method, op] of Object.entries<Json>(item)) {
      if (HTTP_METHODS.has(method)) for (const t of (op.tags as string[]) ?? []) names.add(t);
    }
  }
  const declared = new Map<string, Json>(((doc.tags as Json[]) ?? []).map((t) => [t.name, t]));
  doc.tags = [...names].sort().map(
    (name) =>
      declared.get(name) ?? {
        name,
        ...(TAG_DESCRIPTIONS[name] ? { description: TAG_DESCRIPTIONS[name] } : {}),
      },
  );
}

function firstSentence(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  const m = /^(.+?[.!?:])(\s|$)/.exec(flat);
  const s = m ? m[1].replace(/[.:]$/, '') : flat;
  return s.length <= 120 ? s : `${s.slice(0, 117).replace(/\s+\S*$/, '')}…`;
}

/** The credentials a rule admits, each one alone enough (OpenAPI: any one of the requirements). */
function securityOf(rule: AccessRule): Json[] {
  if (rule.public) return [];
  return [
    ...(rule.staff || rule.relative ? [{ bearer: [] }] : []),
    ...(rule.terminals ? [{ 'terminal-key': [] }] : []),
  ];
}

/** The rule in words, for the operation's description. */
function whoMayCall(rule: AccessRule): string {
  if (rule.public) return 'anyone, without credentials';
  const who: string[] = [];
  const where = rule.facilityParam ? ' working in that facility' : '';
  if (rule.staff === 'any') who.push(`any signed-in staff${where}`);
  else if (rule.staff)
    who.push(
      `${rule.national ? 'national ' : ''}staff with the role ${rule.staff.join(' or ')}${where}`,
    );
  if (rule.terminals === 'any') who.push('any terminal, in its own facility');
  else if (rule.terminals)
    who.push(`a terminal of kind ${rule.terminals.join(' or ')}, in its own facility`);
  if (rule.relative) who.push('a signed-in relative (for a prisoner they are linked to)');
  return who.join('; ');
}
