import { codeOf, refusalOf } from '../../../../test/support/domain-error-code';
import { assertApprovable, assertPending } from './link.rules';
import { LINK_STATUSES, RELATIONSHIPS } from './relationship';

describe('a relative’s link to a prisoner', () => {
  it('names one of the relationships the rules of visits know: distinct codes, `other` for the rest', () => {
    // (that the database and the API take exactly these: relatives-links.e2e-spec.ts)
    expect(RELATIONSHIPS.every((r) => /^[a-z]+$/.test(r))).toBe(true);
    expect(new Set(RELATIONSHIPS).size).toBe(RELATIONSHIPS.length);
    expect(RELATIONSHIPS).toContain('other');
  });

  it('is pending, then approved or rejected', () => {
    expect(LINK_STATUSES).toEqual(['pending', 'approved', 'rejected']);
  });
});

describe('link decisions', () => {
  it('decides a pending request', () => {
    expect(codeOf(() => assertPending({ status: 'pending', prisonerId: null }))).toBeUndefined();
  });

  it.each(['approved', 'rejected'] as const)('does not decide a request already %s', (status) => {
    const e = refusalOf(() => assertPending({ status, prisonerId: 'p' }));
    expect(e.code).toBe('LINK_NOT_PENDING');
    expect(e.detail).toBe(`The request is already ${status}`);
  });

  it('approves a pending request naming a prisoner held there', () => {
    expect(
      codeOf(() => assertApprovable({ status: 'pending', prisonerId: 'p' }, true)),
    ).toBeUndefined();
  });

  it('does not approve a request twice', () => {
    expect(codeOf(() => assertApprovable({ status: 'approved', prisonerId: 'p' }, true))).toBe(
      'LINK_NOT_PENDING',
    );
  });

  it('does not approve a request naming a prisoner not held there', () => {
    const e = refusalOf(() => assertApprovable({ status: 'pending', prisonerId: 'p' }, false));
    expect(e.code).toBe('LINK_PRISONER_UNKNOWN');
    expect(e.detail).toMatch(/No prisoner with this personal number/);
  });

  it('does not approve a request naming nobody, whatever else is known', () => {
    expect(codeOf(() => assertApprovable({ status: 'pending', prisonerId: null }, true))).toBe(
      'LINK_PRISONER_UNKNOWN',
    );
    expect(codeOf(() => assertApprovable({ status: 'pending', prisonerId: null }, false))).toBe(
      'LINK_PRISONER_UNKNOWN',
    );
  });
});
