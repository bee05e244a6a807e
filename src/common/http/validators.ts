import { applyDecorators } from '@nestjs/common';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsObject,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  MinLength,
  registerDecorator,
  ValidateIf,
  ValidateNested,
  ValidationOptions,
} from 'class-validator';
import { hasLineControl, normaliseLineBreaks } from '../text/text';
import { isValidIanaZone } from '../time/zones';
import { lowerCaseId } from './edge-input';

/** Marks the validations made by these composites (a test checks no DTO goes around them). */
export const EDGE_CONTEXT = { edge: true } as const;

// The edge (see docs/input.md): every body field is settled by these composites, never by
// class-validator's `@IsOptional` (it lets `null` through) or a bare `@IsUUID`/`@ValidateNested`.

/**
 * The field may be left out. `null` is not leaving it out: it is refused by the field's own
 * rules, unless the field is also `@NullMeans(...)`.
 */
export const Omittable = (): PropertyDecorator =>
  ValidateIf((_o: object, v: unknown) => v !== undefined);

/**
 * A whole number in a query string, written in decimal digits only: `0x10`, `1e2`, ` 5` or an
 * empty value are not numbers here (Number() would take them), and fail the field's `@IsInt()`.
 */
export const QueryInt = (): PropertyDecorator =>
  Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' && /^[0-9]{1,16}$/.test(value) ? Number(value) : value,
  );

/**
 * `null` is accepted and means what `meaning` says (e.g. "national"); say the same in the
 * field's description. Used with `@Omittable()` when absence means the same.
 */
export const NullMeans = (meaning: string): PropertyDecorator => {
  void meaning; // documentation for the reader of the DTO
  return ValidateIf((_o: object, v: unknown) => v !== null && v !== undefined);
};

export interface TextOptions {
  /** Fewest characters after trimming (default 1: not blank). */
  min?: number;
  /** Free text (notes, reasons): line feeds and tabs allowed, CR LF kept as LF. Else one line. */
  multiline?: boolean;
}

/** Text of at most `max` characters, trimmed; one line unless `multiline`. */
export const IsText = (max: number, opts: TextOptions = {}): PropertyDecorator => {
  const decorators = [
    Transform(({ value }: { value: unknown }) =>
      typeof value !== 'string'
        ? value
        : opts.multiline
          ? normaliseLineBreaks(value).trim()
          : value.trim(),
    ),
    IsString(),
    MinLength(opts.min ?? 1),
    MaxLength(max),
  ];
  if (!opts.multiline) {
    decorators.push(
      predicate('isOneLine', (v) => typeof v !== 'string' || !hasLineControl(v), {
        what: 'one line, without tabs or line breaks',
      }),
    );
  }
  return applyDecorators(...decorators);
};

/** A UUID, written lower-case whatever case it came in (`each` for a list of them). */
export const IsId = (opts: { each?: boolean } = {}): PropertyDecorator =>
  applyDecorators(
    Transform(({ value }: { value: unknown }) =>
      Array.isArray(value) ? value.map((v) => lowerCaseId(v)) : lowerCaseId(value),
    ),
    IsUUID('all', {
      each: opts.each,
      context: EDGE_CONTEXT,
      message: ({ property }) =>
        opts.each ? `each of ${property} must be a UUID` : `${property} must be a UUID`,
    }),
  );

/**
 * A list of objects of one declared type: an array whose every element is an object (not an
 * array, not null, not a value) that validates as `type`. `"items": [[{…}]]` is refused here.
 */
export const ArrayOf = (
  type: () => new () => object,
  opts: { min?: number; max: number },
): PropertyDecorator =>
  applyDecorators(
    IsArray(),
    ...(opts.min !== undefined ? [ArrayMinSize(opts.min)] : []),
    ArrayMaxSize(opts.max),
    IsObject({
      each: true,
      message: ({ property }) => `each element of ${property} must be an object`,
    }),
    ValidateNested({ each: true, context: EDGE_CONTEXT }),
    Type(type),
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

const INSTANT =
  /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,6})?)?(?:Z|[+-](\d{2}):(\d{2}))$/;
const LOCAL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * An ISO 8601 instant with its offset (`2026-04-01T00:00:00+05:00`, `…Z`) on a day that exists,
 * at a time that exists (no 24:00, no 23:60); a bare local time is ambiguous.
 */
export function isInstant(v: unknown): v is string {
  const m = typeof v === 'string' ? INSTANT.exec(v) : null;
  if (!m || !isLocalDate(m[1])) return false;
  const [hour, minute, second, offH, offM] = [m[2], m[3], m[4], m[5], m[6]].map((x) =>
    x === undefined ? 0 : Number(x),
  );
  return hour < 24 && minute < 60 && second < 60 && offH < 24 && offM < 60;
}

/** A calendar date `YYYY-MM-DD` that exists. */
export function isLocalDate(v: unknown): v is string {
  const m = typeof v === 'string' ? LOCAL_DATE.exec(v) : null;
  if (!m) return false;
  const d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
  return d.getUTCFullYear() === +m[1] && d.getUTCMonth() === +m[2] - 1 && d.getUTCDate() === +m[3];
}

function predicate(
  name: string,
  test: (v: unknown) => boolean,
  opts: { what: string },
): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name,
      target: target.constructor,
      propertyName: String(propertyName),
      options: { message: `${String(propertyName)} must be ${opts.what}` },
      validator: { validate: test },
    });
}

const INSTANT_WHAT = 'an ISO 8601 instant with an offset, e.g. 2026-04-01T00:00:00+05:00';

export const IsInstant = (): PropertyDecorator =>
  predicate('isInstant', isInstant, { what: INSTANT_WHAT });

/** An instant (as `IsInstant`) handed on as a `Date`. */
export const IsInstantDate = (): PropertyDecorator =>
  applyDecorators(
    Transform(({ value }: { value: unknown }) => (isInstant(value) ? new Date(value) : value)),
    predicate('isInstant', (v) => v instanceof Date && !Number.isNaN(v.getTime()), {
      what: INSTANT_WHAT,
    }),
  );

export const IsLocalDate = (): PropertyDecorator =>
  predicate('isLocalDate', isLocalDate, { what: 'a date YYYY-MM-DD' });

/** An instant (string or Date) or a local date as a comparable number; NaN when it is neither. */
function ordinal(v: unknown): number {
  if (v instanceof Date) return v.getTime();
  if (isInstant(v)) return Date.parse(v);
  if (isLocalDate(v)) return Date.parse(`${v}T00:00:00Z`);
  return NaN;
}

/**
 * The end of a range: not before its start, the property named `start` of the same object (an
 * instant or a local date, as both are declared). A reversed range is a mistake, not an empty
 * answer. Either end missing or malformed is left to its own rules.
 */
export function NotBefore(start: string): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'notBefore',
      target: target.constructor,
      propertyName: String(propertyName),
      constraints: [start],
      options: { message: `${String(propertyName)} must not be before ${start}` },
      validator: {
        validate: (v: unknown, args) => {
          const [a, b] = [ordinal((args?.object as Record<string, unknown>)[start]), ordinal(v)];
          return Number.isNaN(a) || Number.isNaN(b) || b >= a;
        },
      },
    });
}
