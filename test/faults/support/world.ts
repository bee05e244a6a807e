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
}

export interface World {
  adminToken: string;
  facilityId: string;
  shopKey: string;
  intakeKey: string;
  intakeTerminalId: string;
  prisoners: Prisoner[];
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
export interface WorldOptions {
  prisoners: number;
  fundMinor: number;
  /** A relative with an approved link for each prisoner. */
  relatives: boolean;
  securityLevel?: string;
}

export async function buildWorld(base: string, opts: WorldOptions): Promise<World> {
  const adminToken = await adminLogin(base);
  const token = adminToken;
  const f = await must(201, base, 'POST', '/facilities', {
    token,
    body: { code: tag('F-'), name: 'Fault colony', timeZone: 'Asia/Almaty' },
  });
  const facilityId = f.body.id as string;
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
      return {
        id,
        cardNumber: card.body.cardNumber as string,
        relativeToken,
        fundedMinor: opts.fundMinor,
        parcelsAllowed: allowance.body.parcelsAllowed as number,
      };
    }),
  );
  return {
    adminToken,
    facilityId,
    shopKey: shop.body.apiKey as string,
    intakeKey: intake.body.apiKey as string,
    intakeTerminalId: intake.body.id as string,
    prisoners,
  };
}
