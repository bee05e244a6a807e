import { randomUUID } from 'node:crypto';
import { API, TestApp } from './test-app';

/** Care's e2e helpers: a facility's own care policy, and the calls officers make. */

/** Publishes a version of this facility setting care keys from a local date (far ahead of the real clock). */
export async function publishCarePolicy(
  t: TestApp,
  facilityId: string,
  effectiveOn: string,
  values: Record<string, number>,
): Promise<string> {
  const admin = { authorization: `Bearer ${t.adminToken}` };
  const draft = await t.http
    .post(`${API}/policy-versions`)
    .set(admin)
    .send({ facilityId, effectiveOn, reason: 'care e2e: the facility’s own care rules', values })
    .expect(201);
  await t.http.post(`${API}/policy-versions/${draft.body.id}/publish`).set(admin).expect(200);
  return draft.body.id as string;
}

export class CareCalls {
  constructor(
    private readonly t: TestApp,
    /** A care officer's bearer token (the first-start admin's by default). */
    readonly token: string = t.adminToken,
  ) {}

  as(token: string): CareCalls {
    return new CareCalls(this.t, token);
  }

  private post(path: string, body: object) {
    return this.t.http
      .post(`${API}${path}`)
      .auth(this.token, { type: 'bearer' })
      .set('idempotency-key', randomUUID())
      .send(body);
  }

  private get(path: string) {
    return this.t.http.get(`${API}${path}`).auth(this.token, { type: 'bearer' });
  }

  disability(prisonerId: string, kind: string, extra: { from?: string; until?: string } = {}) {
    return this.post(`/prisoners/${prisonerId}/disabilities`, {
      kind,
      note: `needs help (${kind})`,
      ...extra,
    });
  }

  disabilities(prisonerId: string) {
    return this.get(`/prisoners/${prisonerId}/disabilities`);
  }

  endDisability(id: string, body: { reason: string; until?: string }) {
    return this.post(`/disabilities/${id}/end`, body);
  }

  appoint(facilityId: string, prisonerId: string, from?: string) {
    return this.post(`/facilities/${facilityId}/care/orderlies`, { prisonerId, from });
  }

  dismiss(facilityId: string, positionId: string, reason = 'asked to leave the job') {
    return this.post(`/facilities/${facilityId}/care/orderlies/${positionId}/dismiss`, { reason });
  }

  orderlies(facilityId: string) {
    return this.get(`/facilities/${facilityId}/care/orderlies`);
  }

  assign(orderlyPrisonerId: string, assistedPrisonerId: string, from?: string) {
    return this.post('/orderly-assignments', { orderlyPrisonerId, assistedPrisonerId, from });
  }

  endAssignment(id: string, reason = 'no longer needed') {
    return this.post(`/orderly-assignments/${id}/end`, { reason });
  }

  unassigned(facilityId: string, query = '') {
    return this.get(`/facilities/${facilityId}/care/unassigned${query}`);
  }

  payroll(facilityId: string, month: string) {
    return this.post(`/facilities/${facilityId}/care/payroll`, { month });
  }
}

export interface CareObjects {
  disabilityId: string;
  orderlyId: string;
  positionId: string;
  assignmentId: string;
}

/**
 * A disability record, an orderly's position and an assignment in the facility, made by the
 * first-start admin under the policy in force now (the reform's national defaults).
 */
export async function careObjects(t: TestApp, facilityId: string): Promise<CareObjects> {
  const care = new CareCalls(t);
  const assisted = (await t.createPrisoner(facilityId)).id;
  const orderly = (await t.createPrisoner(facilityId)).id;
  const disability = await care.disability(assisted, 'wheelchair').expect(201);
  const position = await care.appoint(facilityId, orderly).expect(201);
  const assignment = await care.assign(orderly, assisted).expect(201);
  return {
    disabilityId: disability.body.id,
    orderlyId: orderly,
    positionId: position.body.id,
    assignmentId: assignment.body.id,
  };
}
