import { ParseUUIDPipe, ValidationError, ValidationPipe } from '@nestjs/common';
import { DomainError, FieldError } from '../errors/domain-error';

function flatten(errors: ValidationError[], prefix = ''): FieldError[] {
  return errors.flatMap((e) => {
    const field = prefix ? `${prefix}.${e.property}` : e.property;
    const own = Object.values(e.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...flatten(e.children ?? [], field)];
  });
}

export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    // a missing body must fail validation of required fields, not slip past it
    validateCustomDecorators: true,
    exceptionFactory: (errors) =>
      new DomainError('VALIDATION_FAILED', 'The request is invalid', flatten(errors)),
  });
}

/** Path parameter that must be a UUID: anything else → 400 naming the parameter. */
export function uuidPipe(name: string): ParseUUIDPipe {
  return new ParseUUIDPipe({
    version: undefined,
    exceptionFactory: () =>
      new DomainError('VALIDATION_FAILED', `${name} must be a UUID`, [
        { field: name, message: `${name} must be a UUID` },
      ]),
  });
}
