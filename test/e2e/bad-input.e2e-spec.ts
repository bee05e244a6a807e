import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import { ERROR_STATUS } from '../../src/common/errors/error-codes';
import type { AccessRule } from '../../src/common/auth/access.decorator';
import { declaredRoutes } from '../support/routes';
import { ADMIN_PASSWORD, ADMIN_USERNAME, API, TestApp, uniq } from '../support/test-app';
import { CareObjects, careObjects } from '../support/care';

/**
 * Generated bad input over every operation of the served OpenAPI document, as the caller the
 * route is for: every answer must be a 4xx problem document with our own code, and nothing may be
 * stored. Seeded: the seed is printed, and `BAD_INPUT_SEED=<seed>` replays a run.
 */

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Path = Array<string | number>;

interface Operation {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  path: string;
  pathParams: string[];
  queryParams: string[];
  headerParams: string[];
  bodySchema?: string;
  bodyProperties: string[];
  rule: AccessRule | undefined;
}

/** One generated request: exactly one thing broken, ids maybe upper-cased besides. */
type Breakage =
  | {
      kind: 'field';
      how: 'null' | 'wrongType' | 'nestArray' | 'badText' | 'huge';
      at: Path;
      pick: number;
    }
  | { kind: 'unknownField'; at: Path; name: string; value: Json }
  | { kind: 'rawBody'; how: 'deepArrays' | 'deepObjects' | 'malformed' | 'notObject'; n: number }
  | { kind: 'pathParam'; name: string; value: string }
  | { kind: 'query'; name: string; how: 'nul' | 'control' | 'repeated' | 'huge' }
  | { kind: 'credentials'; how: 'none' | 'garbage' | 'basic' | 'both' };
interface Case {
  breakage: Breakage;
  upperIds: boolean;
}

const OUR_CODES = new Set(Object.keys(ERROR_STATUS));
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// Fields where null has a documented meaning (docs/input.md).
const NULL_MEANS = new Set(['CreatePolicyVersionDto.facilityId']);
// Characters the edge refuses in text.
const BAD_CHARS = ['\u0000', '\u0001', '\u0008', '\u001b', '\u007f', '\u0085', '\ud800', '\udfff'];
// BAD_INPUT_RUNS=<n> for a longer hunt than CI's.
const RUNS_PER_OPERATION = Number(process.env.BAD_INPUT_RUNS ?? 18);

interface World {
  facilityId: string;
  otherFacilityId: string;
  prisonerId: string;
  personalNumber: string;
  /** Care's objects in the facility (an orderly, their position and assignment, a record). */
  care: CareObjects;
  /** Real objects the path ids name, so that a body that slipped through would change them. */
  byPath: Array<[RegExp, string]>;
}

/** A valid body for each request schema: the generator breaks one thing in it. */
function validBody(schema: string, w: World): Record<string, Json> {
  const item = { category: 'food', description: 'tea', quantity: 1 };
  const bodies: Record<string, () => Record<string, Json>> = {
    CreateFacilityDto: () => ({ code: uniq('BI-'), name: 'Colony', timeZone: 'Asia/Almaty' }),
    CreatePrisonerDto: () => ({
      personalNumber: uniq('BI'),
      fullName: 'Test Prisoner',
      securityLevel: 'medium',
      conditions: 'ordinary',
    }),
    ChangeConditionsDto: () => ({ conditions: 'facilitated', reason: 'commission' }),
    TransferPrisonerDto: () => ({ toFacilityId: w.otherFacilityId, reason: 'order 7' }),
    StaffLoginDto: () => ({ username: ADMIN_USERNAME, password: ADMIN_PASSWORD }),
    RelativeLoginDto: () => ({ email: 'nobody@example.kz', password: 'a-long-password' }),
    CreateStaffDto: () => ({
      username: uniq('bi').toLowerCase(),
      password: 'a-long-password-1',
      fullName: 'Officer',
      roles: ['auditor'],
      facilityIds: [w.facilityId],
    }),
    CreateTerminalDto: () => ({ kind: 'payphone', name: 'Gate' }),
    RegisterRelativeDto: () => ({
      email: `${uniq('bi').toLowerCase()}@example.kz`,
      password: 'a-long-password-1',
      fullName: 'Relative',
      phone: '+77011234567',
    }),
    RequestLinkDto: () => ({
      facilityId: w.facilityId,
      prisonerPersonalNumber: w.personalNumber,
      relationship: 'parent',
    }),
    DecideLinkDto: () => ({ note: 'documents seen' }),
    RejectLinkDto: () => ({ reason: 'no documents' }),
    CreatePolicyVersionDto: () => ({
      facilityId: w.facilityId,
      effectiveOn: '2099-01-01',
      reason: 'order 1',
      values: { 'parcels.maxWeightGrams': 25000 },
    }),
    UpdatePolicyVersionDto: () => ({
      effectiveOn: '2099-01-02',
      reason: 'order 2',
      values: { 'parcels.maxWeightGrams': 24000 },
    }),
    RegisterParcelDto: () => ({
      prisonerId: w.prisonerId,
      kind: 'parcel',
      senderName: 'Mother',
      weightGrams: 1000,
      items: [item, { ...item, category: 'books' }],
    }),
    ChangeParcelStatusDto: () => ({ status: 'seized', note: 'phone', seizedItems: [item] }),
    BlockCardDto: () => ({ reason: 'lost' }),
    CreateChargeDto: () => ({
      cardNumber: '1234567812345678',
      currency: 'KZT',
      amountMinor: 100,
      items: [{ description: 'tea', quantity: 1, unitPriceMinor: 100 }],
    }),
    CreateRefundDto: () => ({ amountMinor: 100, reason: 'returned' }),
    CashDepositDto: () => ({ amountMinor: 100, currency: 'KZT', receiptNumber: uniq('RC-') }),
    CreateDepositDto: () => ({ prisonerId: w.prisonerId, amountMinor: 100, currency: 'KZT' }),
    RecordDisabilityDto: () => ({ kind: 'blind', note: 'needs a guide', from: '2026-01-05' }),
    EndDisabilityDto: () => ({ reason: 'commission', until: '2026-01-06' }),
    AppointOrderlyDto: () => ({ prisonerId: w.prisonerId, from: '2026-01-05' }),
    DismissOrderlyDto: () => ({ reason: 'asked to leave' }),
    AssignOrderlyDto: () => ({
      orderlyPrisonerId: w.care.orderlyId,
      assistedPrisonerId: w.prisonerId,
      from: '2026-01-05',
    }),
    EndAssignmentDto: () => ({ reason: 'no longer needed' }),
    RunPayrollDto: () => ({ month: '2020-01' }),
    CreateContactDto: () => ({
      phoneNumber: '+7 701 555 01 23',
      name: 'Brother',
      relationship: 'sibling',
      legal: false,
    }),
    RejectContactDto: () => ({ reason: 'unknown number' }),
    AuthorizeCallDto: () => ({ prisonerId: w.prisonerId, dialedNumber: '8 701 555 01 99' }),
    EndCallDto: () => ({ durationSeconds: 61 }),
    CreateBookingDto: () => ({
      prisonerId: w.prisonerId,
      startsAt: '2099-03-02T10:00:00+05:00',
      minutes: 15,
    }),
    CancelBookingDto: () => ({ reason: 'moved' }),
    CreateVisitRoomDto: () => ({ name: uniq('Room '), capacity: 3 }),
    BookLongVisitDto: () => ({
      prisonerId: w.prisonerId,
      startDate: '2099-01-01',
      days: 2,
      visitors: [{ fullName: 'Visitor', relationship: 'spouse' }],
    }),
    RejectLongVisitDto: () => ({ reason: 'visitor banned' }),
    CancelLongVisitDto: () => ({ reason: 'plans changed' }),
    CloseVisitRoomDto: () => ({ fromDate: '2099-01-01', toDate: '2099-01-02', reason: 'repairs' }),
  };
  const make = bodies[schema];
  if (!make) throw new Error(`bad-input: add a valid ${schema} to validBody()`);
  return make();
}

/** Every place in a JSON value: the path to it and the value there. */
function places(v: Json, at: Path = []): Array<{ at: Path; value: Json }> {
  const here = at.length > 0 ? [{ at, value: v }] : [];
  if (Array.isArray(v)) return [...here, ...v.flatMap((x, i) => places(x, [...at, i]))];
  if (v !== null && typeof v === 'object') {
    return [...here, ...Object.entries(v).flatMap(([k, x]) => places(x, [...at, k]))];
  }
  return here;
}

function setAt(root: Json, at: Path, value: Json): Json {
  if (at.length === 0) return value;
  const [head, ...rest] = at;
  if (Array.isArray(root)) {
    const copy = [...root];
    copy[head as number] = setAt(copy[head as number], rest, value);
    return copy;
  }
  const obj = root as Record<string, Json>;
  return { ...obj, [head]: setAt(obj[head as string], rest, value) };
}

function getAt(root: Json, at: Path): Json {
  return at.reduce<Json>((v, k) => (v as Record<string, Json>)[k as string], root);
}

function wrongType(v: Json, pick: number): Json {
  const options: Json[] =
    typeof v === 'string'
      ? [42, true, { v }, [v]]
      : typeof v === 'number'
        ? [String(v), true, { v }, [v]]
        : typeof v === 'boolean'
          ? [String(v), 1, [v]]
          : Array.isArray(v)
            ? ['x', 1, { v }]
            : ['x', 1, [v]];
  return options[pick % options.length];
}

/** JSON text that is not JSON (never empty: an empty body is no body). */
function malformed(json: string, n: number): string {
  const options = [
    json.slice(0, 1 + (n % (json.length - 1))),
    `${json},`,
    json.replace(/"/g, "'"),
    json.replace(/}$/, ',}'),
    `${json}${json}`,
  ];
  return options[n % options.length];
}

function upperIds(v: Json): Json {
  if (typeof v === 'string') return UUID.test(v) ? v.toUpperCase() : v;
  if (Array.isArray(v)) return v.map(upperIds);
  if (v !== null && typeof v === 'object') {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, upperIds(x)]));
  }
  return v;
}

function breakages(
  op: Operation,
  base: Record<string, Json> | undefined,
): fc.Arbitrary<Breakage>[] {
  const out: fc.Arbitrary<Breakage>[] = [];
  const takesBody = op.method !== 'get' && op.method !== 'delete';
  if (base !== undefined) {
    const all = places(base);
    const fieldPlaces = all.filter(
      (p) => !(p.at.length === 1 && NULL_MEANS.has(`${op.bodySchema}.${p.at[0]}`)),
    );
    const strings = all.filter((p) => typeof p.value === 'string');
    const objects: Path[] = [
      [],
      ...all
        .filter((p) => p.value !== null && typeof p.value === 'object' && !Array.isArray(p.value))
        .map((p) => p.at),
    ];
    const hows = ['null', 'wrongType', 'nestArray'] as const;
    if (fieldPlaces.length > 0) {
      out.push(
        fc.record({
          kind: fc.constant('field' as const),
          how: fc.constantFrom(...hows),
          at: fc.constantFrom(...fieldPlaces.map((p) => p.at)),
          pick: fc.nat(),
        }),
      );
    }
    if (strings.length > 0) {
      out.push(
        fc.record({
          kind: fc.constant('field' as const),
          how: fc.constantFrom('badText' as const, 'huge' as const),
          at: fc.constantFrom(...strings.map((p) => p.at)),
          pick: fc.nat(),
        }),
      );
    }
    out.push(
      fc.record({
        kind: fc.constant('unknownField' as const),
        at: fc.constantFrom(...objects),
        name: fc.stringMatching(/^[a-z][a-zA-Z0-9]{0,12}$/).map((s) => `zz${s}`),
        value: fc.oneof(fc.string(), fc.integer(), fc.constant(null), fc.constant<Json>([[{}]])),
      }),
    );
  }
  if (takesBody) {
    out.push(
      fc.record({
        kind: fc.constant('rawBody' as const),
        how: fc.constantFrom(
          'deepArrays' as const,
          'deepObjects' as const,
          'malformed' as const,
          ...(base !== undefined ? (['notObject'] as const) : []),
        ),
        n: fc.integer({ min: 33, max: 3000 }),
      }),
    );
  }
  if (op.pathParams.length > 0) {
    out.push(
      fc.record({
        kind: fc.constant('pathParam' as const),
        name: fc.constantFrom(...op.pathParams),
        value: fc.oneof(
          fc.constantFrom('x', '1', '-1', 'null', '%00', '%ED%A0%80', '%E0%A4%A', 'a'.repeat(300)),
          fc.uuid().map((u) => `${u}0`),
          fc.uuid().map((u) => `${u.slice(0, 8)}%00${u.slice(8)}`),
          fc
            .string({ minLength: 1, maxLength: 40 })
            .map((s) => encodeURIComponent(s).replace(/^$/, 'x')),
        ),
      }),
    );
  }
  if (op.queryParams.length > 0) {
    out.push(
      fc.record({
        kind: fc.constant('query' as const),
        name: fc.constantFrom(...op.queryParams),
        how: fc.constantFrom(
          'nul' as const,
          'control' as const,
          'repeated' as const,
          'huge' as const,
        ),
      }),
    );
  }
  if (op.rule && !op.rule.public) {
    out.push(
      fc.record({
        kind: fc.constant('credentials' as const),
        how: fc.constantFrom(
          'none' as const,
          'garbage' as const,
          'basic' as const,
          'both' as const,
        ),
      }),
    );
  }
  return out;
}

describe('generated bad input over every operation of the OpenAPI document', () => {
  let t: TestApp;
  let w: World;
  let ops: Operation[];
  const seed = Number(process.env.BAD_INPUT_SEED ?? Math.floor(Math.random() * 2 ** 31));
  const keys: Record<string, string> = {};
  let relativeToken = '';

  beforeAll(async () => {
    t = await TestApp.start();
    const f = await t.createFacility();
    const other = await t.createFacility();
    const p = await t.createPrisoner(f.id);
    const full = await t.http
      .get(`${API}/prisoners/${p.id}`)
      .auth(t.adminToken, { type: 'bearer' })
      .expect(200);
    for (const kind of ['parcel-intake', 'payphone', 'commissary'] as const) {
      keys[kind] = (await t.createTerminal(f.id, kind)).apiKey;
    }
    const spareTerminal = await t.createTerminal(f.id, 'payphone');
    const relative = await t.createRelative();
    relativeToken = relative.token;
    const admin = { authorization: `Bearer ${t.adminToken}` };
    const link = await t.http
      .post(`${API}/relatives/me/links`)
      .auth(relative.token, { type: 'bearer' })
      .send({
        facilityId: f.id,
        prisonerPersonalNumber: full.body.personalNumber,
        relationship: 'parent',
      })
      .expect(201);
    const draft = await t.http
      .post(`${API}/policy-versions`)
      .set(admin)
      .send({
        facilityId: f.id,
        effectiveOn: '2099-01-01',
        reason: 'draft',
        values: { 'parcels.maxWeightGrams': 25000 },
      })
      .expect(201);
    const card = await t.http.post(`${API}/prisoners/${p.id}/cards`).set(admin).expect(201);
    t.secrets.add(card.body.cardNumber);
    const contact = await t.http
      .post(`${API}/prisoners/${p.id}/contacts`)
      .set(admin)
      .send({ phoneNumber: '+77015550199', name: 'Sister', relationship: 'sibling' })
      .expect(201);
    const call = await t.http
      .post(`${API}/calls`)
      .set('x-api-key', keys['payphone'])
      .send({ prisonerId: p.id, dialedNumber: '+77015550199' })
      .expect(201);
    const booking = await t.http
      .post(`${API}/payphones/${spareTerminal.id}/bookings`)
      .set(admin)
      .send({ prisonerId: p.id, startsAt: '2099-03-01T10:00:00+05:00', minutes: 15 })
      .expect(201);
    const parcel = await t.http
      .post(`${API}/facilities/${f.id}/parcels`)
      .set('x-api-key', keys['parcel-intake'])
      .send({
        prisonerId: p.id,
        senderName: 'M',
        weightGrams: 1000,
        items: [{ category: 'food', description: 'tea', quantity: 1 }],
      })
      .expect(201);
    const careOf = await careObjects(t, f.id);
    const room = await t.http
      .post(`${API}/facilities/${f.id}/visit-rooms`)
      .set(admin)
      .send({ name: 'Room 1' })
      .expect(201);
    w = {
      care: careOf,
      facilityId: f.id,
      otherFacilityId: other.id,
      prisonerId: p.id,
      personalNumber: full.body.personalNumber,
      byPath: [
        [/^\/api\/v1\/policy-versions\/\{id\}/, draft.body.id],
        [/^\/api\/v1\/links\/\{id\}/, link.body.id],
        [/^\/api\/v1\/cards\/\{id\}/, card.body.id],
        [/^\/api\/v1\/parcels\/\{id\}/, parcel.body.id],
        [/^\/api\/v1\/terminals\/\{id\}/, spareTerminal.id],
        [/^\/api\/v1\/disabilities\/\{id\}/, careOf.disabilityId],
        [/^\/api\/v1\/orderly-assignments\/\{id\}/, careOf.assignmentId],
        [/\/care\/orderlies\/\{positionId\}/, careOf.positionId],
        [/^\/api\/v1\/contacts\/\{id\}/, contact.body.id],
        [/^\/api\/v1\/calls\/\{id\}/, call.body.id],
        [/^\/api\/v1\/payphones\/\{terminalId\}/, spareTerminal.id],
        [/^\/api\/v1\/payphone-bookings\/\{id\}/, booking.body.id],
        [/^\/api\/v1\/visit-rooms\/\{id\}/, room.body.id],
        [/\/prisoners\/\{(id|prisonerId)\}/, p.id],
      ],
    };

    const doc = (await t.http.get('/api/docs-json').expect(200)).body as {
      paths: Record<string, Record<string, Record<string, unknown>>>;
      components?: { schemas?: Record<string, { properties?: Record<string, unknown> }> };
    };
    const rules = new Map(declaredRoutes(t).map((r) => [`${r.method} ${r.path}`, r.rule]));
    ops = Object.entries(doc.paths).flatMap(([path, byMethod]) =>
      Object.entries(byMethod)
        .filter(([m]) => ['get', 'post', 'put', 'patch', 'delete'].includes(m))
        .map(([method, o]) => {
          const params = (o.parameters ?? []) as Array<{ name: string; in: string }>;
          const ref = (
            o.requestBody as
              { content?: Record<string, { schema?: { $ref?: string } }> } | undefined
          )?.content?.['application/json']?.schema?.$ref;
          const bodySchema = ref?.split('/').pop();
          const routeKey = `${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`;
          return {
            method: method as Operation['method'],
            path,
            pathParams: params.filter((x) => x.in === 'path').map((x) => x.name),
            queryParams: params.filter((x) => x.in === 'query').map((x) => x.name),
            headerParams: params.filter((x) => x.in === 'header').map((x) => x.name.toLowerCase()),
            bodySchema,
            bodyProperties: Object.keys(
              (bodySchema && doc.components?.schemas?.[bodySchema]?.properties) || {},
            ),
            rule: rules.get(routeKey),
          };
        }),
    );
    console.log(
      `bad-input: seed ${seed} (replay with BAD_INPUT_SEED=${seed}), ${ops.length} operations`,
    );
  });
  afterAll(() => t.close());

  const tableCounts = async (): Promise<Record<string, number>> => {
    const tables = await t.sql<{ name: string }>(
      `SELECT quote_ident(table_name) AS name FROM information_schema.tables
        WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name <> 'migrations'`,
    );
    const union = tables.map((x) => `SELECT '${x.name}' AS t, count(*)::int AS n FROM ${x.name}`);
    const rows = await t.sql<{ t: string; n: number }>(union.join(' UNION ALL '));
    return Object.fromEntries(rows.map((r) => [r.t, r.n]));
  };

  function pathValue(op: Operation, name: string): string {
    if (name === 'facilityId') return w.facilityId;
    return w.byPath.find(([re]) => re.test(op.path))?.[1] ?? randomUUID();
  }

  /** Who may call the route: the national administrator (every role), a terminal, a relative. */
  function credentials(op: Operation): Record<string, string> {
    const r = op.rule;
    if (!r || r.public) return {};
    if (r.staff) return { authorization: `Bearer ${t.adminToken}` };
    if (r.terminals) {
      const kind = r.terminals === 'any' ? 'parcel-intake' : r.terminals[0];
      return { 'x-api-key': keys[kind] };
    }
    if (r.relative) return { authorization: `Bearer ${relativeToken}` };
    return {};
  }

  async function send(op: Operation, c: Case) {
    const b = c.breakage;
    const base = op.bodySchema ? validBody(op.bodySchema, w) : undefined;
    let body: Json | undefined = base;
    let raw: string | undefined;
    const pathVals = Object.fromEntries(op.pathParams.map((n) => [n, pathValue(op, n)]));
    const query: string[] = [];
    let headers = credentials(op);

    if (b.kind === 'field' && base) {
      const v = getAt(base, b.at);
      const s = typeof v === 'string' ? v : 'x';
      const replacement: Json =
        b.how === 'null'
          ? null
          : b.how === 'wrongType'
            ? wrongType(v, b.pick)
            : b.how === 'nestArray'
              ? [v]
              : b.how === 'badText'
                ? s.slice(0, b.pick % (s.length + 1)) +
                  BAD_CHARS[b.pick % BAD_CHARS.length] +
                  s.slice(b.pick % (s.length + 1))
                : 'x'.repeat(3000 + (b.pick % 70_000));
      body = setAt(base, b.at, replacement);
    } else if (b.kind === 'unknownField' && base) {
      body = setAt(base, b.at, {
        ...(getAt(base, b.at) as Record<string, Json>),
        [b.name]: b.value,
      });
    } else if (b.kind === 'rawBody') {
      raw =
        b.how === 'deepArrays'
          ? '['.repeat(b.n) + ']'.repeat(b.n)
          : b.how === 'deepObjects'
            ? '{"a":'.repeat(b.n) + '1' + '}'.repeat(b.n)
            : b.how === 'malformed'
              ? malformed(JSON.stringify(base ?? { a: 1 }), b.n)
              : ['[]', '"x"', '1', 'null', 'true', '[{}]'][b.n % 6];
    } else if (b.kind === 'pathParam') {
      pathVals[b.name] = b.value;
    } else if (b.kind === 'query') {
      const v = { nul: 'a%00b', control: 'a%1Bb', huge: '9'.repeat(5000), repeated: '1' }[b.how];
      query.push(`${b.name}=${v}`);
      if (b.how === 'repeated') query.push(`${b.name}=2`);
    } else if (b.kind === 'credentials') {
      headers =
        b.how === 'none'
          ? {}
          : b.how === 'garbage'
            ? { authorization: 'Bearer aaa.bbb.ccc' }
            : b.how === 'basic'
              ? { authorization: 'Basic cm9vdDpyb290' }
              : { authorization: `Bearer ${t.adminToken}`, 'x-api-key': keys['parcel-intake'] };
    }
    if (c.upperIds) {
      body = body === undefined ? undefined : upperIds(body);
      for (const [k, v] of Object.entries(pathVals)) {
        if (UUID.test(v)) pathVals[k] = v.toUpperCase();
      }
    }
    const url =
      op.path.replace(/\{(\w+)\}/g, (_m, n: string) => pathVals[n]) +
      (query.length ? `?${query.join('&')}` : '');
    let req = t.http[op.method](url).set(headers);
    if (op.headerParams.includes('idempotency-key')) req = req.set('idempotency-key', randomUUID());
    if (raw !== undefined) req = req.set('content-type', 'application/json').send(raw);
    else if (body !== undefined) req = req.send(body as object);
    return req;
  }

  it('answers every bad input with a 4xx problem of our own, and stores nothing', async () => {
    const before = await tableCounts();
    const noInput: string[] = [];
    let sent = 0;
    for (const [i, op] of ops.entries()) {
      const name = `${op.method.toUpperCase()} ${op.path}`;
      const base = op.bodySchema ? validBody(op.bodySchema, w) : undefined;
      const arbs = breakages(op, base);
      if (arbs.length === 0) {
        noInput.push(name);
        continue;
      }
      const cases = fc.record({ breakage: fc.oneof(...arbs), upperIds: fc.boolean() });
      await fc.assert(
        fc.asyncProperty(cases, async (c) => {
          sent++;
          const res = await send(op, c);
          const verdict = {
            status: res.status,
            problem: /^application\/problem\+json/.test(String(res.headers['content-type'])),
            ourCode: OUR_CODES.has(res.body?.code),
            statusMatches: res.body?.status === res.status,
          };
          const ok = { status: verdict.status, problem: true, ourCode: true, statusMatches: true };
          if (
            verdict.status < 400 ||
            verdict.status >= 500 ||
            !verdict.problem ||
            !verdict.ourCode ||
            !verdict.statusMatches
          ) {
            throw new Error(
              `${name} with ${JSON.stringify(c).slice(0, 400)}: ${JSON.stringify(verdict)} ` +
                `(want 4xx ${JSON.stringify(ok)}); body ${JSON.stringify(res.body).slice(0, 400)}`,
            );
          }
        }),
        { seed: seed + i, numRuns: RUNS_PER_OPERATION, endOnFailure: true },
      );
    }
    // Only the health probes and the public key take nothing a client could get wrong.
    expect(noInput.filter((n) => !/\/health\/|\/audit\/public-key$/.test(n))).toEqual([]);
    expect(sent).toBeGreaterThan(ops.length * 10);
    expect(await tableCounts()).toEqual(before);
  }, 600_000);
});
