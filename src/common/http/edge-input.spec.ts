import { DomainError } from '../errors/domain-error';
import { lowerCaseId, lowerCaseIdParams, settleInput } from './edge-input';
import { nestsDeeperThan } from './json-depth';
import { isInstant } from './validators';

function refusal(value: unknown): Array<{ field: string }> {
  try {
    settleInput(value);
  } catch (e) {
    expect(e).toBeInstanceOf(DomainError);
    return (e as DomainError).errors;
  }
  throw new Error('not refused');
}

describe('settling text at the edge', () => {
  it('refuses NUL, other C0 and C1 controls and DEL, naming the field', () => {
    for (const c of [
      '\u0000',
      '\u0001',
      '\u0008',
      '\u000b',
      '\u001f',
      '\u007f',
      '\u0085',
      '\u009f',
    ]) {
      expect(refusal({ a: { b: [`x${c}`] } }).map((e) => e.field)).toEqual(['a.b.0']);
    }
  });

  it('refuses lone surrogates, keeps pairs', () => {
    expect(refusal({ e: 'a\ud800' })[0].field).toBe('e');
    expect(refusal({ e: '\udc00a' })[0].field).toBe('e');
    expect(settleInput({ e: 'a\ud83d\ude00' })).toEqual({ e: 'a\ud83d\ude00' });
  });

  it('refuses a bad key, and lets tab and line breaks through (the field decides)', () => {
    expect(refusal({ 'k\u0000': 1 }).length).toBe(1);
    expect(settleInput({ a: 'x\ty\r\nz' })).toEqual({ a: 'x\ty\r\nz' });
  });

  it('normalises to NFC, values and keys', () => {
    expect(settleInput({ 'e\u0301': ['e\u0301'] })).toEqual({ '\u00e9': ['\u00e9'] });
  });

  it('hands back the very value when nothing in it changes, and a copy (the request untouched) else', () => {
    const plain = { a: 'x\ty', b: [{ c: 'tea', d: 1 }], e: null };
    expect(settleInput(plain)).toBe(plain);
    const decomposed = { a: 'x', b: [{ c: 'e\u0301', d: 1 }] };
    const settled = settleInput(decomposed) as typeof decomposed;
    expect(settled).toEqual({ a: 'x', b: [{ c: '\u00e9', d: 1 }] });
    expect(decomposed.b[0].c).toBe('e\u0301');
  });

  it('leaves numbers, booleans and null to the DTO', () => {
    expect(settleInput({ a: 1, b: null, c: true })).toEqual({ a: 1, b: null, c: true });
  });

  it('lower-cases UUIDs in any case and nothing else', () => {
    expect(lowerCaseId('7D1F0F38-6A2F-4A53-9A0E-9A4A1C2F0B11')).toBe(
      '7d1f0f38-6a2f-4a53-9a0e-9a4a1c2f0b11',
    );
    expect(lowerCaseId('ABC')).toBe('ABC');
    const params = { id: 'AAAAAAAA-AAAA-4AAA-8AAA-AAAAAAAAAAAA', name: 'X' };
    lowerCaseIdParams(params);
    expect(params).toEqual({ id: 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', name: 'X' });
  });
});

describe('JSON depth', () => {
  it('counts arrays and objects, not brackets inside strings', () => {
    const b = (s: string) => Buffer.from(s);
    expect(nestsDeeperThan(b('[[[]]]'), 3)).toBe(false);
    expect(nestsDeeperThan(b('[[[[]]]]'), 3)).toBe(true);
    expect(nestsDeeperThan(b('{"a":{"b":[{}]}}'), 3)).toBe(true);
    expect(nestsDeeperThan(b('{"a":"[[[[[[\\"[[[["}'), 3)).toBe(false);
    expect(nestsDeeperThan(b('['.repeat(2000)), 32)).toBe(true);
  });
});

describe('instants', () => {
  it('takes instants with an offset on days and times that exist', () => {
    for (const ok of [
      '2026-04-01T00:00:00+05:00',
      '2026-02-28T23:59:59.123Z',
      '2024-02-29T10:00Z',
    ]) {
      expect(isInstant(ok)).toBe(true);
    }
  });
  it('refuses -1, 1.5, 2026-02-30, 24:00, no offset', () => {
    for (const bad of [
      '-1',
      '1.5',
      '2026-02-30T00:00:00Z',
      '2025-02-29T00:00:00Z',
      '2026-04-01T24:00:00Z',
      '2026-04-01T23:60:00Z',
      '2026-04-01T10:00:00',
      '2026-04-01',
      '2026-04-01T10:00:00+25:00',
    ]) {
      expect(isInstant(bad)).toBe(false);
    }
  });
});
