// Data for the call scenario, made through the API of a running server: facilities in a zone where
// the payphones are open now, a payphone each, prisoners with money on their card and an approved number.
import { api, facilitiesWithTerminal, fundedPrisoner, pool } from './api.mjs';

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
  const fs = await facilitiesWithTerminal(
    base,
    auth,
    facilities,
    (i) => ({ code: `C-${tag}-${i}`, name: `Bench calls ${tag} ${i}`, timeZone }),
    { kind: 'payphone', name: 'bench payphone' },
  );
  const callers = await pool(20, Array.from({ length: prisoners }, (_, i) => i), async (i) => {
    const f = fs[i % facilities];
    const p = await fundedPrisoner(
      base,
      auth,
      f.facilityId,
      { personalNumber: `C${tag}-${i}`, fullName: `Caller ${i}`, securityLevel: 'minimum', conditions: 'preferential' },
      balanceMinor,
    );
    const c = await api(base, `/api/v1/prisoners/${p.id}/contacts`, {
      method: 'POST',
      headers: auth,
      body: { phoneNumber: NUMBER, name: 'Family', relationship: 'parent' },
    });
    await api(base, `/api/v1/contacts/${c.id}/approve`, { method: 'POST', headers: auth });
    return { prisonerId: p.id, apiKey: f.apiKey };
  });
  return { callers, timeZone };
}
