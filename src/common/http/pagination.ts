import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsString, Max, MaxLength, Min } from 'class-validator';
import { DomainError } from '../errors/domain-error';
import { Omittable } from './validators';

export class PageQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: 500, default: 50 })
  @Omittable()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;

  @ApiPropertyOptional({ description: 'Opaque cursor from a previous page' })
  @Omittable()
  @IsString()
  @MaxLength(512)
  cursor?: string;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** Keyset position: the sort key of the last item seen and its id as the tie-breaker. */
export interface KeysetCursor {
  k: string;
  id: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function encodeCursor(c: KeysetCursor): string {
  return Buffer.from(JSON.stringify(c), 'utf8').toString('base64url');
}

export function decodeCursor(raw: string | undefined): KeysetCursor | undefined {
  if (raw === undefined) return undefined;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
    const c = parsed as Partial<KeysetCursor>;
    if (
      typeof c?.k === 'string' &&
      c.k.length <= 200 &&
      typeof c.id === 'string' &&
      UUID.test(c.id)
    ) {
      return { k: c.k, id: c.id };
    }
  } catch {
    // fall through
  }
  throw new DomainError('INVALID_CURSOR', 'cursor is not one this API issued', [
    { field: 'cursor', message: 'invalid cursor' },
  ]);
}

export function pageLimit(q: PageQueryDto): number {
  return q.limit ?? 50;
}

/** Builds the page from `limit + 1` fetched rows. */
export function toPage<R, T>(
  rows: R[],
  limit: number,
  keyOf: (r: R) => KeysetCursor,
  map: (r: R) => T,
): Page<T> {
  const more = rows.length > limit;
  const slice = more ? rows.slice(0, limit) : rows;
  return {
    items: slice.map(map),
    nextCursor: more ? encodeCursor(keyOf(slice[slice.length - 1])) : null,
  };
}
