import { codeOf } from '../../../../test/support/domain-error-code';
import { StaffPrincipal } from '../../../common/auth/principal';
import { assertCanGrantScope } from './staff.rules';

const admin = (facilityIds: string[] | null): StaffPrincipal => ({
  kind: 'staff',
  id: 'x',
  username: 'x',
  roles: new Set(['admin']),
  facilityIds: facilityIds ? new Set(facilityIds) : null,
});

describe('granting scope to new staff accounts', () => {
  it('lets a national admin grant anything', () => {
    expect(codeOf(() => assertCanGrantScope(admin(null), []))).toBeUndefined();
    expect(codeOf(() => assertCanGrantScope(admin(null), ['a', 'b']))).toBeUndefined();
  });

  it('keeps a scoped admin within their facilities and out of national scope', () => {
    expect(codeOf(() => assertCanGrantScope(admin(['a', 'b']), ['a']))).toBeUndefined();
    expect(codeOf(() => assertCanGrantScope(admin(['a']), []))).toBe('SCOPE_NOT_ALLOWED');
    expect(codeOf(() => assertCanGrantScope(admin(['a']), ['a', 'c']))).toBe('SCOPE_NOT_ALLOWED');
  });
});
