import { Document, Spectral } from '@stoplight/spectral-core';
import * as Parsers from '@stoplight/spectral-parsers';
import { oas } from '@stoplight/spectral-rulesets';
import { AccessRule } from '../../src/common/auth/access.decorator';
import { declaredRoutes } from '../support/routes';
import { API, TestApp } from '../support/test-app';

/* eslint-disable @typescript-eslint/no-explicit-any -- the document is plain JSON */
type Json = Record<string, any>;

const OPERATIONS = ['get', 'put', 'post', 'delete', 'patch'];

function operations(doc: Json): { method: string; path: string; op: Json }[] {
  return Object.entries<Json>(doc.paths).flatMap(([path, item]) =>
    Object.entries<Json>(item)
      .filter(([m]) => OPERATIONS.includes(m))
      .map(([method, op]) => ({ method, path, op })),
  );
}

/** Every property schema of the components, with its name and where it is. */
function properties(doc: Json): { where: string; name: string; schema: Json }[] {
  const out: { where: string; name: string; schema: Json }[] = [];
  const walk = (schema: Json | undefined, where: string): void => {
    if (!schema || typeof schema !== 'object') return;
    for (const [name, sub] of Object.entries<Json>(schema.properties ?? {})) {
      out.push({ where: `${where}.${name}`, name, schema: sub });
      walk(sub, `${where}.${name}`);
    }
    walk(schema.items, `${where}[]`);
    for (const k of ['anyOf', 'oneOf', 'allOf']) {
      for (const [i, sub] of ((schema[k] as Json[]) ?? []).entries()) walk(sub, `${where}<${i}>`);
    }
  };
  for (const [name, schema] of Object.entries<Json>(doc.components.schemas)) walk(schema, name);
  return out;
}

describe('the OpenAPI document terminal vendors generate clients from', () => {
  let t: TestApp;
  let doc: Json;
  beforeAll(async () => {
    t = await TestApp.start();
    doc = (await t.http.get('/api/docs-json').expect(200)).body as Json;
  });
  afterAll(() => t.close());

  it("passes Spectral's spectral:oas ruleset with no error and no warning", async () => {
    const spectral = new Spectral();
    spectral.setRuleset({ extends: [[oas as never, 'recommended']] });
    const results = await spectral.run(new Document(JSON.stringify(doc), Parsers.Json));
    const findings = results
      .filter((r) => r.severity <= 1)
      .map(
        (r) =>
          `${r.severity === 0 ? 'error' : 'warning'} ${r.code} at ${r.path.join('.')}: ${r.message}`,
      );
    expect(findings).toEqual([]);
  });

  it('lets a refused intake answer allowance: null (the terminals’ main endpoint)', async () => {
    const here = await t.createFacility();
    const elsewhere = await t.createFacility();
    const p = await t.createPrisoner(elsewhere.id);
    const res = await t.http
      .post(`${API}/facilities/${here.id}/parcels`)
      .auth(t.adminToken, { type: 'bearer' })
      .send({ prisonerId: p.id, senderName: 'Aigerim', weightGrams: 1000, items: [] })
      .expect(201);
    expect(res.body).toMatchObject({ outcome: 'refused', allowance: null });
    // the harness checked the answer; and the schema, asked directly, takes null and refuses junk
    const answer = {
      method: 'POST',
      url: `${t.baseUrl}${API}/facilities/${here.id}/parcels`,
      status: 201,
      headers: { 'content-type': 'application/json', 'x-request-id': 'r-1' },
    };
    expect(t.openApi.check({ ...answer, text: JSON.stringify(res.body) })).toEqual([]);
    expect(
      t.openApi.check({ ...answer, text: JSON.stringify({ ...res.body, allowance: 'none' }) }),
    ).toEqual([expect.stringContaining('/allowance')]);
  });

  it('types policy change values as what they are: numbers, strings, lists, maps by level, null', () => {
    const change = doc.components.schemas.PolicyChangeDto.properties as Json;
    for (const side of ['from', 'to']) {
      expect(change[side].type).toBeUndefined();
      const kinds = (change[side].anyOf as Json[]).map((s) => s.type);
      expect(kinds).toEqual(['number', 'string', 'array', 'object', 'object']);
      expect(change[side].anyOf[4]).toEqual({ type: 'object', nullable: true, enum: [null] });
    }
  });

  it('types whole quantities as integers: money, grams, counts, limit', () => {
    const numbers = properties(doc).filter(
      (p) => p.schema.type === 'number' && !['float', 'double'].includes(p.schema.format),
    );
    expect(numbers.map((p) => p.where)).toEqual([]);
    const schemas = doc.components.schemas as Json;
    expect(schemas.ChargeDecisionDto.properties.amountMinor.type).toBe('integer');
    expect(schemas.RegisterParcelDto.properties.weightGrams.type).toBe('integer');
    expect(schemas.AllowanceDto.properties.parcelsRemaining.type).toBe('integer');
    const limit = (doc.paths[`${API}/policy-versions`].get.parameters as Json[]).find(
      (p) => p.name === 'limit',
    );
    expect(limit?.schema.type).toBe('integer');
  });

  it('gives every instant format date-time and every local date format date', () => {
    const CARE_DATES = new Set(
      ['RecordDisabilityDto', 'DisabilityDto', 'AppointOrderlyDto', 'OrderlyDto', 'AssistedDto']
        .concat(['AssignOrderlyDto', 'AssignmentDto', 'EndedDisabilityDto'])
        .map((s) => `${s}.from`),
    );
    const instants = properties(doc).filter(
      (p) =>
        /At$|^(at|validUntil|effectiveFrom|periodStart|periodEnd)$/.test(p.name) ||
        (/^(from|to)$/.test(p.name) && p.schema.type === 'string' && !CARE_DATES.has(p.where)),
    );
    expect(instants.length).toBeGreaterThan(38);
    expect(instants.filter((p) => p.schema.format !== 'date-time').map((p) => p.where)).toEqual([]);
    // care's periods start on a local date of the facility (the contract's `from`: a local date)
    const careDates = properties(doc).filter((p) => CARE_DATES.has(p.where));
    expect(careDates.map((p) => p.where).sort()).toEqual([...CARE_DATES].sort());
    expect(careDates.filter((p) => p.schema.format !== 'date').map((p) => p.where)).toEqual([]);
    const dates = properties(doc).filter((p) => p.name === 'effectiveOn');
    expect(dates.filter((p) => p.schema.format !== 'date').map((p) => p.where)).toEqual([]);
  });

  it('declares ETag, Idempotency-Key and Idempotent-Replayed', () => {
    const policy = doc.paths[`${API}/facilities/{facilityId}/policy`].get.responses as Json;
    expect(policy['200'].headers.ETag).toMatchObject({ required: true });
    expect(policy['304'].headers.ETag).toMatchObject({ required: true });
    const posts = operations(doc).filter(
      (o) => o.method === 'post' && !/\/webhooks\/|\/login$/.test(o.path),
    );
    expect(posts.length).toBeGreaterThan(15);
    for (const { path, op } of posts) {
      const params = (op.parameters as Json[]).map((p) =>
        p.$ref ? doc.components.parameters[String(p.$ref).split('/').pop()!] : p,
      );
      expect({ path, key: params.some((p) => p.name === 'Idempotency-Key') }).toEqual({
        path,
        key: true,
      });
      const ok = Object.entries<Json>(op.responses).find(([s]) => s.startsWith('2'))![1];
      expect({ path, replayed: 'Idempotent-Replayed' in ok.headers }).toEqual({
        path,
        replayed: true,
      });
    }
    const charge = (doc.paths[`${API}/charges`].post.parameters as Json[]).find(
      (p) => p.name === 'Idempotency-Key',
    );
    expect(charge).toMatchObject({ required: true });
  });

  it('closes every request schema, as unknown fields are refused', () => {
    const bodies = operations(doc)
      .map((o) => o.op.requestBody?.content?.['application/json']?.schema?.$ref as string)
      .filter(Boolean)
      .map((ref) => ref.split('/').pop()!);
    expect(bodies.length).toBeGreaterThan(15);
    const open = bodies.filter(
      (name) => doc.components.schemas[name].additionalProperties !== false,
    );
    expect(open).toEqual([]);
    expect(doc.components.schemas.DeclaredItemDto.additionalProperties).toBe(false);
  });

  it('marks optional bodies optional (link approval, card block)', () => {
    expect(doc.paths[`${API}/links/{id}/approve`].post.requestBody.required).toBe(false);
    expect(doc.paths[`${API}/cards/{id}/block`].post.requestBody.required).toBe(false);
    expect(doc.paths[`${API}/facilities`].post.requestBody.required).toBe(true);
  });

  it("documents Stripe's webhook: its signed body, its header, its 400", () => {
    const hook = doc.paths[`${API}/webhooks/stripe`].post as Json;
    expect(hook.requestBody.content['application/json'].schema.required).toEqual([
      'id',
      'type',
      'data',
    ]);
    expect(hook.parameters).toContainEqual(
      expect.objectContaining({ name: 'Stripe-Signature', in: 'header', required: true }),
    );
    expect(hook.responses['400'].content).toHaveProperty(['application/problem+json']);
  });

  it('answers health 503 as problem details', () => {
    for (const probe of ['live', 'ready']) {
      const r = doc.paths[`${API}/health/${probe}`].get.responses['503'] as Json;
      expect(Object.keys(r.content)).toEqual(['application/problem+json']);
    }
  });

  it('describes every operation, declares its tags, names the server', () => {
    expect(
      operations(doc)
        .filter((o) => !o.op.description)
        .map((o) => o.path),
    ).toEqual([]);
    const used = new Set(operations(doc).flatMap((o) => o.op.tags as string[]));
    expect((doc.tags as Json[]).map((x) => x.name).sort()).toEqual([...used].sort());
    expect(doc.servers).toEqual([{ url: t.baseUrl, description: 'This server' }]);
  });

  it("declares each operation's credentials as its access rule admits them, and says who may call", () => {
    const expected = (rule: AccessRule | undefined): string[] =>
      !rule || rule.public
        ? []
        : [
            ...(rule.staff || rule.relative ? ['bearer'] : []),
            ...(rule.terminals ? ['terminal-key'] : []),
          ];
    const mismatches = declaredRoutes(t)
      .map((r) => {
        const path = r.path.replace(/:(\w+)/g, '{$1}');
        const op = doc.paths[path]?.[r.method.toLowerCase()] as Json | undefined;
        const declared = ((op?.security as Json[] | undefined) ?? []).flatMap((s) =>
          Object.keys(s),
        );
        return { route: `${r.method} ${r.path}`, declared, expected: expected(r.rule), op };
      })
      .filter((x) => x.op && JSON.stringify(x.declared) !== JSON.stringify(x.expected));
    expect(
      mismatches.map(({ route, declared, expected }) => ({ route, declared, expected })),
    ).toEqual([]);
    const catalog = doc.paths[`${API}/policy-catalog`].get as Json;
    expect(catalog.security).toEqual([{ bearer: [] }, { 'terminal-key': [] }]);
    expect(catalog.description).toContain('Who may call:');
    expect(operations(doc).filter((o) => o.op['x-access'])).toEqual([]);
  });

  it('checks answers: an undeclared status, header or field is a mismatch', () => {
    const base = {
      method: 'GET',
      url: `${t.baseUrl}${API}/staff/me`,
      headers: { 'content-type': 'application/json', 'x-request-id': 'r-2' },
    };
    const me = { kind: 'staff', id: 'x', username: 'u', roles: [], facilityIds: null };
    expect(t.openApi.check({ ...base, status: 200, text: JSON.stringify(me) })).toEqual([]);
    expect(t.openApi.check({ ...base, status: 418, text: '' })).toEqual([
      expect.stringContaining('status 418 is not declared'),
    ]);
    expect(
      t.openApi.check({
        ...base,
        status: 200,
        headers: { ...base.headers, 'x-secret': '1' },
        text: JSON.stringify(me),
      }),
    ).toEqual([expect.stringContaining('header x-secret is not declared')]);
    expect(
      t.openApi.check({ ...base, status: 200, text: JSON.stringify({ ...me, id: undefined }) }),
    ).toEqual([expect.stringMatching(/StaffController_me.*200: body .*required property 'id'/)]);
    expect(
      t.openApi.check({
        ...base,
        status: 401,
        headers: { ...base.headers, 'content-type': 'application/json' },
        text: '{}',
      }),
    ).toEqual([expect.stringContaining('content type application/json is not declared')]);
  });
});
