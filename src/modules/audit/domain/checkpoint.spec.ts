import { generateKeyPairSync } from 'node:crypto';
import { ChainedEvent, eventHash, GENESIS_HASH, VerifiableRow } from './audit-chain';
import {
  authenticityFault,
  ChainAgainstHeads,
  CHECKPOINT_VERSION,
  CheckpointHead,
  firstDivergence,
  keyIdOf,
  parseCheckpoint,
  rootHash,
  signCheckpoint,
  signedText,
  SignedCheckpoint,
} from './checkpoint';

const keys = generateKeyPairSync('ed25519');
const other = generateKeyPairSync('ed25519');
const h = (c: string) => c.repeat(64);

const heads: CheckpointHead[] = [
  { chainKey: 'national', length: 2, headHash: h('b') },
  { chainKey: 'f1', length: 5, headHash: h('a') },
];
const take = (over: Partial<{ chains: CheckpointHead[] }> = {}): SignedCheckpoint =>
  signCheckpoint(
    {
      id: '11111111-1111-4111-8111-111111111111',
      takenAt: new Date('2026-12-01T10:00:00Z'),
      chains: over.chains ?? heads,
    },
    keys.privateKey,
    keys.publicKey,
  );

describe('a signed checkpoint', () => {
  it('states every chain, in chain key order, the time, one root hash, the key, and verifies', () => {
    const cp = take();
    expect(cp).toMatchObject({
      version: CHECKPOINT_VERSION,
      algorithm: 'Ed25519',
      takenAt: '2026-12-01T10:00:00.000Z',
      chains: [heads[1], heads[0]],
      rootHash: rootHash(heads),
      keyId: keyIdOf(keys.publicKey),
    });
    expect(cp.keyId).toMatch(/^[0-9a-f]{32}$/);
    expect(authenticityFault(cp, keys.publicKey)).toBeNull();
  });

  it('has a root hash that pins every chain: the order given does not matter, any value does', () => {
    const base = rootHash(heads);
    expect(rootHash([...heads].reverse())).toBe(base);
    expect(base).toMatch(/^[0-9a-f]{64}$/);
    expect(rootHash([{ ...heads[0], length: 3 }, heads[1]])).not.toBe(base);
    expect(rootHash([{ ...heads[0], headHash: h('c') }, heads[1]])).not.toBe(base);
    expect(rootHash([{ ...heads[0], chainKey: 'f2' }, heads[1]])).not.toBe(base);
    expect(rootHash([heads[0]])).not.toBe(base);
  });

  it.each<[string, (cp: SignedCheckpoint) => SignedCheckpoint]>([
    ['its time', (cp) => ({ ...cp, takenAt: '2026-12-02T10:00:00.000Z' })],
    ['its id', (cp) => ({ ...cp, id: '22222222-2222-4222-8222-222222222222' })],
    [
      'a head, with the root hash recomputed to match',
      (cp) => {
        const chains = cp.chains.map((c, i) => (i === 0 ? { ...c, length: c.length - 1 } : c));
        return { ...cp, chains, rootHash: rootHash(chains) };
      },
    ],
  ])('is refused once %s is changed: the signature no longer verifies', (_, change) => {
    expect(authenticityFault(change(take()), keys.publicKey)).toBe('the signature does not verify');
  });

  it('is refused when its chains do not give its root hash', () => {
    const cp = take();
    const chains = [{ ...cp.chains[0], headHash: h('d') }, cp.chains[1]];
    expect(authenticityFault({ ...cp, chains }, keys.publicKey)).toBe(
      'the root hash is not that of its chains',
    );
  });

  it('is refused when another key signed it, even validly', () => {
    const forged = signCheckpoint(
      { id: 'x', takenAt: new Date(0), chains: heads },
      other.privateKey,
      other.publicKey,
    );
    expect(authenticityFault(forged, keys.publicKey)).toMatch(/^signed by another key/);
    // claiming the right key id does not help
    const claimed = { ...forged, keyId: keyIdOf(keys.publicKey) };
    expect(authenticityFault(claimed, keys.publicKey)).toBe('the signature does not verify');
  });

  it('signs exactly its statement: fields outside it are not covered', () => {
    const cp = take();
    const text = signedText(cp);
    expect(JSON.parse(text)).toEqual({
      version: cp.version,
      id: cp.id,
      takenAt: cp.takenAt,
      chains: cp.chains,
      rootHash: cp.rootHash,
      keyId: cp.keyId,
    });
    expect(signedText({ ...cp, extra: 1 } as SignedCheckpoint)).toBe(text);
  });
});

describe('reading a checkpoint someone kept', () => {
  it('gives back what was answered, ignoring fields the signature does not cover', () => {
    const cp = take();
    const read = parseCheckpoint(
      JSON.parse(JSON.stringify({ ...cp, note: 'kept by the ombudsman' })),
    );
    expect(read).toEqual({ checkpoint: cp });
  });

  it.each<[string, (cp: Record<string, unknown>) => unknown]>([
    ['not an object', () => [1]],
    ['null', () => null],
    ['another version', (cp) => ({ ...cp, version: 'v0' })],
    ['another algorithm', (cp) => ({ ...cp, algorithm: 'RSA' })],
    ['no signature', (cp) => ({ ...cp, signature: undefined })],
    ['an empty id', (cp) => ({ ...cp, id: '' })],
    ['a numeric time', (cp) => ({ ...cp, takenAt: 5 })],
    ['no root hash', (cp) => ({ ...cp, rootHash: null })],
    ['no key id', (cp) => ({ ...cp, keyId: undefined })],
    ['chains not a list', (cp) => ({ ...cp, chains: {} })],
    ['a chain that is not an object', (cp) => ({ ...cp, chains: ['x'] })],
    ['a chain without a key', (cp) => ({ ...cp, chains: [{ length: 1, headHash: h('a') }] })],
    ['a fractional length', (cp) => ({ ...cp, chains: [{ ...heads[0], length: 1.5 }] })],
    ['a negative length', (cp) => ({ ...cp, chains: [{ ...heads[0], length: -1 }] })],
    ['a short head hash', (cp) => ({ ...cp, chains: [{ ...heads[0], headHash: 'ab' }] })],
    ['an upper-case hash', (cp) => ({ ...cp, chains: [{ ...heads[0], headHash: h('A') }] })],
    ['a head hash not a string', (cp) => ({ ...cp, chains: [{ ...heads[0], headHash: 1 }] })],
  ])('says what is wrong with one that has %s', (_, change) => {
    const read = parseCheckpoint(change({ ...take() }));
    expect(read).toEqual({ fault: expect.any(String) });
  });
});

const event = (i: number, over: Partial<ChainedEvent> = {}): ChainedEvent => ({
  id: `00000000-0000-4000-8000-0000000000${String(i).padStart(2, '0')}`,
  chainKey: 'f1',
  chainSeq: i,
  facilityId: null,
  occurredAt: new Date(Date.UTC(2026, 0, i)),
  actorKind: 'staff',
  actorId: null,
  action: 'prisoner.register',
  targetType: 'prisoner',
  targetId: String(i),
  requestId: null,
  summary: { n: i },
  policyVersionIds: [],
  prevHash: GENESIS_HASH,
  ...over,
});

/** Links and hashes events as the database does (rewriting history and rehashing, too). */
function link(events: ChainedEvent[]): VerifiableRow[] {
  let prev = GENESIS_HASH;
  return events.map((e) => {
    const linked = { ...e, prevHash: prev };
    prev = eventHash(linked);
    return { ...linked, hash: prev };
  });
}
const events = (n: number) => Array.from({ length: n }, (_, i) => event(i + 1));

function walk(rows: VerifiableRow[], ...lengths: Array<[number, string]>) {
  const c = new ChainAgainstHeads(
    'f1',
    lengths.map(([length, headHash], i) => ({
      tag: i,
      head: { chainKey: 'f1', length, headHash },
    })),
  );
  rows.forEach((r) => c.push(r));
  return { verdicts: [...c.finish().entries()].sort(([a], [b]) => a - b).map(([, v]) => v), c };
}

describe('a chain against the heads checkpoints recorded', () => {
  const honest = link(events(6));

  it('passes through every earlier head of the same history, and the last one', () => {
    const { verdicts, c } = walk(
      honest,
      [3, honest[2].hash],
      [6, honest[5].hash],
      [0, GENESIS_HASH],
    );
    expect(verdicts).toEqual([null, null, null]);
    expect(c.eventsChecked).toBe(6);
  });

  it('names the head when an old event was rewritten and everything after it rehashed', () => {
    const rewritten = link(
      events(6).map((e) => (e.chainSeq === 2 ? { ...e, summary: { n: 99 } } : e)),
    );
    const { verdicts } = walk(rewritten, [4, honest[3].hash], [1, honest[0].hash]);
    expect(verdicts).toEqual([
      {
        chainKey: 'f1',
        position: 4,
        reason: 'head-differs',
        expected: { length: 4, headHash: honest[3].hash },
        foundHash: rewritten[3].hash,
      },
      // before the rewrite, the history is still the same
      null,
    ]);
  });

  it('names the event itself when it was changed without rehashing', () => {
    const tampered = honest.map((r) => (r.chainSeq === 2 ? { ...r, targetId: 'other' } : r));
    const { verdicts } = walk(tampered, [4, honest[3].hash], [2, honest[1].hash]);
    expect(verdicts.map((v) => v && [v.position, v.reason, v.foundHash])).toEqual([
      [2, 'event-does-not-verify', honest[3].hash],
      [2, 'event-does-not-verify', honest[1].hash],
    ]);
  });

  it('checks the chain on its own as verification does, whatever the heads', () => {
    expect(walk(honest).c.check()).toEqual({ ok: true, firstBrokenEventId: null, brokenAt: null });
    const tampered = honest.map((r) => (r.chainSeq === 5 ? { ...r, targetId: 'other' } : r));
    expect(walk(tampered, [3, honest[2].hash]).c.check()).toEqual({
      ok: false,
      firstBrokenEventId: honest[4].id,
      brokenAt: 5,
    });
  });

  it('names the first missing position when the chain is now shorter than the head', () => {
    const { verdicts } = walk(honest.slice(0, 3), [5, honest[4].hash]);
    expect(verdicts).toEqual([
      {
        chainKey: 'f1',
        position: 4,
        reason: 'events-missing',
        expected: { length: 5, headHash: honest[4].hash },
        foundHash: null,
      },
    ]);
    expect(walk([], [1, honest[0].hash]).verdicts[0]).toMatchObject({
      position: 1,
      reason: 'events-missing',
    });
  });

  it('names the gap when an event inside the head was deleted', () => {
    const gap = honest.filter((r) => r.chainSeq !== 3);
    const { verdicts } = walk(gap, [5, honest[4].hash], [6, honest[5].hash]);
    expect(verdicts.map((v) => v && [v.position, v.reason])).toEqual([
      [3, 'event-does-not-verify'],
      [3, 'event-does-not-verify'],
    ]);
    // and a head beyond the end, after a break, names the break
    expect(walk(gap.slice(0, 3), [6, honest[5].hash]).verdicts[0]).toMatchObject({
      position: 3,
      reason: 'event-does-not-verify',
      foundHash: null,
    });
  });
});

describe('the first divergence of a checkpoint', () => {
  const d = (chainKey: string, position: number) => ({
    chainKey,
    position,
    reason: 'head-differs' as const,
    expected: { length: position, headHash: h('a') },
    foundHash: h('b'),
  });

  it('is the one of the first chain in chain key order, or none', () => {
    expect(firstDivergence([null, d('f2', 1), null, d('f1#3', 9), d('f1#4', 1)])).toEqual(
      d('f1#3', 9),
    );
    expect(firstDivergence([d('b', 1), d('a', 2)])).toEqual(d('a', 2));
    expect(firstDivergence([null, null])).toBeNull();
    expect(firstDivergence([])).toBeNull();
  });
});
