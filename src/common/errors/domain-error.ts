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
    /** RFC 9457 extension members of the answer (each declared in the problem schema). */
    readonly extensions: Record<string, unknown> = {},
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
