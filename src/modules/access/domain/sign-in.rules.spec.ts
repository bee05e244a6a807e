import { clientKey, signInGate, SignInHistory } from './sign-in.rules';

describe('the client a sign-in failure is counted under', () => {
  it('is the IPv4 address itself, also when it comes IPv4-mapped', () => {
    expect(clientKey('10.1.2.3')).toBe('10.1.2.3');
    expect(clientKey('::ffff:10.1.2.3')).toBe('10.1.2.3');
  });

  it('is the /64 network of an IPv6 address, however it is written', () => {
    const key = '2001:db8:0:1::/64';
    expect(clientKey('2001:db8:0:1::1')).toBe(key);
    expect(clientKey('2001:0DB8:0000:0001:ffff:eeee:dddd:cccc')).toBe(key);
    expect(clientKey('2001:db8:0:1:0:0:0:2%eth0')).toBe(key);
    expect(clientKey('2001:db8:0:2::1')).not.toBe(key);
    expect(clientKey('::1')).toBe('0:0:0:0::/64');
  });

  it('is one shared key when the address is missing or not an address', () => {
    expect(clientKey(undefined)).toBe('unknown');
    expect(clientKey('not an ip')).toBe('unknown');
  });
});

describe('whether a sign-in attempt is checked at all', () => {
  const now = new Date('2026-03-01T10:00:00Z');
  const clean: SignInHistory = {
    clientLockedSince: null,
    accountLockedSince: null,
    knownClient: false,
  };
  const tenMinutesAgo = new Date('2026-03-01T09:50:00Z');

  it('is open with no run of failures', () => {
    expect(signInGate(clean, now, 900)).toEqual({ open: true });
  });

  it('closes to a client that failed too often, until its run leaves the window', () => {
    expect(signInGate({ ...clean, clientLockedSince: tenMinutesAgo }, now, 900)).toEqual({
      open: false,
      scope: 'client',
      retryAfterSeconds: 300,
    });
  });

  it('closes to that client even where the account signed in before', () => {
    const h = { ...clean, clientLockedSince: tenMinutesAgo, knownClient: true };
    expect(signInGate(h, now, 900)).toMatchObject({ open: false, scope: 'client' });
  });

  it('closes an account guessed at from everywhere to clients it never signed in from', () => {
    expect(signInGate({ ...clean, accountLockedSince: tenMinutesAgo }, now, 900)).toEqual({
      open: false,
      scope: 'account',
      retryAfterSeconds: 300,
    });
  });

  it('keeps the account open where it signed in before, whatever others guess', () => {
    const h = { ...clean, accountLockedSince: tenMinutesAgo, knownClient: true };
    expect(signInGate(h, now, 900)).toEqual({ open: true });
  });

  it('never asks to wait less than a second', () => {
    const edge = new Date(now.getTime() - 900_000);
    expect(signInGate({ ...clean, clientLockedSince: edge }, now, 900)).toMatchObject({
      retryAfterSeconds: 1,
    });
  });
});
