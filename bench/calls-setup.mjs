// Data for the call scenario, made through the API of a running server: facilities in a zone where
// the payphones are open now, a payphone each, prisoners with money on their card and an approved number.
import { randomUUID } from 'node:crypto';

async function json(base, path, { method = 'GET', headers = {}, body } = {}) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return res.status === 204 ? null : res.json();
}

async function pool(n, items, fn) {
  const out = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: n }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i], i);
      }
    }),
  );
  return out;
}

/** A zone where it is between 09:00 and 17:00 now (the payphones open 08:00 and close 21:00). */
export function daytimeZone() {
  const zones = ['Asia/Tokyo', 'Asia/Almaty', 'Europe/London', 'America/New_York', 'America/Los_Angeles'];
  const hour = (zone) => Number(new Intl.DateTimeFormat('en-GB', { hour: '2-digit', hourCycle: 'h23', timeZone: zone }).format(new Date()));
  return zones.find((z) => hour(z) >= 9 && hour(z) < 17);
}

export const NUMBER = '+77015550123';

/**
 * Returns `{ callers: [{ prisonerId, apiKey }] }` for `prisoners` prisoners spread over `facilities`
 * (minimum security, preferential conditions: the most calls a month).
 */
export async function setupCallers(base, auth, { facilities, prisoners, tag, balanceMinor = 10_000_000 }) {
  const timeZone = daytimeZone();
  const fs = await pool(10, Array.from({ length: facilities }, (_, i) => i), async (i) => {
    const f = await json(base, '/api/v1/facilities', {
      method: 'POST',
      headers: auth,
      body: { code: `C-${tag}-${i}`, name: `Bench calls ${tag} ${i}`, timeZone },
    });
    const t = await json(base, `/api/v1/facilities/${f.id}/terminals`, {
      method: 'POST',
      headers: auth,
      body: { kind: 'payphone', name: 'bench payphone' },
    });
    return { facilityId: f.id, apiKey: t.apiKey };
  });
  const callers = await pool(20, Array.from({ length: prisoners }, (_, i) => i), async (i) => {
    const f = fs[i % facilities];
    const p = await json(base, `/api/v1/facilities/${f.facilityId}/prisoners`, {
      method: 'POST',
      headers: auth,
      body: { personalNumber: `C${tag}-${i}`, fullName: `Caller ${i}`, securityLevel: 'minimum', conditions: 'preferential' },
    });
    await json(base, `/api/v1/prisoners/${p.id}/cash-deposits`, {
      method: 'POST',
      headers: { ...auth, 'idempotency-key': randomUUID() },
      body: { amountMinor: balanceMinor, currency: 'KZT', receiptNumber: `C${tag}-${i}` },
    });
    const c = await json(base, `/api/v1/prisoners/${p.id}/contacts`, {
      method: 'POST',
      headers: auth,
      body: { phoneNumber: NUMBER, name: 'Family', relationship: 'parent' },
    });
    await json(base, `/api/v1/contacts/${c.id}/approve`, { method: 'POST', headers: auth });
    return { prisonerId: p.id, apiKey: f.apiKey };
  });
  return { callers, timeZone };
}
