import { AccessRule } from '../../common/auth/access.decorator';
import { Principal } from '../../common/auth/principal';
import { admits } from './access.guard';

const staff = (...roles: Array<'admin' | 'auditor' | 'intake-officer'>): Principal => ({
  kind: 'staff',
  id: 's',
  username: 's',
  roles: new Set(roles),
  facilityIds: null,
});
const terminal = (terminalKind: 'parcel-intake' | 'payphone' | 'commissary'): Principal => ({
  kind: 'terminal',
  id: 't',
  terminalKind,
  facilityId: 'f',
});
const relative: Principal = { kind: 'relative', id: 'r' };

describe('which callers a route rule admits', () => {
  it('admits staff by role, or any staff with `any`', () => {
    const rule: AccessRule = { staff: ['admin'] };
    expect(admits(rule, staff('admin'))).toBe(true);
    expect(admits(rule, staff('auditor', 'intake-officer'))).toBe(false);
    expect(admits({ staff: 'any' }, staff('auditor'))).toBe(true);
  });

  it('admits terminals only of the kinds named', () => {
    const rule: AccessRule = { terminals: ['parcel-intake'] };
    expect(admits(rule, terminal('parcel-intake'))).toBe(true);
    expect(admits(rule, terminal('payphone'))).toBe(false);
    expect(admits(rule, terminal('commissary'))).toBe(false);
    expect(admits({ terminals: 'any' }, terminal('payphone'))).toBe(true);
  });

  it('keeps each kind of caller to rules that name it', () => {
    expect(admits({ staff: 'any' }, terminal('payphone'))).toBe(false);
    expect(admits({ staff: 'any' }, relative)).toBe(false);
    expect(admits({ terminals: 'any' }, staff('admin'))).toBe(false);
    expect(admits({ relative: true }, staff('admin'))).toBe(false);
    expect(admits({ relative: true }, relative)).toBe(true);
    expect(admits({}, staff('admin'))).toBe(false);
  });
});
