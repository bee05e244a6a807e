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
