import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import {
  IsString,
  Matches,
  MaxLength,
  MinLength,
  registerDecorator,
  ValidationOptions,
} from 'class-validator';
import { isValidIanaZone } from '../time/zones';

/** A non-blank, trimmed string of at most `max` characters. */
export const IsText = (max: number, min = 1): PropertyDecorator =>
  applyDecorators(
    Transform(({ value }: { value: unknown }) =>
      typeof value === 'string' ? value.trim() : value,
    ),
    IsString(),
    MinLength(min),
    MaxLength(max),
  );

/** An IANA time zone name known to this runtime (e.g. `Asia/Almaty`); offsets are not zones. */
export function IsIanaZone(options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'isIanaZone',
      target: target.constructor,
      propertyName: String(propertyName),
      options: {
        message: `${String(propertyName)} must be an IANA time zone such as Asia/Almaty`,
        ...options,
      },
      validator: { validate: (v: unknown) => typeof v === 'string' && isValidIanaZone(v) },
    });
}

/** Upper-cases and checks an identifier code (facility code, personal number). */
export const IsCode = (pattern: RegExp, message: string): PropertyDecorator =>
  applyDecorators(
    Transform(({ value }: { value: unknown }) =>
      typeof value === 'string' ? value.trim().toUpperCase() : value,
    ),
    IsString(),
    Matches(pattern, { message }),
  );
