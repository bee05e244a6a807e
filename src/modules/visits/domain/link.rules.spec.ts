import { codeOf } from '../../../../test/support/domain-error-code';
import { assertApprovable, assertPending } from './link.rules';

describe('link decisions', () => {
  it('decides a pending request once', () => {
    expect(codeOf(() => assertPending({ status: 'pending', prisonerId: null }))).toBeUndefined();
    expect(codeOf(() => assertPending({ status: 'approved', prisonerId: 'p' }))).toBe(
      'LINK_NOT_PENDING',
    );
    expect(codeOf(() => assertPending({ status: 'rejected', prisonerId: null }))).toBe(
      'LINK_NOT_PENDING',
    );
  });

  it('approves only a request naming a prisoner held there', () => {
    expect(
      codeOf(() => assertApprovable({ status: 'pending', prisonerId: 'p' }, true)),
    ).toBeUndefined();
    expect(codeOf(() => assertApprovable({ status: 'pending', prisonerId: null }, false))).toBe(
      'LINK_PRISONER_UNKNOWN',
    );
    expect(codeOf(() => assertApprovable({ status: 'pending', prisonerId: 'p' }, false))).toBe(
      'LINK_PRISONER_UNKNOWN',
    );
  });
});
