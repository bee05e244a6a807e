import { codeOf, refusalOf } from '../../../../test/support/domain-error-code';
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
  it('lets a national admin create a national account', () => {
    expect(codeOf(() => assertCanGrantScope(admin(null), []))).toBeUndefined();
  });

  it('lets a national admin grant any facilities', () => {
    expect(codeOf(() => assertCanGrantScope(admin(null), ['a', 'b']))).toBeUndefined();
  });

  it('lets a scoped admin grant some or all of their own facilities', () => {
    expect(codeOf(() => assertCanGrantScope(admin(['a', 'b']), ['a']))).toBeUndefined();
    expect(codeOf(() => assertCanGrantScope(admin(['a', 'b']), ['b', 'a']))).toBeUndefined();
  });

  it('refuses a scoped admin a national account, on the facilityIds field', () => {
    const e = refusalOf(() => assertCanGrantScope(admin(['a']), []));
    expect(e.code).toBe('SCOPE_NOT_ALLOWED');
    expect(e.detail).toMatch(/national/);
    expect(e.errors).toEqual([
      { field: 'facilityIds', message: expect.stringMatching(/national/) },
    ]);
  });

  it('refuses a scoped admin any facility outside their scope, naming each one', () => {
    const e = refusalOf(() => assertCanGrantScope(admin(['a']), ['c', 'a', 'd']));
    expect(e.code).toBe('SCOPE_NOT_ALLOWED');
    expect(e.detail).toMatch(/outside your scope/);
    expect(e.errors).toEqual([{ field: 'facilityIds', message: 'outside your scope: c, d' }]);
  });
});
