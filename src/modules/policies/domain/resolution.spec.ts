import { changesBetween, effectiveAt, PublishedVersion, resolve } from './resolution';

const v = (id: string, over: Partial<PublishedVersion>): PublishedVersion => ({
  id,
  facilityId: null,
  effectiveFrom: null,
  effectiveOn: null,
  values: {},
  publishedAt: new Date('2026-01-01T00:00:00Z'),
  ...over,
});

const versions = [
  v('base', { effectiveOn: '2015-01-01', values: { a: 1, b: 'x' } }),
  v('reform', { effectiveOn: '2020-01-01', values: { a: 2 } }),
  v('localF', {
    facilityId: 'F',
    effectiveFrom: new Date('2021-06-01T00:00:00Z'),
    values: { b: 'local' },
  }),
  v('nationalLater', { effectiveOn: '2022-01-01', values: { b: 'national-2022' } }),
  v('otherG', { facilityId: 'G', effectiveOn: '2019-01-01', values: { a: 99 } }),
];

describe('policy resolution', () => {
  it('takes a local date as midnight in the facility’s zone, across the 2024 change of Almaty', () => {
    expect(
      effectiveAt({ effectiveFrom: null, effectiveOn: '2020-04-01' }, 'Asia/Almaty').toISOString(),
    ).toBe('2020-03-31T18:00:00.000Z');
    expect(
      effectiveAt({ effectiveFrom: null, effectiveOn: '2020-04-01' }, 'Asia/Aqtobe').toISOString(),
    ).toBe('2020-03-31T19:00:00.000Z');
    expect(
      effectiveAt({ effectiveFrom: null, effectiveOn: '2025-01-01' }, 'Asia/Almaty').toISOString(),
    ).toBe('2024-12-31T19:00:00.000Z');
  });

  it('prefers the facility’s own version over any national one, and ignores other facilities', () => {
    const r = resolve(versions, 'F', 'UTC', new Date('2023-01-01T00:00:00Z'));
    expect(r.values).toEqual({ a: 2, b: 'local' });
    expect(r.sources).toEqual({ a: 'reform', b: 'localF' });
    const g = resolve(versions, 'H', 'UTC', new Date('2023-01-01T00:00:00Z'));
    expect(g.values).toEqual({ a: 2, b: 'national-2022' });
  });

  it('gives the validity interval of the answer', () => {
    const r = resolve(versions, 'F', 'UTC', new Date('2021-01-01T00:00:00Z'));
    expect(r.validFrom?.toISOString()).toBe('2020-01-01T00:00:00.000Z');
    expect(r.validUntil?.toISOString()).toBe('2021-06-01T00:00:00.000Z');
    expect(resolve(versions, 'F', 'UTC', new Date('2030-01-01T00:00:00Z')).validUntil).toBeNull();
    expect(resolve(versions, 'F', 'UTC', new Date('2010-01-01T00:00:00Z')).values).toEqual({});
  });

  it('is the same forever for a past instant, whatever is added for the future', () => {
    const at = new Date('2021-01-01T00:00:00Z');
    const before = resolve(versions, 'F', 'UTC', at);
    const later = [...versions, v('future', { effectiveOn: '2030-01-01', values: { a: 3 } })];
    expect(resolve(later, 'F', 'UTC', at).values).toEqual(before.values);
  });

  it('breaks ties at one instant by publication order', () => {
    const tie = [
      v('first', {
        effectiveOn: '2020-01-01',
        values: { a: 1 },
        publishedAt: new Date('2019-01-01T00:00:00Z'),
      }),
      v('second', {
        effectiveOn: '2020-01-01',
        values: { a: 2 },
        publishedAt: new Date('2019-02-01T00:00:00Z'),
      }),
    ];
    expect(resolve(tie, 'F', 'UTC', new Date('2020-06-01T00:00:00Z')).sources.a).toBe('second');
  });

  it('lists changes between two instants, key by key, with the versions', () => {
    const changes = changesBetween(
      versions,
      'F',
      'UTC',
      new Date('2019-01-01T00:00:00Z'),
      new Date('2023-01-01T00:00:00Z'),
    );
    expect(
      changes.map((c) => [c.at.toISOString().slice(0, 10), c.key, c.from, c.to, c.versionId]),
    ).toEqual([
      ['2020-01-01', 'a', 1, 2, 'reform'],
      ['2021-06-01', 'b', 'x', 'local', 'localF'],
    ]);
  });
});

describe('when a version takes effect', () => {
  it('is its instant, when it has one, whatever the zone', () => {
    const at = new Date('2026-05-01T10:00:00Z');
    expect(effectiveAt({ effectiveFrom: at, effectiveOn: null }, 'Asia/Almaty')).toBe(at);
  });

  it('is, for 1 March 2024 in Almaty, the midnight after the clocks went back from UTC+6 to UTC+5', () => {
    // at 00:00 on 1 March (UTC+6) the clocks went back to 23:00 on 29 February (UTC+5): the day
    // begins for good an hour later
    expect(
      effectiveAt({ effectiveFrom: null, effectiveOn: '2024-02-29' }, 'Asia/Almaty').toISOString(),
    ).toBe('2024-02-28T18:00:00.000Z');
    expect(
      effectiveAt({ effectiveFrom: null, effectiveOn: '2024-03-01' }, 'Asia/Almaty').toISOString(),
    ).toBe('2024-02-29T19:00:00.000Z');
  });

  it('leaves 29 February in force in Almaty during the hour repeated that night', () => {
    const line = [
      v('leap', { effectiveOn: '2024-02-29', values: { a: 'feb' } }),
      v('march', { effectiveOn: '2024-03-01', values: { a: 'march' } }),
    ];
    const at = (iso: string) => resolve(line, 'F', 'Asia/Almaty', new Date(iso)).values.a;
    expect(at('2024-02-29T18:30:00Z')).toBe('feb'); // 23:30 on 29 February, the second time
    expect(at('2024-02-29T19:00:00Z')).toBe('march');
  });
});

describe('resolution at an instant', () => {
  it('takes a version in force from its instant exactly, not a millisecond before', () => {
    const line = [v('only', { effectiveFrom: new Date('2026-01-01T00:00:00Z'), values: { a: 1 } })];
    expect(resolve(line, 'F', 'UTC', new Date('2025-12-31T23:59:59.999Z')).values).toEqual({});
    expect(resolve(line, 'F', 'UTC', new Date('2026-01-01T00:00:00Z')).values).toEqual({ a: 1 });
  });

  it('gives no validity start before any version, and none after the last', () => {
    const r = resolve(versions, 'F', 'UTC', new Date('2010-01-01T00:00:00Z'));
    expect(r.validFrom).toBeNull();
    expect(r.validUntil?.toISOString()).toBe('2015-01-01T00:00:00.000Z');
  });

  it('ends the validity at this facility’s next change, not another facility’s', () => {
    const line = [
      ...versions,
      v('laterG', { facilityId: 'G', effectiveOn: '2023-06-01', values: { a: 7 } }),
      v('laterF', { facilityId: 'F', effectiveOn: '2024-01-01', values: { a: 8 } }),
    ];
    const r = resolve(line, 'F', 'UTC', new Date('2023-01-01T00:00:00Z'));
    expect(r.validFrom?.toISOString()).toBe('2022-01-01T00:00:00.000Z');
    expect(r.validUntil?.toISOString()).toBe('2024-01-01T00:00:00.000Z');
  });

  it('does not depend on the order the versions are given in', () => {
    const at = new Date('2023-01-01T00:00:00Z');
    const reversed = [...versions].reverse();
    expect(resolve(reversed, 'F', 'UTC', at)).toEqual(resolve(versions, 'F', 'UTC', at));
    expect(resolve(reversed, 'H', 'UTC', at).values).toEqual({ a: 2, b: 'national-2022' });
  });

  it('lets the later publication win at one instant, whatever the order given', () => {
    const first = v('first', {
      effectiveOn: '2020-01-01',
      values: { a: 1 },
      publishedAt: new Date('2019-01-01T00:00:00Z'),
    });
    const second = v('second', {
      effectiveOn: '2020-01-01',
      values: { a: 2 },
      publishedAt: new Date('2019-02-01T00:00:00Z'),
    });
    const at = new Date('2020-06-01T00:00:00Z');
    expect(resolve([second, first], 'F', 'UTC', at).sources.a).toBe('second');
    expect(resolve([first, second], 'F', 'UTC', at).sources.a).toBe('second');
  });

  it('settles versions of one instant and one publication moment by id, whatever the order given', () => {
    const x = v('x', { effectiveOn: '2020-01-01', values: { a: 1 } });
    const y = v('y', { effectiveOn: '2020-01-01', values: { a: 2 } });
    const at = new Date('2020-06-01T00:00:00Z');
    expect(resolve([x, y], 'F', 'UTC', at).sources.a).toBe('y');
    expect(resolve([y, x], 'F', 'UTC', at).sources.a).toBe('y');
  });
});

describe('changes between two instants', () => {
  const line = [
    v('base', { effectiveOn: '2015-01-01', values: { a: 1 } }),
    v('v2019', { effectiveOn: '2019-01-01', values: { a: 2 } }),
    v('v2020', { effectiveOn: '2020-01-01', values: { a: 3 } }),
    v('v2021', { effectiveOn: '2021-01-01', values: { a: 4 } }),
  ];
  const between = (from: string, to: string) =>
    changesBetween(line, 'F', 'UTC', new Date(from), new Date(to)).map((c) => c.versionId);

  it('lists a change at the end of the window, not one at its start', () => {
    expect(between('2019-01-01T00:00:00Z', '2020-01-01T00:00:00Z')).toEqual(['v2020']);
  });

  it('lists nothing from before the window or after it', () => {
    expect(between('2019-06-01T00:00:00Z', '2020-06-01T00:00:00Z')).toEqual(['v2020']);
  });

  it('says which version the old value came from, and none for a key newly set', () => {
    const line2 = [...line, v('newKey', { effectiveOn: '2020-01-01', values: { c: 'x' } })];
    const changes = changesBetween(
      line2,
      'F',
      'UTC',
      new Date('2019-06-01T00:00:00Z'),
      new Date('2020-06-01T00:00:00Z'),
    );
    expect(changes).toEqual([
      {
        at: new Date('2020-01-01T00:00:00Z'),
        key: 'a',
        from: 2,
        to: 3,
        fromVersionId: 'v2019',
        versionId: 'v2020',
      },
      {
        at: new Date('2020-01-01T00:00:00Z'),
        key: 'c',
        from: null,
        to: 'x',
        fromVersionId: null,
        versionId: 'newKey',
      },
    ]);
  });

  it('lists the keys changed at one instant in key order', () => {
    const both = [
      v('base', { effectiveOn: '2015-01-01', values: { b: 1, a: 1 } }),
      v('next', { effectiveOn: '2020-01-01', values: { b: 2, a: 2 } }),
    ];
    const keys = changesBetween(
      both,
      'F',
      'UTC',
      new Date('2019-01-01T00:00:00Z'),
      new Date('2021-01-01T00:00:00Z'),
    ).map((c) => c.key);
    expect(keys).toEqual(['a', 'b']);
  });

  it('does not list a value set again the same, even written in another key order', () => {
    const same = [
      v('base', { effectiveOn: '2015-01-01', values: { m: { x: 1, y: [1, 2] } } }),
      v('again', { effectiveOn: '2020-01-01', values: { m: { y: [1, 2], x: 1 } } }),
    ];
    expect(
      changesBetween(
        same,
        'F',
        'UTC',
        new Date('2019-01-01T00:00:00Z'),
        new Date('2021-01-01T00:00:00Z'),
      ),
    ).toEqual([]);
  });
});
