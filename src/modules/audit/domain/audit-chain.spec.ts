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
} from './audit-chain';

function chain(n: number): Array<ChainedEvent & { hash: string }> {
  const out: Array<ChainedEvent & { hash: string }> = [];
  let prev = GENESIS_HASH;
  for (let i = 1; i <= n; i++) {
    const e: ChainedEvent = {
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
      prevHash: prev,
    };
    prev = eventHash(e);
    out.push({ ...e, hash: prev });
  }
  return out;
}

describe('audit chain', () => {
  it('serialises objects the same whatever the key order', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: 1, y: 2 }], c: null } })).toBe(
      canonicalJson({ a: { c: null, d: [1, { y: 2, z: 1 }] }, b: 1 }),
    );
    expect(canonicalJson({ a: undefined, b: 1 })).toBe('{"b":1}');
  });

  it('verifies an intact chain and names the first altered, reordered or missing event', () => {
    const ok = new ChainVerifier();
    chain(4).forEach((e) => ok.push(e));
    expect(ok.result()).toMatchObject({ ok: true, eventsChecked: 4, firstBrokenEventId: null });

    const altered = chain(4);
    altered[2] = { ...altered[2], summary: { n: 99 } };
    const v1 = new ChainVerifier();
    altered.forEach((e) => v1.push(e));
    expect(v1.result()).toMatchObject({ ok: false, firstBrokenEventId: altered[2].id });

    const gap = chain(4).filter((e) => e.chainSeq !== 2);
    const v2 = new ChainVerifier();
    gap.forEach((e) => v2.push(e));
    expect(v2.result().firstBrokenEventId).toBe(gap[1].id);

    const rehashed = chain(3);
    rehashed[1] = { ...rehashed[1], summary: { forged: true } };
    rehashed[1].hash = eventHash(rehashed[1]); // recomputing one hash is not enough: the next link breaks
    const v3 = new ChainVerifier();
    rehashed.forEach((e) => v3.push(e));
    expect(v3.result().firstBrokenEventId).toBe(rehashed[2].id);
  });

  it('runs a facility in lanes and the national chain in one; a lane hashes like its base', () => {
    expect(laneKeys('f1')).toEqual(['f1', 'f1#1', 'f1#2', 'f1#3', 'f1#4', 'f1#5', 'f1#6', 'f1#7']);
    expect(laneKeys(NATIONAL_CHAIN)).toEqual([NATIONAL_CHAIN]);
    expect(baseChain('f1#3')).toBe('f1');
    expect(baseChain('f1')).toBe('f1');
    const [e] = chain(1);
    // the database picks the lane when it appends: the material cannot depend on it
    expect(eventMaterial({ ...e, chainKey: 'f#5' })).toBe(eventMaterial(e));
  });

  it('keeps secrets and lossy numbers out of summaries', () => {
    expect(
      sanitizeSummary({
        password: 'x',
        apiKey: 'k',
        cardNumber: '4111',
        nested: { accessToken: 't' },
        n: 2 ** 60,
        f: 0.5,
        ok: 'fine',
      }),
    ).toEqual({
      password: '[redacted]',
      apiKey: '[redacted]',
      cardNumber: '[redacted]',
      nested: { accessToken: '[redacted]' },
      n: String(2 ** 60),
      f: '0.5',
      ok: 'fine',
    });
  });
});
