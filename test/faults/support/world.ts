import { randomBytes } from 'node:crypto';
import { must } from './http';
import { ADMIN_PASSWORD, ADMIN_USERNAME } from './server';

export interface Prisoner {
  id: string;
  cardNumber: string;
  /** A relative with an approved link (a token), who may deposit. */
  relativeToken?: string;
  /** What was put on the wallet in cash while building the world. */
  fundedMinor: number;
  parcelsAllowed: number;
  /** Calls a month that count against the allowance (the policy in force). */
  callsPerMonth: number;
  /** Long visits a calendar year (the policy in force). */
  longVisitsPerYear: number;
}

export interface World {
  adminToken: string;
  facilityId: string;
  shopKey: string;
  intakeKey: string;
  intakeTerminalId: string;
  /** The facility's zone: where its local dates and the payphones' hours are reckoned. */
  timeZone: string;
  /** A payphone terminal's key (`payphone: true`), and the number every prisoner may call. */
  phoneKey?: string;
  phoneTerminalId?: string;
  /** The facility's visit rooms (`visitRooms`), each for 3 visitors. */
  roomIds: string[];
  prisoners: Prisoner[];
}

export interface WorldOptions {
  prisoners: number;
  fundMinor: number;
  /** A relative with an approved link for each prisoner. */
  relatives: boolean;
  securityLevel?: string;
  /** Default Asia/Almaty; `daytimeZone()` where the payphones must be open now. */
  timeZone?: string;
  /** A payphone, and an approved number (`PHONE_NUMBER`) for each prisoner. */
  payphone?: boolean;
  /** How many visit rooms (none by default). */
  visitRooms?: number;
}

/** The number every prisoner of a world with a payphone may call. */
export const PHONE_NUMBER = '+77015550123';

/**
 * A zone where it is between 09:00 and 17:00 now, so the payphones (open 08:00 to 21:00) stay open
 * through a test; one of these always is.
 */
export function daytimeZone(now = new Date()): string {
  const zones = [
    'Asia/Tokyo',
    'Asia/Almaty',
    'Europe/London',
    'America/New_York',
    'America/Los_Angeles',
  ];
  const hour = (zone: string): number =>
    Number(
      new Intl.DateTimeFormat('en-GB', {
        hour: '2-digit',
        hourCycle: 'h23',
        timeZone: zone,
      }).format(now),
    );
  return zones.find((z) => hour(z) >= 9 && hour(z) < 17) ?? 'Asia/Almaty';
}

/** The local date `days` after today in `zone`, `YYYY-MM-DD`. */
export function localDate(zone: string, days: number, now = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: zone }).format(
    new Date(now.getTime() + days * 86_400_000),
  );
}

const RELATIVE_PASSWORD = 'relative-fault-password-449';
const tag = (p: string): string => `${p}${randomBytes(4).toString('hex')}`.toUpperCase();

export async function adminLogin(base: string): Promise<string> {
  const res = await must(200, base, 'POST', '/auth/staff/login', {
    body: { username: ADMIN_USERNAME, password: ADMIN_PASSWORD },
  });
  return res.body.accessToken as string;
}

/**
 * A facility with a shop till and an intake counter, and prisoners each with a card, money on it
 * (a cash deposit) and, if asked, a relative linked to them: built through the API.
 */
export async function buildWorld(base: string, opts: WorldOptions): Promise<World> {
  const adminToken = await adminLogin(base);
  const token = adminToken;
  const timeZone = opts.timeZone ?? 'Asia/Almaty';
  const f = await must(201, base, 'POST', '/facilities', {
    token,
    body: { code: tag('F-'), name: 'Fault colony', timeZone },
  });
  const facilityId = f.body.id as string;
  const policy = (await must(200, base, 'GET', `/facilities/${facilityId}/policy`, { token })).body
    .values as Record<string, unknown>;
  const phone = opts.payphone
    ? await must(201, base, 'POST', `/facilities/${facilityId}/terminals`, {
        token,
        body: { kind: 'payphone', name: 'Payphone 1' },
      })
    : undefined;
  const roomIds: string[] = [];
  for (let i = 1; i <= (opts.visitRooms ?? 0); i++) {
    const room = await must(201, base, 'POST', `/facilities/${facilityId}/visit-rooms`, {
      token,
      key: randomBytes(16).toString('hex'),
      body: { name: `Room ${i}`, capacity: 3 },
    });
    roomIds.push(room.body.id as string);
  }
  const shop = await must(201, base, 'POST', `/facilities/${facilityId}/terminals`, {
    token,
    body: { kind: 'commissary', name: 'Shop till' },
  });
  const intake = await must(201, base, 'POST', `/facilities/${facilityId}/terminals`, {
    token,
    body: { kind: 'parcel-intake', name: 'Counter 1' },
  });
  const prisoners = await Promise.all(
    Array.from({ length: opts.prisoners }, async (): Promise<Prisoner> => {
      const personalNumber = tag('P');
      const p = await must(201, base, 'POST', `/facilities/${facilityId}/prisoners`, {
        token,
        body: {
          personalNumber,
          fullName: 'Fault Prisoner',
          securityLevel: opts.securityLevel ?? 'medium',
        },
      });
      const id = p.body.id as string;
      const level = p.body.securityLevel as string;
      const conditions = p.body.conditions as string;
      const card = await must(201, base, 'POST', `/prisoners/${id}/cards`, { token });
      if (opts.fundMinor > 0) {
        await must(201, base, 'POST', `/prisoners/${id}/cash-deposits`, {
          token,
          key: randomBytes(16).toString('hex'),
          body: { amountMinor: opts.fundMinor, currency: 'KZT', receiptNumber: tag('R-') },
        });
      }
      const allowance = await must(200, base, 'GET', `/prisoners/${id}/parcel-allowance`, {
        token,
      });
      let relativeToken: string | undefined;
      if (opts.relatives) {
        const email = `${tag('rel').toLowerCase()}@example.kz`;
        await must(201, base, 'POST', '/relatives', {
          body: {
            email,
            password: RELATIVE_PASSWORD,
            fullName: 'Aigerim Fault',
            phone: '+77011234567',
          },
        });
        relativeToken = (
          await must(200, base, 'POST', '/auth/relatives/login', {
            body: { email, password: RELATIVE_PASSWORD },
          })
        ).body.accessToken as string;
        const link = await must(201, base, 'POST', '/relatives/me/links', {
          token: relativeToken,
          body: { facilityId, prisonerPersonalNumber: personalNumber, relationship: 'parent' },
        });
        await must(200, base, 'POST', `/links/${link.body.id}/approve`, { token, body: {} });
      }
      if (phone) {
        const c = await must(201, base, 'POST', `/prisoners/${id}/contacts`, {
          token,
          key: randomBytes(16).toString('hex'),
          body: { phoneNumber: PHONE_NUMBER, name: 'Family', relationship: 'parent' },
        });
        await must(200, base, 'POST', `/contacts/${c.body.id}/approve`, {
          token,
          key: randomBytes(16).toString('hex'),
        });
      }
      return {
        id,
        cardNumber: card.body.cardNumber as string,
        relativeToken,
        fundedMinor: opts.fundMinor,
        parcelsAllowed: allowance.body.parcelsAllowed as number,
        callsPerMonth: byLevel(policy['payphones.callsPerMonth'], level, conditions),
        longVisitsPerYear: byLevel(policy['visits.long.perYear'], level, conditions),
      };
    }),
  );
  return {
    adminToken,
    facilityId,
    shopKey: shop.body.apiKey as string,
    intakeKey: intake.body.apiKey as string,
    intakeTerminalId: intake.body.id as string,
    timeZone,
    phoneKey: phone?.body.apiKey as string | undefined,
    phoneTerminalId: phone?.body.id as string | undefined,
    roomIds,
    prisoners,
  };
}

/** A policy value for a prisoner of this level and conditions (maps by level, then conditions). */
function byLevel(raw: unknown, level: string, conditions: string): number {
  let v = raw;
  for (const k of [level, conditions]) {
    if (v !== null && typeof v === 'object') v = (v as Record<string, unknown>)[k];
  }
  return typeof v === 'number' ? v : NaN;
}
