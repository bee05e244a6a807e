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

/** The DomainError `fn` throws (its code, detail and field errors); fails the test if it throws none. */
export function refusalOf(fn: () => void): DomainError {
  try {
    fn();
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error('expected a refusal (DomainError), but nothing was thrown');
}
