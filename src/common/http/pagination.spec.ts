import { DomainError } from '../errors/domain-error';
import { decodeCursor, encodeCursor, toPage } from './pagination';

describe('keyset pagination', () => {
  const id = '7d1f0f38-6a2f-4a53-9a0e-9a4a1c2f0b11';

  it('round-trips a cursor', () => {
    expect(decodeCursor(encodeCursor({ k: 'ABC', id }))).toEqual({ k: 'ABC', id });
    expect(decodeCursor(undefined)).toBeUndefined();
  });

  it.each([
    '',
    'not-base64!',
    Buffer.from('{"k":1}').toString('base64url'),
    Buffer.from(`{"k":"a","id":"x"}`).toString('base64url'),
  ])('refuses a forged cursor %p', (raw) => {
    expect(() => decodeCursor(raw)).toThrow(DomainError);
  });

  it('builds pages from limit + 1 rows', () => {
    const rows = [1, 2, 3].map((n) => ({ n, id }));
    const page = toPage(
      rows,
      2,
      (r) => ({ k: String(r.n), id: r.id }),
      (r) => r.n,
    );
    expect(page.items).toEqual([1, 2]);
    expect(decodeCursor(page.nextCursor!)).toEqual({ k: '2', id });
    expect(
      toPage(
        rows,
        3,
        (r) => ({ k: String(r.n), id: r.id }),
        (r) => r.n,
      ).nextCursor,
    ).toBeNull();
  });
});
