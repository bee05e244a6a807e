import { codeOf, refusalOf } from '../../../../test/support/domain-error-code';
import {
  assertNewDisability,
  assertOpenDisability,
  DISABILITY_KINDS,
  needEndedOn,
  needsOn,
} from './disability.rules';

describe('disability records', () => {
  it('knows the kinds of the contract', () => {
    expect(DISABILITY_KINDS).toEqual(['wheelchair', 'blind', 'deaf', 'other']);
  });

  it('starts on a day already come, and ends after it starts', () => {
    const today = '2026-12-01';
    expect(codeOf(() => assertNewDisability({ from: today, until: null }, today))).toBeUndefined();
    expect(
      codeOf(() => assertNewDisability({ from: '2001-01-01', until: '2027-01-01' }, today)),
    ).toBeUndefined();
    expect(
      refusalOf(() => assertNewDisability({ from: '2026-12-02', until: null }, today)).errors,
    ).toEqual([{ field: 'from', message: 'must not be in the future' }]);
    for (const until of ['2026-11-01', '2026-11-30']) {
      const e = refusalOf(() => assertNewDisability({ from: '2026-11-30', until }, today));
      expect(e.code).toBe('DATE_OUT_OF_RANGE');
      expect(e.errors).toEqual([{ field: 'until', message: 'must be after from' }]);
    }
  });

  it('is ended once', () => {
    expect(codeOf(() => assertOpenDisability({ endedAt: null }))).toBeUndefined();
    expect(codeOf(() => assertOpenDisability({ endedAt: new Date() }))).toBe('DISABILITY_ENDED');
  });

  it('gives the kinds of help needed on a day, each once, in the catalog order', () => {
    const records = [
      { kind: 'other' as const, from: '2026-01-01', until: null },
      { kind: 'blind' as const, from: '2026-01-01', until: '2026-06-01' },
      { kind: 'blind' as const, from: '2026-05-01', until: null },
      { kind: 'wheelchair' as const, from: '2026-07-01', until: '2026-08-01' },
    ];
    expect(needsOn(records, '2025-12-31')).toEqual([]);
    expect(needsOn(records, '2026-05-15')).toEqual(['blind', 'other']);
    expect(needsOn(records, '2026-07-01')).toEqual(['wheelchair', 'blind', 'other']);
    expect(needsOn(records, '2026-08-01')).toEqual(['blind', 'other']);
  });

  it('knows when the need for help ended: the latest end, once no record holds today', () => {
    const today = '2090-03-10';
    const open = { from: '2090-01-01', until: null };
    const endedToday = { from: '2090-01-01', until: today };
    const endedEarlier = { from: '2090-01-01', until: '2090-02-15' };
    const endsLater = { from: '2090-01-01', until: '2090-04-01' };
    expect(needEndedOn([endedToday, open], today)).toBeNull();
    expect(needEndedOn([endedToday, endsLater], today)).toBeNull();
    expect(needEndedOn([endedToday, endedEarlier], today)).toBe(today);
    expect(needEndedOn([endedEarlier, { from: '2090-01-01', until: '2090-03-01' }], today)).toBe(
      '2090-03-01',
    );
    expect(needEndedOn([], today)).toBe(today);
  });
});
