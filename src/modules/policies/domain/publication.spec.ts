import { publicationRefusal, recheckIntervalMs, startTaken } from './publication';

describe('publishing a policy version', () => {
  const now = new Date('2026-06-01T10:00:00Z');
  const at = (s: number) => new Date(now.getTime() + s * 1000);

  it('refuses a version that would take effect before now: the past does not change', () => {
    expect(publicationRefusal(at(-1), now, now, 60)).toEqual({
      code: 'EFFECTIVE_IN_PAST',
      earliest: at(-1),
    });
  });

  it('refuses a version taking effect sooner than the lead after the database’s now', () => {
    expect(publicationRefusal(at(59), now, now, 60)).toEqual({
      code: 'POLICY_LEAD_TOO_SHORT',
      earliest: at(59),
      notBefore: at(60),
    });
    expect(publicationRefusal(at(60), now, now, 60)).toBeNull();
  });

  it('measures the lead on the database’s clock, whatever the use case’s clock says', () => {
    const longAgo = new Date('2020-01-01T00:00:00Z');
    expect(publicationRefusal(at(30), longAgo, now, 60)?.code).toBe('POLICY_LEAD_TOO_SHORT');
    // an instance whose clock runs ahead still cannot publish into the database's past
    expect(publicationRefusal(at(3600), at(3600), at(3601), 60)?.code).toBe(
      'POLICY_LEAD_TOO_SHORT',
    );
  });

  it('re-checks the published set well inside the lead: a quarter of it, at most every 30 s', () => {
    expect(recheckIntervalMs(60)).toBe(15_000);
    expect(recheckIntervalMs(4)).toBe(1_000);
    expect(recheckIntervalMs(3600)).toBe(30_000);
    expect(recheckIntervalMs(0)).toBe(250);
  });

  it('finds a published version of the scope that sets a shared key from the same moment', () => {
    const v = (id: string, start: object, values: Record<string, unknown>) => ({
      id,
      effectiveFrom: null,
      effectiveOn: null,
      values,
      ...start,
    });
    const draft = v('d', { effectiveOn: '2027-01-01' }, { a: 1, b: 2 });
    const sameInstant = v('x', { effectiveFrom: new Date('2026-12-31T19:00:00Z') }, { b: 3 });
    const otherKey = v('y', { effectiveOn: '2027-01-01' }, { c: 1 });
    const otherDay = v('z', { effectiveOn: '2027-01-02' }, { a: 1 });
    // midnight in Almaty (UTC+5) is 19:00 UTC the day before; in Aqtobe (UTC+5 too) the same
    expect(startTaken(draft, [otherKey, otherDay, sameInstant], ['Asia/Almaty'])).toEqual({
      version: sameInstant,
      keys: ['b'],
      at: new Date('2026-12-31T19:00:00Z'),
    });
    expect(startTaken(draft, [otherKey, otherDay, sameInstant], ['Europe/Moscow'])).toBeNull();
    expect(
      startTaken(draft, [v('w', { effectiveOn: '2027-01-01' }, { a: 9 })], ['UTC']),
    ).toMatchObject({
      keys: ['a'],
    });
  });
});
