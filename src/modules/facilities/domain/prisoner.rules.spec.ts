import { codeOf } from '../../../../test/support/domain-error-code';
import { assertCanChangeConditions, assertCanTransfer } from './prisoner.rules';

const held = { status: 'held' as const, conditions: 'ordinary' as const, facilityId: 'A' };

describe('prisoner rules', () => {
  it('moves a held prisoner to other conditions only', () => {
    expect(codeOf(() => assertCanChangeConditions(held, 'facilitated'))).toBeUndefined();
    expect(codeOf(() => assertCanChangeConditions(held, 'ordinary'))).toBe('CONDITIONS_UNCHANGED');
    expect(codeOf(() => assertCanChangeConditions({ ...held, status: 'released' }, 'strict'))).toBe(
      'PRISONER_NOT_HELD',
    );
  });

  it('transfers a held prisoner to another facility only', () => {
    expect(codeOf(() => assertCanTransfer(held, 'B'))).toBeUndefined();
    expect(codeOf(() => assertCanTransfer(held, 'A'))).toBe('SAME_FACILITY');
    expect(codeOf(() => assertCanTransfer({ ...held, status: 'released' }, 'B'))).toBe(
      'PRISONER_NOT_HELD',
    );
  });
});
