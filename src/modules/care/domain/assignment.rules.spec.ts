import { codeOf, refusalOf } from '../../../../test/support/domain-error-code';
import {
  AssignmentFacts,
  assertAssignable,
  assertOpen,
  assertPositionFree,
} from './assignment.rules';

const F = 'f1';
const facts = (over: Partial<AssignmentFacts> = {}): AssignmentFacts => ({
  orderly: { id: 'o', facilityId: F, held: true },
  assisted: { id: 'a', facilityId: F, held: true },
  position: { facilityId: F, from: '2026-11-01' },
  from: '2026-11-10',
  assistedNeeds: ['blind'],
  orderlyNeeds: [],
  alreadyAssigned: false,
  assisting: 0,
  maxAssisted: 2,
  ...over,
});

describe('who may assist whom', () => {
  it('assigns an orderly of the facility to a prisoner who needs help', () => {
    expect(codeOf(() => assertAssignable(facts()))).toBeUndefined();
    expect(codeOf(() => assertAssignable(facts({ assisting: 1 })))).toBeUndefined();
    expect(codeOf(() => assertAssignable(facts({ from: '2026-11-01' })))).toBeUndefined();
    // a deaf orderly may guide a blind prisoner
    expect(codeOf(() => assertAssignable(facts({ orderlyNeeds: ['deaf'] })))).toBeUndefined();
  });

  it.each<[string, Partial<AssignmentFacts>, string]>([
    ['oneself', { assisted: { id: 'o', facilityId: F, held: true } }, 'ASSIGNMENT_SELF'],
    [
      'a prisoner of another facility',
      { assisted: { id: 'a', facilityId: 'f2', held: true } },
      'ASSIGNMENT_OTHER_FACILITY',
    ],
    [
      'an orderly no longer held',
      { orderly: { id: 'o', facilityId: F, held: false } },
      'ASSIGNMENT_OTHER_FACILITY',
    ],
    [
      'a prisoner no longer held',
      { assisted: { id: 'a', facilityId: F, held: false } },
      'ASSIGNMENT_OTHER_FACILITY',
    ],
    ['a prisoner holding no position', { position: null }, 'NOT_AN_ORDERLY'],
    [
      'a position in another facility',
      { position: { facilityId: 'f2', from: '2026-11-01' } },
      'NOT_AN_ORDERLY',
    ],
    ['a start before the appointment', { from: '2026-10-31' }, 'DATE_OUT_OF_RANGE'],
    ['a prisoner with no disability in force', { assistedNeeds: [] }, 'NO_ACTIVE_DISABILITY'],
    [
      'a blind orderly for a blind prisoner',
      { orderlyNeeds: ['blind'] },
      'ORDERLY_NEEDS_SAME_HELP',
    ],
    ['the same pair twice', { alreadyAssigned: true }, 'ALREADY_ASSIGNED'],
    ['an orderly at the cap', { assisting: 2 }, 'ORDERLY_AT_CAPACITY'],
    ['an orderly over the cap', { assisting: 3 }, 'ORDERLY_AT_CAPACITY'],
    ['any orderly when the cap is 0', { maxAssisted: 0 }, 'ORDERLY_AT_CAPACITY'],
  ])('refuses %s', (_name, over, code) => {
    expect(refusalOf(() => assertAssignable(facts(over))).code).toBe(code);
  });

  it('names the help both need and the load', () => {
    expect(
      refusalOf(() =>
        assertAssignable(
          facts({ assistedNeeds: ['wheelchair', 'blind'], orderlyNeeds: ['blind', 'other'] }),
        ),
      ).detail,
    ).toBe('The orderly needs the same help themselves (blind)');
    expect(refusalOf(() => assertAssignable(facts({ assisting: 2 }))).detail).toBe(
      'The orderly already assists 2 of at most 2',
    );
  });
});

describe('positions and assignments', () => {
  it('end once', () => {
    expect(codeOf(() => assertOpen({ until: null }, 'assignment'))).toBeUndefined();
    expect(codeOf(() => assertOpen({ until: '2026-11-01' }, 'assignment'))).toBe(
      'ASSIGNMENT_ENDED',
    );
    expect(codeOf(() => assertOpen({ until: '2026-11-01' }, 'position'))).toBe('POSITION_ENDED');
  });

  it('are at most care.orderlyPositions in a facility', () => {
    expect(codeOf(() => assertPositionFree(2, 3))).toBeUndefined();
    expect(codeOf(() => assertPositionFree(3, 3))).toBe('ORDERLY_POSITIONS_FULL');
    expect(codeOf(() => assertPositionFree(0, 0))).toBe('ORDERLY_POSITIONS_FULL');
  });
});
