import { API, Relative, TestApp } from './test-app';

/** A fixed "now" in the reform era (Almaty, UTC+5): bookings run from 2026-03-11 to 2026-06-08. */
export const NOW = '2026-03-10T10:00:00+05:00';

export interface Colony {
  facilityId: string;
  roomIds: string[];
}

/** A facility with `rooms` visit rooms (created by the first-start admin). */
export async function colonyWithRooms(t: TestApp, rooms: number, capacity = 4): Promise<Colony> {
  const f = await t.createFacility();
  const roomIds: string[] = [];
  for (let i = 1; i <= rooms; i++) {
    const res = await t.http
      .post(`${API}/facilities/${f.id}/visit-rooms`)
      .auth(t.adminToken, { type: 'bearer' })
      .send({ name: `Room ${i}`, capacity })
      .expect(201);
    roomIds.push(res.body.id);
  }
  return { facilityId: f.id, roomIds };
}

/** A prisoner of the facility and a relative linked to them. */
export async function linkedPair(
  t: TestApp,
  facilityId: string,
  prisoner: Partial<{ securityLevel: string; conditions: string }> = {},
): Promise<{ prisonerId: string; relative: Relative }> {
  const p = await t.createPrisoner(facilityId, prisoner);
  const relative = await t.createRelative();
  await t.linkRelative(relative, p);
  return { prisonerId: p.id, relative };
}

/** The body of a booking: `days` days from `startDate`, one visitor unless told. */
export function booking(
  prisonerId: string,
  startDate: string,
  days: number,
  visitors = [{ fullName: 'Aigerim Visitor', relationship: 'spouse' }],
) {
  return { prisonerId, startDate, days, visitors };
}

/** Books as the relative; the raw answer. */
export function book(t: TestApp, relative: Relative, body: object) {
  return t.http.post(`${API}/long-visits`).auth(relative.token, { type: 'bearer' }).send(body);
}

/** The availability calendar, as this token sees it. */
export function availability(
  t: TestApp,
  token: string,
  facilityId: string,
  from: string,
  to: string,
) {
  return t.http
    .get(`${API}/facilities/${facilityId}/long-visits/availability`)
    .query({ from, to })
    .auth(token, { type: 'bearer' });
}
