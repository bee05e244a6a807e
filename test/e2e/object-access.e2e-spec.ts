import { randomUUID } from 'node:crypto';
import { TERMINAL_KINDS, TerminalKind } from '../../src/common/auth/roles';
import { STAFF_ROLES } from '../../src/common/auth/roles';
import { declaredRoutes, DeclaredRoute } from '../support/routes';
import { API, TestApp, uniq } from '../support/test-app';
import { CareObjects, careObjects } from '../support/care';

/** Objects of facility A that the routes are called on (and a few of B's, for body ids). */
interface Fixture {
  A: string;
  B: string;
  prisonerA: string;
  movablePrisonerA: string;
  spareTerminalA: string;
  pendingLinkA: string;
  draftPolicyA: string;
  parcelA: string;
  cardA: string;
  chargeA: string;
  /** Care: a disability record, an orderly's position and an assignment in facility A. */
  care: CareObjects;
  /** A contact of prisoner A that the linked relative asked for (their own number). */
  contactA: string;
  /** A call decision of facility A's payphone among the callers (only it reports the end). */
  callA: string;
  /** That payphone (a phone reads only its own schedule). */
  phoneA: string;
  bookingA: string;
  roomA: string;
  visitA: string;
  /** A card top-up the linked relative paid for prisoner A. */
  depositA: string;
}

interface Call {
  path: (fx: Fixture) => string;
  /** A valid body, so the object check is what answers (not the body's validation). */
  body?: (fx: Fixture) => object;
  headers?: () => Record<string, string>;
}

const idem = () => ({ 'idempotency-key': randomUUID() });
/** A valid Kazakh mobile number, new each time. */
const phone = () => `+7701${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`;
let slot = 0;
/** Tomorrow in Almaty at 10:00, and a quarter of an hour later at each call. */
const nextSlot = () => {
  const tomorrow = new Date(Date.now() + 29 * 3_600_000).toISOString().slice(0, 10);
  return new Date(Date.parse(`${tomorrow}T10:00:00+05:00`) + 15 * 60_000 * slot++).toISOString();
};
const draftBody = (facilityId: string) => ({
  facilityId,
  effectiveFrom: '2099-01-01T00:00:00Z',
  reason: 'object access',
  values: { 'payphones.maxCallMinutes': 11 },
});

/**
 * Every route that names an object by id (in its path, or a facility or prisoner in its query or
 * body), called on an object of facility A. Which callers are admitted at all comes from the
 * route's `@Access` rule (the authorization matrix checks those); this file checks the object level.
 */
const CALLS: Record<string, Call> = {
  'GET /api/v1/relatives/me/prisoners/:prisonerId': {
    path: (fx) => `${API}/relatives/me/prisoners/${fx.prisonerA}`,
  },
  'GET /api/v1/facilities/:facilityId': { path: (fx) => `${API}/facilities/${fx.A}` },
  'POST /api/v1/facilities/:facilityId/prisoners': {
    path: (fx) => `${API}/facilities/${fx.A}/prisoners`,
    body: () => ({
      personalNumber: uniq('OA'),
      fullName: 'Object Access',
      securityLevel: 'medium',
    }),
  },
  'GET /api/v1/facilities/:facilityId/prisoners': {
    path: (fx) => `${API}/facilities/${fx.A}/prisoners`,
  },
  'GET /api/v1/prisoners/:id': { path: (fx) => `${API}/prisoners/${fx.prisonerA}` },
  'GET /api/v1/prisoners/:id/history': { path: (fx) => `${API}/prisoners/${fx.prisonerA}/history` },
  'POST /api/v1/prisoners/:id/conditions': {
    path: (fx) => `${API}/prisoners/${fx.prisonerA}/conditions`,
    body: () => ({ conditions: 'ordinary', reason: 'object access' }),
  },
  'POST /api/v1/prisoners/:id/transfer': {
    // to a facility the caller also works in: staff of A alone cannot (404), national can
    path: (fx) => `${API}/prisoners/${fx.movablePrisonerA}/transfer`,
    body: (fx) => ({ toFacilityId: fx.A }),
  },
  'POST /api/v1/facilities/:facilityId/terminals': {
    path: (fx) => `${API}/facilities/${fx.A}/terminals`,
    body: () => ({ kind: 'payphone', name: 'object access' }),
  },
  'GET /api/v1/facilities/:facilityId/terminals': {
    path: (fx) => `${API}/facilities/${fx.A}/terminals`,
  },
  'DELETE /api/v1/terminals/:id': { path: (fx) => `${API}/terminals/${fx.spareTerminalA}` },
  'GET /api/v1/facilities/:facilityId/links': { path: (fx) => `${API}/facilities/${fx.A}/links` },
  'POST /api/v1/links/:id/approve': {
    path: (fx) => `${API}/links/${fx.pendingLinkA}/approve`,
    body: () => ({}),
  },
  'POST /api/v1/links/:id/reject': {
    path: (fx) => `${API}/links/${fx.pendingLinkA}/reject`,
    body: () => ({ reason: 'object access' }),
  },
  'POST /api/v1/policy-versions': {
    path: () => `${API}/policy-versions`,
    body: (fx) => draftBody(fx.A),
  },
  'GET /api/v1/policy-versions': { path: (fx) => `${API}/policy-versions?facilityId=${fx.A}` },
  'PATCH /api/v1/policy-versions/:id': {
    path: (fx) => `${API}/policy-versions/${fx.draftPolicyA}`,
    body: () => ({ reason: 'object access, edited' }),
  },
  'POST /api/v1/policy-versions/:id/publish': {
    path: (fx) => `${API}/policy-versions/${fx.draftPolicyA}/publish`,
  },
  'GET /api/v1/policy-versions/:id': { path: (fx) => `${API}/policy-versions/${fx.draftPolicyA}` },
  'GET /api/v1/facilities/:facilityId/policy': { path: (fx) => `${API}/facilities/${fx.A}/policy` },
  'GET /api/v1/facilities/:facilityId/policy/changes': {
    path: (fx) =>
      `${API}/facilities/${fx.A}/policy/changes?from=2019-01-01T00:00:00Z&to=2021-01-01T00:00:00Z`,
  },
  'POST /api/v1/facilities/:facilityId/parcels': {
    path: (fx) => `${API}/facilities/${fx.A}/parcels`,
    body: (fx) => ({
      prisonerId: fx.prisonerA,
      senderName: 'Object Access',
      weightGrams: 100,
      items: [],
    }),
  },
  'GET /api/v1/facilities/:facilityId/parcels': {
    path: (fx) => `${API}/facilities/${fx.A}/parcels`,
  },
  'GET /api/v1/prisoners/:id/parcel-allowance': {
    path: (fx) => `${API}/prisoners/${fx.prisonerA}/parcel-allowance`,
  },
  'GET /api/v1/prisoners/:id/parcels': { path: (fx) => `${API}/prisoners/${fx.prisonerA}/parcels` },
  'GET /api/v1/parcels/:id': { path: (fx) => `${API}/parcels/${fx.parcelA}` },
  'POST /api/v1/parcels/:id/status': {
    path: (fx) => `${API}/parcels/${fx.parcelA}/status`,
    body: () => ({ status: 'inspected' }),
  },
  'POST /api/v1/prisoners/:id/cards': { path: (fx) => `${API}/prisoners/${fx.prisonerA}/cards` },
  'GET /api/v1/prisoners/:id/cards': { path: (fx) => `${API}/prisoners/${fx.prisonerA}/cards` },
  'POST /api/v1/cards/:id/block': {
    path: (fx) => `${API}/cards/${fx.cardA}/block`,
    body: () => ({}),
  },
  'POST /api/v1/cards/:id/unblock': { path: (fx) => `${API}/cards/${fx.cardA}/unblock` },
  'POST /api/v1/charges/:id/refunds': {
    path: (fx) => `${API}/charges/${fx.chargeA}/refunds`,
    body: () => ({ amountMinor: 1, reason: 'object access' }),
    headers: idem,
  },
  'POST /api/v1/prisoners/:id/cash-deposits': {
    path: (fx) => `${API}/prisoners/${fx.prisonerA}/cash-deposits`,
    body: () => ({ amountMinor: 100, currency: 'KZT', receiptNumber: uniq('OA-') }),
    headers: idem,
  },
  'POST /api/v1/deposits': {
    path: () => `${API}/deposits`,
    body: (fx) => ({ prisonerId: fx.prisonerA, amountMinor: 1_000, currency: 'KZT' }),
    headers: idem,
  },
  'GET /api/v1/prisoners/:id/account': { path: (fx) => `${API}/prisoners/${fx.prisonerA}/account` },
  'GET /api/v1/deposits/:id': { path: (fx) => `${API}/deposits/${fx.depositA}` },
  'GET /api/v1/prisoners/:id/account/statement': {
    path: (fx) => `${API}/prisoners/${fx.prisonerA}/account/statement`,
  },
  'GET /api/v1/audit-events': { path: (fx) => `${API}/audit-events?facilityId=${fx.A}` },
  'POST /api/v1/prisoners/:id/disabilities': {
    path: (fx) => `${API}/prisoners/${fx.prisonerA}/disabilities`,
    body: () => ({ kind: 'deaf', note: 'object access' }),
  },
  'GET /api/v1/prisoners/:id/disabilities': {
    path: (fx) => `${API}/prisoners/${fx.prisonerA}/disabilities`,
  },
  'POST /api/v1/disabilities/:id/end': {
    path: (fx) => `${API}/disabilities/${fx.care.disabilityId}/end`,
    body: () => ({ reason: 'object access' }),
  },
  'POST /api/v1/facilities/:facilityId/care/orderlies': {
    path: (fx) => `${API}/facilities/${fx.A}/care/orderlies`,
    body: (fx) => ({ prisonerId: fx.prisonerA }),
  },
  'GET /api/v1/facilities/:facilityId/care/orderlies': {
    path: (fx) => `${API}/facilities/${fx.A}/care/orderlies`,
  },
  'POST /api/v1/facilities/:facilityId/care/orderlies/:positionId/dismiss': {
    path: (fx) => `${API}/facilities/${fx.A}/care/orderlies/${fx.care.positionId}/dismiss`,
    body: () => ({ reason: 'object access' }),
  },
  'POST /api/v1/orderly-assignments': {
    path: () => `${API}/orderly-assignments`,
    body: (fx) => ({
      orderlyPrisonerId: fx.care.orderlyId,
      assistedPrisonerId: fx.prisonerA,
    }),
  },
  'POST /api/v1/orderly-assignments/:id/end': {
    path: (fx) => `${API}/orderly-assignments/${fx.care.assignmentId}/end`,
    body: () => ({ reason: 'object access' }),
  },
  'GET /api/v1/facilities/:facilityId/care/unassigned': {
    path: (fx) => `${API}/facilities/${fx.A}/care/unassigned`,
  },
  'POST /api/v1/facilities/:facilityId/care/payroll': {
    path: (fx) => `${API}/facilities/${fx.A}/care/payroll`,
    body: () => ({ month: '2020-01' }),
  },
  'GET /api/v1/audit/export': { path: (fx) => `${API}/audit/export?facilityId=${fx.A}` },
  'POST /api/v1/prisoners/:id/contacts': {
    path: (fx) => `${API}/prisoners/${fx.prisonerA}/contacts`,
    body: () => ({ phoneNumber: phone(), name: 'Object Access', relationship: 'other' }),
  },
  'GET /api/v1/prisoners/:id/contacts': {
    path: (fx) => `${API}/prisoners/${fx.prisonerA}/contacts`,
  },
  'POST /api/v1/contacts/:id/approve': { path: (fx) => `${API}/contacts/${fx.contactA}/approve` },
  'POST /api/v1/contacts/:id/reject': {
    path: (fx) => `${API}/contacts/${fx.contactA}/reject`,
    body: () => ({ reason: 'object access' }),
  },
  'POST /api/v1/contacts/:id/remove': { path: (fx) => `${API}/contacts/${fx.contactA}/remove` },
  'GET /api/v1/payphones/:terminalId/slots': {
    path: (fx) => `${API}/payphones/${fx.phoneA}/slots?date=2027-02-10`,
  },
  'POST /api/v1/payphones/:terminalId/bookings': {
    path: (fx) => `${API}/payphones/${fx.phoneA}/bookings`,
    body: (fx) => ({ prisonerId: fx.prisonerA, startsAt: nextSlot(), minutes: 15 }),
  },
  'POST /api/v1/payphone-bookings/:id/cancel': {
    path: (fx) => `${API}/payphone-bookings/${fx.bookingA}/cancel`,
    body: () => ({ reason: 'object access' }),
  },
  'POST /api/v1/calls/:id/end': {
    path: (fx) => `${API}/calls/${fx.callA}/end`,
    body: () => ({ durationSeconds: 30 }),
  },
  'POST /api/v1/facilities/:facilityId/visit-rooms': {
    path: (fx) => `${API}/facilities/${fx.A}/visit-rooms`,
    body: () => ({ name: uniq('Room ') }),
  },
  'GET /api/v1/facilities/:facilityId/visit-rooms': {
    path: (fx) => `${API}/facilities/${fx.A}/visit-rooms`,
  },
  'POST /api/v1/visit-rooms/:id/closures': {
    path: (fx) => `${API}/visit-rooms/${fx.roomA}/closures`,
    body: () => ({ fromDate: '2099-01-01', toDate: '2099-01-02', reason: 'object access' }),
  },
  'POST /api/v1/long-visits': {
    path: () => `${API}/long-visits`,
    body: (fx) => ({
      prisonerId: fx.prisonerA,
      startDate: almatyDate(20),
      days: 1,
      visitors: [{ fullName: 'Object Access', relationship: 'parent' }],
    }),
  },
  'GET /api/v1/long-visits/:id': { path: (fx) => `${API}/long-visits/${fx.visitA}` },
  'POST /api/v1/long-visits/:id/approve': {
    path: (fx) => `${API}/long-visits/${fx.visitA}/approve`,
  },
  'POST /api/v1/long-visits/:id/reject': {
    path: (fx) => `${API}/long-visits/${fx.visitA}/reject`,
    body: () => ({ reason: 'object access' }),
  },
  'POST /api/v1/long-visits/:id/cancel': {
    path: (fx) => `${API}/long-visits/${fx.visitA}/cancel`,
    body: () => ({ reason: 'object access' }),
  },
  'GET /api/v1/facilities/:facilityId/long-visits': {
    path: (fx) => `${API}/facilities/${fx.A}/long-visits?from=2099-01-01&to=2099-01-03`,
  },
  'GET /api/v1/facilities/:facilityId/long-visits/availability': {
    path: (fx) =>
      `${API}/facilities/${fx.A}/long-visits/availability?from=2099-01-01&to=2099-01-03`,
  },
};

/** A local date `days` after today in Almaty (where the test facilities are). */
function almatyDate(days: number): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Almaty' }).format(
    new Date(Date.now() + days * 86_400_000),
  );
}

type Kind = 'staff' | 'terminal' | 'relative';
interface Caller {
  name: string;
  kind: Kind;
  terminalKind?: TerminalKind;
  terminalId?: string;
  /** Whether the objects of facility A are this caller's. */
  ours: boolean;
  headers: Record<string, string>;
}

function admits(route: DeclaredRoute, c: Caller): boolean {
  const r = route.rule ?? {};
  if (c.kind === 'staff') return r.staff !== undefined && !r.national;
  if (c.kind === 'relative') return r.relative === true;
  return r.terminals === 'any' || (r.terminals ?? []).includes(c.terminalKind!);
}

describe('object-level access: every route that names an object, as every kind of caller', () => {
  let t: TestApp;
  let fx: Fixture;
  const callers: Caller[] = [];
  let routes: Map<string, DeclaredRoute>;

  beforeAll(async () => {
    t = await TestApp.start();
    const admin = { authorization: `Bearer ${t.adminToken}` };
    const a = await t.createFacility();
    const b = await t.createFacility();
    const pA = await t.createPrisoner(a.id);
    const pB = await t.createPrisoner(b.id);
    const movable = await t.createPrisoner(a.id);
    const spare = await t.createTerminal(a.id, 'payphone', 'to revoke');
    const shopA = await t.createTerminal(a.id, 'commissary', 'till');
    const linked = await t.createRelative();
    await t.linkRelative(linked, pA);
    const unlinked = await t.createRelative();
    await t.linkRelative(unlinked, pB);
    const pending = await t.http
      .post(`${API}/relatives/me/links`)
      .auth(unlinked.token, { type: 'bearer' })
      .send({ facilityId: a.id, prisonerPersonalNumber: uniq('PN'), relationship: 'other' })
      .expect(201);
    const draft = await t.http
      .post(`${API}/policy-versions`)
      .set(admin)
      .send(draftBody(a.id))
      .expect(201);
    const card = await t.http.post(`${API}/prisoners/${pA.id}/cards`).set(admin).expect(201);
    t.secrets.add(card.body.cardNumber);
    await t.http
      .post(`${API}/prisoners/${pA.id}/cash-deposits`)
      .set(admin)
      .set(idem())
      .send({ amountMinor: 50_000, currency: 'KZT', receiptNumber: uniq('OA-') })
      .expect(201);
    const charge = await t.http
      .post(`${API}/charges`)
      .set('x-api-key', shopA.apiKey)
      .set(idem())
      .send({
        cardNumber: card.body.cardNumber,
        amountMinor: 5_000,
        currency: 'KZT',
        items: [{ description: 'tea', quantity: 1, unitPriceMinor: 5_000 }],
      })
      .expect(201);
    expect(charge.body.outcome).toBe('approved');
    const contact = await t.http
      .post(`${API}/prisoners/${pA.id}/contacts`)
      .auth(linked.token, { type: 'bearer' })
      .send({ phoneNumber: '+77011234567', name: 'Object Access', relationship: 'parent' })
      .expect(201);
    const parcel = await t.http
      .post(`${API}/facilities/${a.id}/parcels`)
      .set(admin)
      .send({ prisonerId: pA.id, senderName: 'Object Access', weightGrams: 1000, items: [] })
      .expect(201);
    const room = await t.http
      .post(`${API}/facilities/${a.id}/visit-rooms`)
      .set(admin)
      .send({ name: 'Room A' })
      .expect(201);
    const visit = await t.http
      .post(`${API}/long-visits`)
      .auth(linked.token, { type: 'bearer' })
      .send({
        prisonerId: pA.id,
        startDate: almatyDate(10),
        days: 1,
        visitors: [{ fullName: 'Object Access', relationship: 'parent' }],
      })
      .expect(201);
    const deposit = await t.http
      .post(`${API}/deposits`)
      .auth(linked.token, { type: 'bearer' })
      .set(idem())
      .send({ prisonerId: pA.id, amountMinor: 1_000, currency: 'KZT' })
      .expect(201);
    t.secrets.add(deposit.body.clientSecret);
    fx = {
      A: a.id,
      B: b.id,
      prisonerA: pA.id,
      movablePrisonerA: movable.id,
      spareTerminalA: spare.id,
      pendingLinkA: pending.body.id,
      draftPolicyA: draft.body.id,
      parcelA: parcel.body.id,
      cardA: card.body.id,
      chargeA: charge.body.id,
      care: await careObjects(t, a.id),
      contactA: contact.body.id,
      callA: '',
      phoneA: '',
      bookingA: '',
      roomA: room.body.id,
      visitA: visit.body.id,
      depositA: deposit.body.id,
    };

    const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
    const staff = async (name: string, facilityIds: string[], ours: boolean): Promise<Caller> => ({
      name,
      kind: 'staff',
      ours,
      headers: bearer((await t.createStaff([...STAFF_ROLES], facilityIds)).token),
    });
    /** A terminal of each kind in this facility. */
    const terminals = async (facilityId: string, ours: boolean): Promise<Caller[]> => {
      const out: Caller[] = [];
      for (const kind of TERMINAL_KINDS) {
        const term = await t.createTerminal(facilityId, kind);
        out.push({
          name: `${kind} terminal of ${ours ? 'the' : 'another'} facility`,
          kind: 'terminal',
          terminalKind: kind,
          ours,
          terminalId: term.id,
          headers: { 'x-api-key': term.apiKey },
        });
      }
      return out;
    };
    const relative = (name: string, token: string, ours: boolean): Caller => ({
      name,
      kind: 'relative',
      ours,
      headers: bearer(token),
    });
    // "not yours" first: their calls must change nothing the others then rely on
    callers.push(
      await staff('staff of another facility', [b.id], false),
      ...(await terminals(b.id, false)),
      relative('relative not linked', unlinked.token, false),
      await staff('staff of the facility', [a.id], true),
      await staff('national staff', [], true),
      ...(await terminals(a.id, true)),
      relative('relative linked', linked.token, true),
    );
    const ourPhone = callers.find((c) => c.ours && c.terminalKind === 'payphone')!;
    const call = await t.http
      .post(`${API}/calls`)
      .set(ourPhone.headers)
      .send({ prisonerId: pA.id, dialedNumber: '+77015550100' })
      .expect(201);
    fx.callA = call.body.id;
    fx.phoneA = ourPhone.terminalId!;
    fx.bookingA = (
      await t.http
        .post(`${API}/payphones/${fx.phoneA}/bookings`)
        .set(admin)
        .send({ prisonerId: pA.id, startsAt: nextSlot(), minutes: 15 })
        .expect(201)
    ).body.id;
    routes = new Map(declaredRoutes(t).map((r) => [`${r.method} ${r.path}`, r]));
  }, 300_000);
  afterAll(() => t.close());

  it('covers every route that takes an id in its path', () => {
    const withIds = [...routes.keys()].filter((k) => k.includes('/:')).sort();
    expect(withIds.filter((k) => !CALLS[k])).toEqual([]);
    expect(Object.keys(CALLS).filter((k) => !routes.has(k))).toEqual([]);
  });

  it.each(Object.keys(CALLS))('%s', async (key) => {
    const call = CALLS[key];
    const route = routes.get(key)!;
    const method = key.split(' ')[0].toLowerCase() as 'get' | 'post' | 'patch' | 'delete';
    const wrong: string[] = [];
    for (const c of callers.filter((c) => admits(route, c))) {
      let req = t.http[method](call.path(fx))
        .set(c.headers)
        .set(call.headers?.() ?? {});
      if (call.body) req = req.send(call.body(fx));
      const res = await req;
      const transferByStaffOfA = key.endsWith('/transfer') && c.name === 'staff of the facility';
      if (res.status >= 500) wrong.push(`${c.name}: ${res.status}`);
      else if (!c.ours && res.status !== 404) wrong.push(`${c.name}: ${res.status}, not 404`);
      else if (c.ours && res.status === 404 && !transferByStaffOfA)
        wrong.push(`${c.name}: 404 on its own object (${JSON.stringify(res.body.detail)})`);
      else if (c.ours && [401, 403].includes(res.status))
        wrong.push(`${c.name}: ${res.status} though the route admits it`);
    }
    expect(wrong).toEqual([]);
  });
});
