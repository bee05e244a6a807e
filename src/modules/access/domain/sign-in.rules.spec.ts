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

  it('is the same client whatever the spacing or case the address comes in', () => {
    expect(clientKey(' 10.1.2.3\n')).toBe('10.1.2.3');
    expect(clientKey('::FFFF:10.1.2.3')).toBe('10.1.2.3');
    expect(clientKey(' 2001:DB8:0:1::1 ')).toBe('2001:db8:0:1::/64');
  });

  it('is the IPv4 client of an IPv4-mapped address, whatever its octets', () => {
    expect(clientKey('::ffff:192.168.100.200')).toBe('192.168.100.200');
    // not an IPv4 address behind the prefix: not an address at all
    expect(clientKey('::ffff:300.1.2.3')).toBe('unknown');
  });

  it('is no client for what only starts like an IPv4-mapped address', () => {
    expect(clientKey('::ffff:10.1.2.3x')).toBe('unknown');
    expect(clientKey('::ffff:10.1.2.3.4')).toBe('unknown');
  });

  it('is the /64 of an IPv6 address that carries an IPv4 one outside ::ffff:0:0/96', () => {
    // only ::ffff:0:0/96 is IPv4-mapped: a network of its own ending in ffff:a.b.c.d stays itself
    expect(clientKey('2001:db8:0:1::ffff:10.1.2.3')).toBe('2001:db8:0:1::/64');
    // a NAT64 address is an IPv6 client as the server sees it
    expect(clientKey('64:ff9b::10.1.2.3')).toBe('64:ff9b:0:0::/64');
  });

  describe('reads an IPv6 address as its eight groups, so one /64 is one client', () => {
    const key = '2001:db8:0:1::/64';

    it('counts an embedded IPv4 tail as the last two groups, as its hex spelling', () => {
      expect(clientKey('2001:db8:0:1:2:3:c0a8:a14')).toBe(key);
      // with the tail read as one group, "::" would stand for two zero groups: 2001:db8:0:0
      expect(clientKey('2001:db8::1:2:3:192.168.10.20')).toBe(key);
    });

    it('fills "::" with just the zero groups missing, however few', () => {
      expect(clientKey('2001:db8::1:2:3:4:5')).toBe(key);
      expect(clientKey('::1:2:3:4:5:6:7')).toBe('0:1:2:3::/64');
      expect(clientKey('2001:db8:0:1::')).toBe(key);
    });

    it('leaves out the zone it is reached through, whatever the interface is called', () => {
      // an alias interface: the zone's own ":" adds no group
      expect(clientKey('2001:db8::1:2:3:4:5%eth0:1')).toBe(key);
      // the zone goes first: an IPv4 tail before it is still the last two groups
      expect(clientKey('2001:db8::1:2:3:192.168.10.20%eth0')).toBe(key);
    });
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
