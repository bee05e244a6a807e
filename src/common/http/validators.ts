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

const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})$/;
const LOCAL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** An ISO 8601 instant with its offset (`2026-04-01T00:00:00+05:00`, `…Z`); a bare local time is ambiguous. */
export function isInstant(v: unknown): v is string {
  return typeof v === 'string' && INSTANT.test(v) && !Number.isNaN(Date.parse(v));
}

/** A calendar date `YYYY-MM-DD` that exists. */
export function isLocalDate(v: unknown): v is string {
  const m = typeof v === 'string' ? LOCAL_DATE.exec(v) : null;
  if (!m) return false;
  const d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
  return d.getUTCFullYear() === +m[1] && d.getUTCMonth() === +m[2] - 1 && d.getUTCDate() === +m[3];
}

function predicate(name: string, test: (v: unknown) => boolean, what: string): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name,
      target: target.constructor,
      propertyName: String(propertyName),
      options: { message: `${String(propertyName)} must be ${what}` },
      validator: { validate: test },
    });
}

export const IsInstant = (): PropertyDecorator =>
  predicate(
    'isInstant',
    isInstant,
    'an ISO 8601 instant with an offset, e.g. 2026-04-01T00:00:00+05:00',
  );
export const IsLocalDate = (): PropertyDecorator =>
  predicate('isLocalDate', isLocalDate, 'a date YYYY-MM-DD');
