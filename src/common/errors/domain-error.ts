import { ErrorCode } from './error-codes';

export interface FieldError {
  field: string;
  message: string;
}

/** A refusal a use case raises; the problem-details filter turns it into an HTTP answer. */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly detail?: string,
    readonly errors: FieldError[] = [],
    readonly headers: Record<string, string> = {},
  ) {
    super(detail ?? code);
    this.name = 'DomainError';
  }
}

export class NotFoundError extends DomainError {
  constructor(what: string) {
    super('NOT_FOUND', `${what} not found`);
  }
}
