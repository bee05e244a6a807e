import {
  ArgumentMetadata,
  ParseUUIDPipe,
  PipeTransform,
  ValidationError,
  ValidationPipe,
} from '@nestjs/common';
import { DomainError, FieldError } from '../errors/domain-error';
import { isRecord, settleInput } from './edge-input';

function flatten(errors: ValidationError[], prefix = ''): FieldError[] {
  return errors.flatMap((e) => {
    const field = prefix ? `${prefix}.${e.property}` : e.property;
    const own = Object.values(e.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...flatten(e.children ?? [], field)];
  });
}

/** 400 for a body that is not a JSON object (`null`, `[]`, `42`): a body is an object or nothing. */
export function notAnObject(): DomainError {
  return new DomainError('VALIDATION_FAILED', 'The body must be a JSON object', [
    { field: '(body)', message: 'must be a JSON object' },
  ]);
}

/**
 * The global pipe: what the client sent (body, query, path parameters; never a value a custom
 * decorator takes from the server's own state) is first settled as text (`settleInput`), then
 * validated and transformed by its DTO.
 */
class EdgePipe implements PipeTransform {
  constructor(private readonly validation: ValidationPipe) {}

  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    // a body is an object or nothing: `null`, `[]` or `42` is not "no body", even where every
    // field may be left out
    if (metadata.type === 'body' && value !== undefined && !isRecord(value)) throw notAnObject();
    const fromClient =
      metadata.type === 'body' || metadata.type === 'query' || metadata.type === 'param';
    const settled = fromClient
      ? settleInput(value, metadata.type === 'body' ? '' : (metadata.data ?? ''))
      : value;
    return this.validation.transform(settled, metadata);
  }
}

export function createValidationPipe(): PipeTransform {
  return new EdgePipe(
    new ValidationPipe({
      whitelist: true,
      forbidNonWhitelisted: true,
      forbidUnknownValues: true,
      transform: true,
      // a missing body must fail validation of required fields, not slip past it
      validateCustomDecorators: true,
      exceptionFactory: (errors) =>
        new DomainError('VALIDATION_FAILED', 'The request is invalid', flatten(errors)),
    }),
  );
}

/** Path parameter that must be a UUID (any case: the edge wrote it lower-case): else 400 naming it. */
export function uuidPipe(name: string): ParseUUIDPipe {
  return new ParseUUIDPipe({
    version: undefined,
    exceptionFactory: () =>
      new DomainError('VALIDATION_FAILED', `${name} must be a UUID`, [
        { field: name, message: `${name} must be a UUID` },
      ]),
  });
}
