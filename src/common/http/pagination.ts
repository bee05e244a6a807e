import { ApiPropertyOptional } from '@nestjs/swagger';
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { IsInt, IsString, Max, MaxLength, Min } from 'class-validator';
import { DomainError } from '../errors/domain-error';
import { Omittable, QueryInt } from './validators';

export class PageQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: 500, default: 50 })
  @Omittable()
  @QueryInt()
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

/**
 * A list and the filter its pages are of (`listScope('parcels-of-day', facilityId, date)`): a
 * cursor is bound to it, so one taken from another list, or the same list under another filter,
 * is refused (400 INVALID_CURSOR) rather than giving a wrong page. Bind what the caller sent (a
 * default computed per request, such as "now", would change between pages).
 */
export function listScope(
  name: string,
  ...filter: Array<string | number | boolean | Date | null | undefined>
): string {
  return JSON.stringify([
    name,
    ...filter.map((v) => (v === undefined ? null : v instanceof Date ? v.toISOString() : v)),
  ]);
}

let cursorKey = createHash('sha256').update('prisoner-services cursors, no secret set').digest();

/** The key cursors are signed with (derived from the service's secret at start; one for all instances). */
export function setCursorKey(secret: string): void {
  cursorKey = createHmac('sha256', secret).update('prisoner-services/cursor/v1').digest();
}

function tagOf(c: KeysetCursor, scope: string): Buffer {
  return createHmac('sha256', cursorKey)
    .update(JSON.stringify([scope, c.k, c.id]))
    .digest()
    .subarray(0, 16);
}

/** A cursor for the position `c` in the list `scope` (see listScope): opaque, signed, bound to it. */
export function encodeCursor(c: KeysetCursor, scope = ''): string {
  const t = tagOf(c, scope).toString('base64url');
  return Buffer.from(JSON.stringify({ k: c.k, id: c.id, t }), 'utf8').toString('base64url');
}

/** The position a cursor of the list `scope` names; INVALID_CURSOR for any other string. */
export function decodeCursor(raw: string | undefined, scope = ''): KeysetCursor | undefined {
  if (raw === undefined) return undefined;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
    const c = parsed as Partial<KeysetCursor> & { t?: unknown };
    if (
      typeof c?.k === 'string' &&
      c.k.length <= 200 &&
      typeof c.id === 'string' &&
      UUID.test(c.id) &&
      typeof c.t === 'string'
    ) {
      const given = Buffer.from(c.t, 'base64url');
      const expected = tagOf({ k: c.k, id: c.id }, scope);
      if (given.length === expected.length && timingSafeEqual(given, expected))
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
  scope = '',
): Page<T> {
  const more = rows.length > limit;
  const slice = more ? rows.slice(0, limit) : rows;
  return {
    items: slice.map(map),
    nextCursor: more ? encodeCursor(keyOf(slice[slice.length - 1]), scope) : null,
  };
}
