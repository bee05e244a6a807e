import { isIPv4, isIPv6 } from 'node:net';

/**
 * The key sign-in failures are counted under for a client address. IPv4 addresses as they are
 * (an IPv4-mapped IPv6 address is its IPv4 one); IPv6 by the /64 network, because one subscriber
 * holds a whole /64 and could otherwise take a fresh address for every guess.
 */
export function clientKey(address: string | undefined): string {
  const a = (address ?? '').trim().toLowerCase();
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(a);
  if (mapped && isIPv4(mapped[1])) return mapped[1];
  if (isIPv4(a)) return a;
  if (isIPv6(a)) return `${ipv6Groups(a).slice(0, 4).join(':')}::/64`;
  return 'unknown';
}

/** The eight groups of an IPv6 address, each without leading zeros. */
function ipv6Groups(address: string): string[] {
  let a = address.replace(/%.*$/, '');
  const v4 = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(a);
  if (v4) {
    const [w, x, y, z] = v4.slice(1).map(Number);
    a = `${a.slice(0, v4.index)}${((w << 8) | x).toString(16)}:${((y << 8) | z).toString(16)}`;
  }
  const [head, tail] = a.split('::');
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const zeros = tail === undefined ? [] : Array<string>(8 - h.length - t.length).fill('0');
  return [...h, ...zeros, ...t].map((g) => parseInt(g, 16).toString(16));
}

/** What the store knows about recent sign-in attempts to one account. */
export interface SignInHistory {
  /** Oldest of the last `perClient` failures from this client within the window, if there are that many. */
  clientLockedSince: Date | null;
  /** Oldest of the last `perAccount` failures from anywhere within the window, if there are that many. */
  accountLockedSince: Date | null;
  /** The account signed in successfully from this client recently. */
  knownClient: boolean;
}

export type SignInGate =
  { open: true } | { open: false; scope: 'client' | 'account'; retryAfterSeconds: number };

/**
 * Whether a sign-in attempt may be checked at all. Guessing is bounded two ways, neither of which
 * lets a stranger turn an account off:
 * - per account and client: `perClient` failures within the window lock that client out of that
 *   account (a guesser locks only themselves);
 * - per account, from everywhere: `perAccount` failures (many clients guessing together) lock the
 *   account for clients it has never signed in from; where it signed in successfully before, it
 *   still can.
 */
export function signInGate(h: SignInHistory, now: Date, windowSeconds: number): SignInGate {
  const retryAfter = (since: Date) =>
    Math.max(1, Math.ceil((since.getTime() + windowSeconds * 1000 - now.getTime()) / 1000));
  if (h.clientLockedSince) {
    return { open: false, scope: 'client', retryAfterSeconds: retryAfter(h.clientLockedSince) };
  }
  if (h.accountLockedSince && !h.knownClient) {
    return { open: false, scope: 'account', retryAfterSeconds: retryAfter(h.accountLockedSince) };
  }
  return { open: true };
}
