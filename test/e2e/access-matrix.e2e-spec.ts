import { STAFF_ROLES, StaffRole, TERMINAL_KINDS, TerminalKind } from '../../src/common/auth/roles';
import { API, Relative, TestApp, Terminal, uniq } from '../support/test-app';
import { declaredRoutes } from '../support/routes';

type Caller = 'anonymous' | StaffRole | `terminal:${TerminalKind}` | 'relative';
const STAFF: Caller[] = [...STAFF_ROLES];
const TERMINALS: Caller[] = TERMINAL_KINDS.map((k) => `terminal:${k}` as const);
const EVERYONE: Caller[] = ['anonymous', ...STAFF, ...TERMINALS, 'relative'];
// The role groups of docs/roles.md, written out here rather than imported, so a wrong decorator fails.
/** Every officer who deals with prisoners; not policy administrators (rules, never one person's data). */
const PRISONER_READERS: Caller[] = STAFF.filter((r) => r !== 'policy-admin');
/** A prisoner's money: the finance office, the till, audit. */
const MONEY_READERS: Caller[] = ['finance-officer', 'commissary-operator', 'auditor'];
/** Parcels and their contents: the parcel room and audit. */
const PARCEL_READERS: Caller[] = ['intake-officer', 'auditor'];
/** A prisoner's numbers and calls: the phone officers and audit. */
const PHONE_READERS: Caller[] = ['phone-officer', 'auditor'];

interface Fixture {
  A: string;
  B: string;
  prisonerA: string;
  prisonerB: string;
  spareTerminalA: string;
  pendingLinkA: string;
  draftPolicyA: string;
  draftPolicyB: string;
  parcelA: string;
  cardA: string;
  contactA: string;
}

interface Expectation {
  allow: Caller[];
  /**
   * The answer covers every facility: only national staff of the roles in `allow` pass; the
   * facility-scoped staff of this matrix are refused (403).
   */
  nationalOnly?: true;
  path: (fx: Fixture) => string;
  body?: object;
}

/**
 * Who may call what, written from api.md (and, for routes it leaves open, our choice) — not derived
 * from the decorators, so a wrong declaration fails here. Every registered route must appear.
 */
const MATRIX: Record<string, Expectation> = {
  'GET /api/v1/health/live': { allow: EVERYONE, path: () => `${API}/health/live` },
  'GET /api/v1/health/ready': { allow: EVERYONE, path: () => `${API}/health/ready` },
  'POST /api/v1/auth/staff/login': {
    allow: EVERYONE,
    path: () => `${API}/auth/staff/login`,
    body: {},
  },
  'POST /api/v1/auth/relatives/login': {
    allow: EVERYONE,
    path: () => `${API}/auth/relatives/login`,
    body: {},
  },
  'POST /api/v1/relatives': { allow: EVERYONE, path: () => `${API}/relatives`, body: {} },
  'GET /api/v1/relatives/me': { allow: ['relative'], path: () => `${API}/relatives/me` },
  'POST /api/v1/relatives/me/links': {
    allow: ['relative'],
    path: () => `${API}/relatives/me/links`,
    body: {},
  },
  'GET /api/v1/relatives/me/links': {
    allow: ['relative'],
    path: () => `${API}/relatives/me/links`,
  },
  'GET /api/v1/relatives/me/prisoners': {
    allow: ['relative'],
    path: () => `${API}/relatives/me/prisoners`,
  },
  'GET /api/v1/relatives/me/prisoners/:prisonerId': {
    allow: ['relative'],
    path: (fx) => `${API}/relatives/me/prisoners/${fx.prisonerA}`,
  },
  'POST /api/v1/facilities': {
    allow: ['admin'],
    nationalOnly: true,
    path: () => `${API}/facilities`,
    body: {},
  },
  'GET /api/v1/facilities': { allow: [...STAFF, 'relative'], path: () => `${API}/facilities` },
  'GET /api/v1/facilities/:facilityId': {
    allow: [...STAFF, ...TERMINALS],
    path: (fx) => `${API}/facilities/${fx.A}`,
  },
  'POST /api/v1/facilities/:facilityId/prisoners': {
    allow: ['admin'],
    path: (fx) => `${API}/facilities/${fx.A}/prisoners`,
    body: {},
  },
  'GET /api/v1/facilities/:facilityId/prisoners': {
    allow: PRISONER_READERS,
    path: (fx) => `${API}/facilities/${fx.A}/prisoners`,
  },
  'GET /api/v1/prisoners/:id': {
    allow: PRISONER_READERS,
    path: (fx) => `${API}/prisoners/${fx.prisonerA}`,
  },
  'GET /api/v1/prisoners/:id/history': {
    allow: PRISONER_READERS,
    path: (fx) => `${API}/prisoners/${fx.prisonerA}/history`,
  },
  'POST /api/v1/prisoners/:id/conditions': {
    allow: ['admin'],
    path: (fx) => `${API}/prisoners/${fx.prisonerA}/conditions`,
    body: {},
  },
  'POST /api/v1/prisoners/:id/transfer': {
    allow: ['admin'],
    path: (fx) => `${API}/prisoners/${fx.prisonerA}/transfer`,
    body: {},
  },
  'POST /api/v1/staff': { allow: ['admin'], path: () => `${API}/staff`, body: {} },
  'GET /api/v1/staff/me': { allow: STAFF, path: () => `${API}/staff/me` },
  'POST /api/v1/facilities/:facilityId/terminals': {
    allow: ['admin'],
    path: (fx) => `${API}/facilities/${fx.A}/terminals`,
    body: {},
  },
  'GET /api/v1/facilities/:facilityId/terminals': {
    allow: ['admin', 'auditor'],
    path: (fx) => `${API}/facilities/${fx.A}/terminals`,
  },
  'DELETE /api/v1/terminals/:id': {
    allow: ['admin'],
    path: (fx) => `${API}/terminals/${fx.spareTerminalA}`,
  },
  'GET /api/v1/terminals/me': { allow: TERMINALS, path: () => `${API}/terminals/me` },
  'GET /api/v1/facilities/:facilityId/links': {
    allow: ['visits-officer', 'auditor'],
    path: (fx) => `${API}/facilities/${fx.A}/links`,
  },
  'POST /api/v1/links/:id/approve': {
    allow: ['visits-officer'],
    path: (fx) => `${API}/links/${fx.pendingLinkA}/approve`,
    body: {},
  },
  'POST /api/v1/links/:id/reject': {
    allow: ['visits-officer'],
    path: (fx) => `${API}/links/${fx.pendingLinkA}/reject`,
    body: {},
  },
  'POST /api/v1/facilities/:facilityId/visit-rooms': {
    allow: ['admin', 'visits-officer'],
    path: (fx) => `${API}/facilities/${fx.A}/visit-rooms`,
    body: {},
  },
  'GET /api/v1/facilities/:facilityId/visit-rooms': {
    allow: ['admin', 'visits-officer', 'auditor'],
    path: (fx) => `${API}/facilities/${fx.A}/visit-rooms`,
  },
  'POST /api/v1/visit-rooms/:id/closures': {
    allow: ['admin', 'visits-officer'],
    path: () => `${API}/visit-rooms/7c1d2e3f-4a5b-4c6d-8e9f-0a1b2c3d4e5f/closures`,
    body: {},
  },
  'GET /api/v1/facilities/:facilityId/long-visits/availability': {
    allow: ['admin', 'visits-officer', 'auditor', 'relative'],
    path: (fx) => `${API}/facilities/${fx.A}/long-visits/availability`,
  },
  'POST /api/v1/long-visits': { allow: ['relative'], path: () => `${API}/long-visits`, body: {} },
  'GET /api/v1/relatives/me/long-visits': {
    allow: ['relative'],
    path: () => `${API}/relatives/me/long-visits`,
  },
  'GET /api/v1/long-visits/:id': {
    allow: ['visits-officer', 'auditor', 'relative'],
    path: () => `${API}/long-visits/7c1d2e3f-4a5b-4c6d-8e9f-0a1b2c3d4e5f`,
  },
  'GET /api/v1/facilities/:facilityId/long-visits': {
    allow: ['visits-officer', 'auditor'],
    path: (fx) => `${API}/facilities/${fx.A}/long-visits`,
  },
  'POST /api/v1/long-visits/:id/approve': {
    allow: ['visits-officer'],
    path: () => `${API}/long-visits/7c1d2e3f-4a5b-4c6d-8e9f-0a1b2c3d4e5f/approve`,
  },
  'POST /api/v1/long-visits/:id/reject': {
    allow: ['visits-officer'],
    path: () => `${API}/long-visits/7c1d2e3f-4a5b-4c6d-8e9f-0a1b2c3d4e5f/reject`,
    body: {},
  },
  'POST /api/v1/long-visits/:id/cancel': {
    allow: ['visits-officer', 'relative'],
    path: () => `${API}/long-visits/7c1d2e3f-4a5b-4c6d-8e9f-0a1b2c3d4e5f/cancel`,
    body: {},
  },
  'GET /api/v1/policy-catalog': {
    allow: [...STAFF, ...TERMINALS, 'relative'],
    path: () => `${API}/policy-catalog`,
  },
  'POST /api/v1/policy-versions': {
    allow: ['policy-admin'],
    path: () => `${API}/policy-versions`,
    body: {},
  },
  'PATCH /api/v1/policy-versions/:id': {
    allow: ['policy-admin'],
    path: (fx) => `${API}/policy-versions/${fx.draftPolicyA}`,
    body: {},
  },
  'POST /api/v1/policy-versions/:id/publish': {
    allow: ['policy-admin'],
    path: (fx) => `${API}/policy-versions/${fx.draftPolicyA}/publish`,
  },
  'GET /api/v1/policy-versions': { allow: STAFF, path: () => `${API}/policy-versions` },
  'GET /api/v1/policy-versions/:id': {
    allow: STAFF,
    path: (fx) => `${API}/policy-versions/${fx.draftPolicyA}`,
  },
  'GET /api/v1/facilities/:facilityId/policy': {
    allow: [...STAFF, ...TERMINALS],
    path: (fx) => `${API}/facilities/${fx.A}/policy`,
  },
  'GET /api/v1/facilities/:facilityId/policy/changes': {
    allow: STAFF,
    path: (fx) => `${API}/facilities/${fx.A}/policy/changes`,
  },
  'POST /api/v1/facilities/:facilityId/parcels': {
    allow: ['intake-officer', 'terminal:parcel-intake'],
    path: (fx) => `${API}/facilities/${fx.A}/parcels`,
    body: {},
  },
  'GET /api/v1/facilities/:facilityId/parcels': {
    allow: [...PARCEL_READERS, 'terminal:parcel-intake'],
    path: (fx) => `${API}/facilities/${fx.A}/parcels`,
  },
  'GET /api/v1/prisoners/:id/parcel-allowance': {
    allow: [...PRISONER_READERS, 'terminal:parcel-intake'],
    path: (fx) => `${API}/prisoners/${fx.prisonerA}/parcel-allowance`,
  },
  'GET /api/v1/prisoners/:id/parcels': {
    allow: [...PARCEL_READERS, 'terminal:parcel-intake'],
    path: (fx) => `${API}/prisoners/${fx.prisonerA}/parcels`,
  },
  'GET /api/v1/parcels/:id': {
    allow: [...PARCEL_READERS, 'terminal:parcel-intake'],
    path: (fx) => `${API}/parcels/${fx.parcelA}`,
  },
  'POST /api/v1/parcels/:id/status': {
    allow: ['intake-officer'],
    path: (fx) => `${API}/parcels/${fx.parcelA}/status`,
    body: {},
  },
  'POST /api/v1/prisoners/:id/cards': {
    allow: ['finance-officer'],
    path: (fx) => `${API}/prisoners/${fx.prisonerA}/cards`,
  },
  'GET /api/v1/prisoners/:id/cards': {
    allow: MONEY_READERS,
    path: (fx) => `${API}/prisoners/${fx.prisonerA}/cards`,
  },
  'POST /api/v1/cards/:id/block': {
    allow: ['finance-officer'],
    path: (fx) => `${API}/cards/${fx.cardA}/block`,
    body: {},
  },
  'POST /api/v1/cards/:id/unblock': {
    allow: ['finance-officer'],
    path: (fx) => `${API}/cards/${fx.cardA}/unblock`,
  },
  'POST /api/v1/charges': {
    allow: ['terminal:commissary'],
    path: () => `${API}/charges`,
    body: {},
  },
  'POST /api/v1/charges/:id/refunds': {
    allow: ['terminal:commissary', 'commissary-operator'],
    path: () => `${API}/charges/5f0c6b8e-1d2a-4c3b-9e8f-7a6b5c4d3e2f/refunds`,
    body: {},
  },
  'POST /api/v1/prisoners/:id/cash-deposits': {
    allow: ['finance-officer'],
    path: (fx) => `${API}/prisoners/${fx.prisonerA}/cash-deposits`,
    body: {},
  },
  'POST /api/v1/deposits': { allow: ['relative'], path: () => `${API}/deposits`, body: {} },
  'GET /api/v1/deposits/:id': {
    allow: [...MONEY_READERS, 'relative'],
    path: () => `${API}/deposits/3b2a1c0d-9e8f-4a7b-8c6d-5e4f3a2b1c0d`,
  },
  'GET /api/v1/prisoners/:id/account': {
    allow: [...MONEY_READERS, 'relative'],
    path: (fx) => `${API}/prisoners/${fx.prisonerA}/account`,
  },
  'GET /api/v1/prisoners/:id/account/statement': {
    allow: [...MONEY_READERS, 'relative'],
    path: (fx) => `${API}/prisoners/${fx.prisonerA}/account/statement`,
  },
  'GET /api/v1/ledger/reconciliation': {
    allow: ['finance-officer', 'auditor'],
    nationalOnly: true,
    path: () => `${API}/ledger/reconciliation`,
  },
  'POST /api/v1/deposits/reconcile': {
    allow: ['finance-officer'],
    nationalOnly: true,
    path: () => `${API}/deposits/reconcile`,
  },
  'POST /api/v1/webhooks/stripe': {
    allow: EVERYONE,
    path: () => `${API}/webhooks/stripe`,
    body: {},
  },
  // care: care officers decide, auditors read (docs/roles.md)
  'POST /api/v1/prisoners/:id/disabilities': {
    allow: ['care-officer'],
    path: (fx) => `${API}/prisoners/${fx.prisonerA}/disabilities`,
    body: {},
  },
  'GET /api/v1/prisoners/:id/disabilities': {
    allow: ['care-officer', 'auditor'],
    path: (fx) => `${API}/prisoners/${fx.prisonerA}/disabilities`,
  },
  'POST /api/v1/disabilities/:id/end': {
    allow: ['care-officer'],
    path: () => `${API}/disabilities/5f0c6b8e-1d2a-4c3b-9e8f-7a6b5c4d3e2f/end`,
    body: {},
  },
  'POST /api/v1/facilities/:facilityId/care/orderlies': {
    allow: ['care-officer'],
    path: (fx) => `${API}/facilities/${fx.A}/care/orderlies`,
    body: {},
  },
  'GET /api/v1/facilities/:facilityId/care/orderlies': {
    allow: ['care-officer', 'auditor'],
    path: (fx) => `${API}/facilities/${fx.A}/care/orderlies`,
  },
  'POST /api/v1/facilities/:facilityId/care/orderlies/:positionId/dismiss': {
    allow: ['care-officer'],
    path: (fx) =>
      `${API}/facilities/${fx.A}/care/orderlies/5f0c6b8e-1d2a-4c3b-9e8f-7a6b5c4d3e2f/dismiss`,
    body: {},
  },
  'POST /api/v1/orderly-assignments': {
    allow: ['care-officer'],
    path: () => `${API}/orderly-assignments`,
    body: {},
  },
  'POST /api/v1/orderly-assignments/:id/end': {
    allow: ['care-officer'],
    path: () => `${API}/orderly-assignments/5f0c6b8e-1d2a-4c3b-9e8f-7a6b5c4d3e2f/end`,
    body: {},
  },
  'GET /api/v1/facilities/:facilityId/care/unassigned': {
    allow: ['care-officer', 'auditor'],
    path: (fx) => `${API}/facilities/${fx.A}/care/unassigned`,
  },
  'POST /api/v1/facilities/:facilityId/care/payroll': {
    allow: ['finance-officer'],
    path: (fx) => `${API}/facilities/${fx.A}/care/payroll`,
    body: {},
  },
  'GET /api/v1/audit-events': { allow: ['auditor'], path: () => `${API}/audit-events` },
  'POST /api/v1/prisoners/:id/contacts': {
    allow: ['phone-officer', 'relative'],
    path: (fx) => `${API}/prisoners/${fx.prisonerA}/contacts`,
    body: {},
  },
  'GET /api/v1/prisoners/:id/contacts': {
    allow: [...PHONE_READERS, 'relative'],
    path: (fx) => `${API}/prisoners/${fx.prisonerA}/contacts`,
  },
  'POST /api/v1/contacts/:id/approve': {
    allow: ['phone-officer'],
    path: (fx) => `${API}/contacts/${fx.contactA}/approve`,
  },
  'POST /api/v1/contacts/:id/reject': {
    allow: ['phone-officer'],
    path: (fx) => `${API}/contacts/${fx.contactA}/reject`,
    body: {},
  },
  'POST /api/v1/calls': {
    allow: ['terminal:payphone'],
    path: () => `${API}/calls`,
    body: {},
  },
  'POST /api/v1/calls/:id/end': {
    allow: ['terminal:payphone'],
    path: () => `${API}/calls/5f0c6b8e-1d2a-4c3b-9e8f-7a6b5c4d3e2f/end`,
    body: {},
  },
  'GET /api/v1/payphones/:terminalId/slots': {
    allow: [...PHONE_READERS, 'terminal:payphone'],
    path: (fx) => `${API}/payphones/${fx.spareTerminalA}/slots?date=2027-02-10`,
  },
  'POST /api/v1/payphones/:terminalId/bookings': {
    allow: ['phone-officer'],
    path: (fx) => `${API}/payphones/${fx.spareTerminalA}/bookings`,
    body: {},
  },
  'POST /api/v1/payphone-bookings/:id/cancel': {
    allow: ['phone-officer'],
    path: () => `${API}/payphone-bookings/5f0c6b8e-1d2a-4c3b-9e8f-7a6b5c4d3e2f/cancel`,
    body: {},
  },
  'POST /api/v1/contacts/:id/remove': {
    allow: ['phone-officer', 'relative'],
    path: (fx) => `${API}/contacts/${fx.contactA}/remove`,
  },
  'GET /api/v1/audit/verify': { allow: ['auditor'], path: () => `${API}/audit/verify` },
  'GET /api/v1/audit/checkpoint': { allow: ['auditor'], path: () => `${API}/audit/checkpoint` },
  // the key that verifies checkpoints is public: an oversight body checks without an account
  'GET /api/v1/audit/public-key': { allow: EVERYONE, path: () => `${API}/audit/public-key` },
  'GET /api/v1/audit/consistency': {
    allow: ['auditor'],
    path: () => `${API}/audit/consistency?from=00000000-0000-4000-8000-000000000000`,
  },
  'GET /api/v1/audit/export': { allow: ['auditor'], path: () => `${API}/audit/export` },
};

describe('authorization matrix: every route × every kind of caller', () => {
  let t: TestApp;
  let fx: Fixture;
  const credentials = new Map<Caller, Record<string, string>>();
  let terminalsB: Terminal[];
  let stranger: Relative;

  beforeAll(async () => {
    t = await TestApp.start();
    const a = await t.createFacility();
    const b = await t.createFacility();
    const pA = await t.createPrisoner(a.id);
    const pB = await t.createPrisoner(b.id);
    const spare = await t.createTerminal(a.id, 'payphone', 'to revoke');
    const relative = await t.createRelative();
    await t.linkRelative(relative, pA);
    stranger = await t.createRelative();
    const pending = await t.http
      .post(`${API}/relatives/me/links`)
      .auth(stranger.token, { type: 'bearer' })
      .send({ facilityId: a.id, prisonerPersonalNumber: uniq('PN'), relationship: 'other' })
      .expect(201);
    /** A draft policy version of this facility, by the first-start admin; its id. */
    const draft = async (facilityId: string, reason: string, minutes: number): Promise<string> =>
      (
        await t.http
          .post(`${API}/policy-versions`)
          .auth(t.adminToken, { type: 'bearer' })
          .send({
            facilityId,
            effectiveFrom: '2099-01-01T00:00:00Z',
            reason,
            values: { 'payphones.maxCallMinutes': minutes },
          })
          .expect(201)
      ).body.id;
    fx = {
      A: a.id,
      B: b.id,
      prisonerA: pA.id,
      prisonerB: pB.id,
      spareTerminalA: spare.id,
      pendingLinkA: pending.body.id,
      draftPolicyA: await draft(a.id, 'matrix', 10),
      draftPolicyB: await draft(b.id, 'matrix B', 12),
      cardA: (
        await t.http
          .post(`${API}/prisoners/${pA.id}/cards`)
          .auth(t.adminToken, { type: 'bearer' })
          .expect(201)
      ).body.id,
      contactA: (
        await t.http
          .post(`${API}/prisoners/${pA.id}/contacts`)
          .auth(t.adminToken, { type: 'bearer' })
          .send({ phoneNumber: '+77015550101', name: 'Matrix', relationship: 'other' })
          .expect(201)
      ).body.id,
      parcelA: (
        await t.http
          .post(`${API}/facilities/${a.id}/parcels`)
          .auth(t.adminToken, { type: 'bearer' })
          .send({ prisonerId: pA.id, senderName: 'Matrix', weightGrams: 1000, items: [] })
          .expect(201)
      ).body.id,
    };

    credentials.set('anonymous', {});
    for (const role of STAFF_ROLES) {
      const s = await t.createStaff([role], [a.id]);
      credentials.set(role, { authorization: `Bearer ${s.token}` });
    }
    for (const kind of TERMINAL_KINDS) {
      const term = await t.createTerminal(a.id, kind);
      credentials.set(`terminal:${kind}`, { 'x-api-key': term.apiKey });
    }
    credentials.set('relative', { authorization: `Bearer ${relative.token}` });
    terminalsB = await Promise.all(TERMINAL_KINDS.map((k) => t.createTerminal(b.id, k)));
    // many accounts, each a slow password hash: more than the default minute on a busy machine
  }, 300_000);
  afterAll(() => t.close());

  it('has an expectation for every registered route, and no stale ones', () => {
    const registered = declaredRoutes(t)
      .map((r) => `${r.method} ${r.path}`)
      .sort();
    expect(registered).toEqual(Object.keys(MATRIX).sort());
  });

  it.each(Object.keys(MATRIX))('%s', async (route) => {
    const e = MATRIX[route];
    const method = route.split(' ')[0].toLowerCase() as 'get' | 'post' | 'delete' | 'patch';
    const wrong: string[] = [];
    for (const caller of EVERYONE) {
      let req = t.http[method](e.path(fx)).set(credentials.get(caller)!);
      if (e.body) req = req.send(e.body);
      const res = await req;
      expect(res.status).not.toBe(500);
      const allowed = ![401, 403].includes(res.status);
      const expected = e.allow.includes(caller) && !(e.nationalOnly && STAFF.includes(caller));
      if (allowed !== expected)
        wrong.push(`${caller}: ${res.status} (${expected ? 'should pass' : 'should be refused'})`);
      if (!expected) expect(res.status).toBe(caller === 'anonymous' ? 401 : 403);
    }
    expect(wrong).toEqual([]);
  });

  it('opens the routes that cover every facility to national staff of their roles alone', async () => {
    const wrong: string[] = [];
    const national = new Map<StaffRole, Record<string, string>>();
    for (const role of STAFF_ROLES) {
      const s = await t.createStaff([role], []);
      national.set(role, { authorization: `Bearer ${s.token}` });
    }
    for (const [route, e] of Object.entries(MATRIX).filter(([, e]) => e.nationalOnly)) {
      const method = route.split(' ')[0].toLowerCase() as 'get' | 'post';
      for (const role of STAFF_ROLES) {
        let req = t.http[method](e.path(fx)).set(national.get(role)!);
        if (e.body) req = req.send(e.body);
        const res = await req;
        const allowed = ![401, 403].includes(res.status);
        if (allowed !== e.allow.includes(role))
          wrong.push(`${route} national ${role}: ${res.status}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('never names another facility’s objects in an answer to staff of one facility', async () => {
    // staff of A holding every role read every route they may; nothing of B's may appear
    const staffA = await t.createStaff([...STAFF_ROLES], [fx.A]);
    const h = { authorization: `Bearer ${staffA.token}` };
    const leaks: string[] = [];
    for (const [route, e] of Object.entries(MATRIX).filter(([r]) => r.startsWith('GET '))) {
      const res = await t.http.get(e.path(fx)).set(h);
      const text = JSON.stringify(res.body) + (res.text ?? '');
      for (const id of [fx.B, fx.prisonerB, fx.draftPolicyB])
        if (text.includes(id)) leaks.push(`${route} (${res.status}) names ${id}`);
    }
    expect(leaks).toEqual([]);
  });

  it('hides facility A from staff of facility B holding every role (404), and changes nothing', async () => {
    const staffB = await t.createStaff([...STAFF_ROLES], [fx.B]);
    const h = { authorization: `Bearer ${staffB.token}` };
    const probes: Array<[string, string, object?]> = [
      ['get', `${API}/facilities/${fx.A}`],
      ['get', `${API}/facilities/${fx.A}/prisoners`],
      [
        'post',
        `${API}/facilities/${fx.A}/prisoners`,
        { personalNumber: uniq('X'), fullName: 'x', securityLevel: 'medium' },
      ],
      ['get', `${API}/prisoners/${fx.prisonerA}`],
      ['get', `${API}/prisoners/${fx.prisonerA}/history`],
      [
        'post',
        `${API}/prisoners/${fx.prisonerA}/conditions`,
        { conditions: 'strict', reason: 'x' },
      ],
      ['post', `${API}/prisoners/${fx.prisonerA}/transfer`, { toFacilityId: fx.B }],
      ['post', `${API}/facilities/${fx.A}/terminals`, { kind: 'payphone', name: 'x' }],
      ['get', `${API}/facilities/${fx.A}/terminals`],
      ['get', `${API}/facilities/${fx.A}/links`],
      ['get', `${API}/audit-events?facilityId=${fx.A}`],
      ['get', `${API}/facilities/${fx.A}/policy`],
      [
        'get',
        `${API}/facilities/${fx.A}/policy/changes?from=2019-01-01T00:00:00Z&to=2021-01-01T00:00:00Z`,
      ],
      ['get', `${API}/policy-versions/${fx.draftPolicyA}`],
      ['get', `${API}/prisoners/${fx.prisonerA}/parcel-allowance`],
      ['get', `${API}/prisoners/${fx.prisonerA}/account`],
      ['get', `${API}/prisoners/${fx.prisonerA}/account/statement`],
      ['get', `${API}/prisoners/${fx.prisonerA}/cards`],
      ['post', `${API}/prisoners/${fx.prisonerA}/cards`],
      ['post', `${API}/cards/${fx.cardA}/block`, {}],
      ['get', `${API}/prisoners/${fx.prisonerA}/parcels`],
      ['get', `${API}/parcels/${fx.parcelA}`],
      ['post', `${API}/parcels/${fx.parcelA}/status`, { status: 'inspected' }],
      ['get', `${API}/facilities/${fx.A}/parcels`],
      [
        'post',
        `${API}/facilities/${fx.A}/parcels`,
        { prisonerId: fx.prisonerA, senderName: 'x', weightGrams: 10, items: [] },
      ],
      ['get', `${API}/policy-versions?facilityId=${fx.A}`],
      ['get', `${API}/prisoners/${fx.prisonerA}/disabilities`],
      ['post', `${API}/prisoners/${fx.prisonerA}/disabilities`, { kind: 'blind', note: 'x' }],
      ['get', `${API}/facilities/${fx.A}/care/orderlies`],
      ['post', `${API}/facilities/${fx.A}/care/orderlies`, { prisonerId: fx.prisonerA }],
      ['get', `${API}/facilities/${fx.A}/care/unassigned`],
      ['post', `${API}/facilities/${fx.A}/care/payroll`, { month: '2020-01' }],
      ['get', `${API}/prisoners/${fx.prisonerA}/contacts`],
      [
        'post',
        `${API}/prisoners/${fx.prisonerA}/contacts`,
        { phoneNumber: '+77015550102', name: 'x', relationship: 'other' },
      ],
      ['post', `${API}/contacts/${fx.contactA}/approve`],
      ['post', `${API}/contacts/${fx.contactA}/reject`, { reason: 'x' }],
      ['post', `${API}/contacts/${fx.contactA}/remove`],
      [
        'post',
        `${API}/policy-versions`,
        {
          facilityId: fx.A,
          effectiveFrom: '2099-01-01T00:00:00Z',
          reason: 'x',
          values: { 'payphones.maxCallMinutes': 5 },
        },
      ],
    ];
    const wrong: string[] = [];
    for (const [method, path, body] of probes) {
      let req = t.http[method as 'get' | 'post'](path).set(h);
      if (body) req = req.send(body);
      const res = await req;
      if (res.status !== 404) wrong.push(`${method} ${path}: ${res.status}`);
    }
    expect(wrong).toEqual([]);
    const p = await t.http
      .get(`${API}/prisoners/${fx.prisonerA}`)
      .auth(t.adminToken, { type: 'bearer' })
      .expect(200);
    expect(p.body).toMatchObject({ facilityId: fx.A, conditions: 'ordinary' });
    // and facility A's staff cannot reach into B either
    const admin = credentials.get('admin')!;
    await t.http.get(`${API}/prisoners/${fx.prisonerB}`).set(admin).expect(404);
  });

  it('keeps terminals of facility B out of facility A', async () => {
    for (const term of terminalsB) {
      await t.http.get(`${API}/facilities/${fx.A}`).set('x-api-key', term.apiKey).expect(404);
      await t.http
        .get(`${API}/facilities/${fx.A}/policy`)
        .set('x-api-key', term.apiKey)
        .expect(404);
      await t.http.get(`${API}/facilities/${fx.B}`).set('x-api-key', term.apiKey).expect(200);
    }
  });

  it('keeps a relative away from prisoners they are not linked to, and from pending links', async () => {
    await t.http
      .get(`${API}/relatives/me/prisoners/${fx.prisonerA}`)
      .auth(stranger.token, { type: 'bearer' })
      .expect(404);
    const linked = credentials.get('relative')!;
    await t.http.get(`${API}/relatives/me/prisoners/${fx.prisonerB}`).set(linked).expect(404);
    await t.http.get(`${API}/relatives/me/prisoners/${fx.prisonerA}`).set(linked).expect(200);
  });
});
