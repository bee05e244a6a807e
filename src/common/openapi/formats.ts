import { ApiProperty } from '@nestjs/swagger';

/*
 * Documentation only: what a string property holds, for the properties whose name does not say
 * it (every `…At` is an instant already, see normalize-document.ts). The CLI plugin still infers
 * the type, whether it is required and nullable.
 */

/** An ISO 8601 instant with its offset. */
export const ApiInstant = (): PropertyDecorator =>
  ApiProperty({ type: String, format: 'date-time' });

/** A local date, `YYYY-MM-DD`. */
export const ApiLocalDate = (): PropertyDecorator => ApiProperty({ type: String, format: 'date' });

/** A calendar month, `YYYY-MM`. */
export const ApiLocalMonth = (): PropertyDecorator =>
  ApiProperty({ type: String, pattern: '^[0-9]{4}-(0[1-9]|1[0-2])$', example: '2026-04' });
