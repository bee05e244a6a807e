import {
  canonicalJson,
  ChainedEvent,
  ChainVerifier,
  baseChain,
  eventHash,
  eventMaterial,
  GENESIS_HASH,
  laneKeys,
  NATIONAL_CHAIN,
  sanitizeSummary,
  VerifiableRow,
} from './audit-chain';

const event = (i: number, over: Partial<ChainedEvent> = {}): ChainedEvent => ({
  id: `00000000-0000-4000-8000-00000000000${i}`,
  chainKey: 'f',
  chainSeq: i,
  facilityId: null,
  occurredAt: new Date(Date.UTC(2026, 0, i)),
  actorKind: 'staff',
  actorId: null,
  action: 'prisoner.register',
  targetType: 'prisoner',
  targetId: String(i),
  requestId: null,
  summary: { n: i, nested: { b: 1, a: [2, 1] } },
  policyVersionIds: [],
  prevHash: GENESIS_HASH,
  ...over,
});

/** A chain of events, each linked to the previous one and hashed as the database does. */
function link(events: ChainedEvent[]): VerifiableRow[] {
  let prev = GENESIS_HASH;
  return events.map((e) => {
    const linked = { ...e, prevHash: prev };
    prev = eventHash(linked);
    return { ...linked, hash: prev };
  });
}
const chain = (n: number) => link(Array.from({ length: n }, (_, i) => event(i + 1)));

function verify(rows: VerifiableRow[]) {
  const v = new ChainVerifier();
  rows.forEach((r) => v.push(r));
  return v.result();
}

describe('canonical JSON of a summary', () => {
  it('is the same whatever the key order', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: 1, y: 2 }], c: null } })).toBe(
      canonicalJson({ a: { c: null, d: [1, { y: 2, z: 1 }] }, b: 1 }),
    );
  });

  it('leaves out keys whose value is undefined, as jsonb does', () => {
    expect(canonicalJson({ a: undefined, b: 1 })).toBe('{"b":1}');
  });
});

describe('an event’s hash', () => {
  it('starts every chain from 64 zeros, as the database’s append does', () => {
    expect(GENESIS_HASH).toBe('0'.repeat(64));
  });

  it('covers the policy versions the decision used', () => {
    expect(eventMaterial(event(1, { policyVersionIds: ['v1'] }))).not.toBe(
      eventMaterial(event(1, { policyVersionIds: ['v2'] })),
    );
  });

  it('does not depend on the order the policy versions are listed in', () => {
    expect(eventMaterial(event(1, { policyVersionIds: ['v1', 'v2'] }))).toBe(
      eventMaterial(event(1, { policyVersionIds: ['v2', 'v1'] })),
    );
  });

  it('is the same in every lane of a chain: the database picks the lane when it appends', () => {
    expect(eventMaterial(event(1, { chainKey: 'f#5' }))).toBe(eventMaterial(event(1)));
    expect(eventMaterial(event(1, { chainKey: 'g' }))).not.toBe(eventMaterial(event(1)));
  });

  it('covers its place in the chain and the link to the previous event', () => {
    const e = event(1);
    expect(eventHash({ ...e, chainSeq: 2 })).not.toBe(eventHash(e));
    expect(eventHash({ ...e, prevHash: 'f'.repeat(64) })).not.toBe(eventHash(e));
  });
});

describe('lanes', () => {
  it('runs a facility in eight lanes: its id, then its id with #1 to #7', () => {
    expect(laneKeys('f1')).toEqual(['f1', 'f1#1', 'f1#2', 'f1#3', 'f1#4', 'f1#5', 'f1#6', 'f1#7']);
  });

  it('runs the national chain in one lane named national', () => {
    expect(NATIONAL_CHAIN).toBe('national');
    expect(laneKeys('national')).toEqual(['national']);
  });

  it('finds a lane’s base chain', () => {
    expect(baseChain('f1#3')).toBe('f1');
    expect(baseChain('f1')).toBe('f1');
    expect(baseChain(NATIONAL_CHAIN)).toBe(NATIONAL_CHAIN);
  });
});

describe('verifying a chain', () => {
  it('accepts an intact chain and says how far it got', () => {
    const rows = chain(4);
    expect(verify(rows)).toEqual({
      ok: true,
      eventsChecked: 4,
      firstBrokenEventId: null,
      lastHash: rows[3].hash,
      lastSeq: 4,
    });
  });

  it('accepts an empty chain, ending at the genesis hash', () => {
    expect(verify([])).toEqual({
      ok: true,
      eventsChecked: 0,
      firstBrokenEventId: null,
      lastHash: GENESIS_HASH,
      lastSeq: 0,
    });
  });

  it('names an event whose content was altered', () => {
    const rows = chain(4);
    rows[2] = { ...rows[2], summary: { n: 99 } };
    expect(verify(rows)).toMatchObject({ ok: false, firstBrokenEventId: rows[2].id });
  });

  it('names the event after a missing one', () => {
    const gap = chain(4).filter((e) => e.chainSeq !== 2);
    expect(verify(gap)).toMatchObject({ ok: false, firstBrokenEventId: gap[1].id });
  });

  it('names the next event when one was altered and its own hash recomputed', () => {
    const rows = chain(3);
    rows[1] = { ...rows[1], summary: { forged: true } };
    rows[1].hash = eventHash(rows[1]);
    expect(verify(rows)).toMatchObject({ ok: false, firstBrokenEventId: rows[2].id });
  });

  it('refuses numbering that skips, even when every hash links', () => {
    // a forger removed event 2 and re-linked the rest, keeping the numbers
    const rows = link([event(1), event(3), event(4)]);
    expect(verify(rows)).toMatchObject({ ok: false, firstBrokenEventId: rows[1].id });
  });

  it('refuses a chain whose first event does not start from the genesis hash', () => {
    const rows = chain(2);
    rows[0] = { ...rows[0], prevHash: 'f'.repeat(64) };
    rows[0].hash = eventHash(rows[0]);
    expect(verify(rows)).toMatchObject({ ok: false, firstBrokenEventId: rows[0].id });
  });

  it('keeps the first break, counts every event, and stops following the chain there', () => {
    const rows = chain(4);
    rows[1] = { ...rows[1], summary: { n: -1 } };
    rows[3] = { ...rows[3], summary: { n: -3 } };
    expect(verify(rows)).toEqual({
      ok: false,
      eventsChecked: 4,
      firstBrokenEventId: rows[1].id,
      lastHash: rows[1].hash,
      lastSeq: 2,
    });
  });
});

describe('what may go into a summary', () => {
  it.each([
    'password',
    'passphrase',
    'newPassword',
    'clientSecret',
    'accessToken',
    'apiKey',
    'api_key',
    'api-key',
    'cardNumber',
    'card_number',
    'card-number',
  ])('redacts a value under the key %s', (key) => {
    expect(sanitizeSummary({ [key]: 'x' })).toEqual({ [key]: '[redacted]' });
  });

  it('redacts secrets at any depth, in objects and in lists', () => {
    expect(sanitizeSummary({ nested: { accessToken: 't' }, list: [{ password: 'p' }] })).toEqual({
      nested: { accessToken: '[redacted]' },
      list: [{ password: '[redacted]' }],
    });
  });

  it('keeps other values as they are', () => {
    expect(sanitizeSummary({ ok: 'fine', n: 2, flag: true, none: null, list: [1, 'a'] })).toEqual({
      ok: 'fine',
      n: 2,
      flag: true,
      none: null,
      list: [1, 'a'],
    });
  });

  it('turns numbers jsonb would not give back exactly into strings', () => {
    expect(sanitizeSummary({ big: 2 ** 60, f: 0.5, bn: 10n ** 20n })).toEqual({
      big: String(2 ** 60),
      f: '0.5',
      bn: '100000000000000000000',
    });
  });

  it('writes an instant as ISO 8601 in UTC', () => {
    expect(sanitizeSummary({ at: new Date('2026-03-01T05:00:00+05:00') })).toEqual({
      at: '2026-03-01T00:00:00.000Z',
    });
  });
});
