// The country's structure, made through the API as an administrator would: facilities, their
// terminals (each key is shown once, so only the API can make keys a terminal then presents) and
// visit rooms. About 1 400 requests.
import { pool } from '../api.mjs';
import { json } from '../server.mjs';

// Kazakhstan's zones (one offset, UTC+5, since 2024-03-01; the names stay)
export const ZONES = ['Asia/Almaty', 'Asia/Qostanay', 'Asia/Aqtobe', 'Asia/Aqtau', 'Asia/Atyrau', 'Asia/Oral', 'Asia/Qyzylorda'];

/**
 * `facilities` facilities, each with 5 commissary tills, 5 payphones, 2 parcel counters (a third in
 * half of them: 1 000 terminals for 80) and `rooms` visit rooms.
 */
export async function seedStructure(base, auth, { facilities, rooms = 4 }) {
  const post = (path, body) =>
    json(`${base}/api/v1${path}`, { method: 'POST', headers: auth, body: JSON.stringify(body) });
  return pool(8, Array.from({ length: facilities }, (_, i) => i), async (i) => {
    const code = `KZ-${String(i + 1).padStart(3, '0')}`;
    const f = await post('/facilities', { code, name: `Colony ${code}`, timeZone: ZONES[i % ZONES.length] });
    const kinds = [
      ...Array(5).fill('commissary'),
      ...Array(5).fill('payphone'),
      ...Array(i % 2 ? 3 : 2).fill('parcel-intake'),
    ];
    const terminals = { commissary: [], payphone: [], 'parcel-intake': [] };
    for (const [n, kind] of kinds.entries()) {
      const t = await post(`/facilities/${f.id}/terminals`, { kind, name: `${kind} ${n + 1}` });
      terminals[kind].push({ id: t.id, kind, apiKey: t.apiKey, facilityId: f.id });
    }
    const roomIds = [];
    for (let r = 1; r <= rooms; r++) roomIds.push((await post(`/facilities/${f.id}/visit-rooms`, { name: `Room ${r}`, capacity: 4 })).id);
    return { id: f.id, code, timeZone: f.timeZone, terminals, roomIds };
  });
}
