import { DomainError } from '../../src/common/errors/domain-error';

/** The code of the DomainError `fn` throws, undefined if it throws nothing, 'other' for any other error. */
export function codeOf(fn: () => void): string | undefined {
  try {
    fn();
    return undefined;
  } catch (e) {
    return e instanceof DomainError ? e.code : 'other';
  }
}
