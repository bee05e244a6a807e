import { IsObject } from 'class-validator';
import {
  IsId,
  IsInstant,
  IsLocalDate,
  IsText,
  NullMeans,
  Omittable,
} from '../../../common/http/validators';
import { PageQueryDto } from '../../../common/http/pagination';
import { IsIn } from 'class-validator';
import { CatalogEntry } from '../domain/catalog';
import { PolicyChange } from '../domain/resolution';
import { PolicyVersionEntity } from '../entities/policy-version.entity';
import { ApiProperty } from '@nestjs/swagger';
import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { ApiInstant, ApiLocalDate } from '../../../common/openapi/formats';
import { NULL_SCHEMA } from '../../../common/openapi/normalize-document';

/** A policy value: a number, a local time, a list of codes, or a map by security level. */
const POLICY_VALUE: { anyOf: SchemaObject[] } = {
  anyOf: [
    { type: 'number', format: 'double' },
    { type: 'string' },
    { type: 'array', items: { type: 'string' } },
    {
      type: 'object',
      description: 'By security level: one value, or one per conditions of serving',
      additionalProperties: {
        anyOf: [
          { type: 'number', format: 'double' },
          { type: 'object', additionalProperties: { type: 'number', format: 'double' } },
        ],
      },
    },
  ],
};

export class CreatePolicyVersionDto {
  /** The facility it applies to; null or absent = national. */
  @NullMeans('national: the version applies to every facility')
  @IsId()
  facilityId?: string | null;

  /** An instant with its offset. Give this or `effectiveOn`. @example "2027-01-01T00:00:00+05:00" */
  @ApiInstant()
  @Omittable()
  @IsInstant()
  effectiveFrom?: string;

  /** A local date: the version takes effect at midnight of it in each facility's own zone. @example "2027-04-01" */
  @ApiLocalDate()
  @Omittable()
  @IsLocalDate()
  effectiveOn?: string;

  /** The order or law, and why. */
  @IsText(2000, { multiline: true })
  reason: string;

  /** `{ key: value }` for the keys this version sets (see GET /policy-catalog). */
  @IsObject()
  values: Record<string, unknown>;
}

export class UpdatePolicyVersionDto {
  @ApiInstant()
  @Omittable()
  @IsInstant()
  effectiveFrom?: string;

  @ApiLocalDate()
  @Omittable()
  @IsLocalDate()
  effectiveOn?: string;

  @Omittable()
  @IsText(2000, { multiline: true })
  reason?: string;

  @Omittable()
  @IsObject()
  values?: Record<string, unknown>;
}

export class PolicyVersionQueryDto extends PageQueryDto {
  /** Versions that apply to this facility (its own and national ones). */
  @Omittable()
  @IsId()
  facilityId?: string;

  /** Versions that set this key. */
  @Omittable()
  @IsText(100)
  key?: string;

  @Omittable()
  @IsIn(['draft', 'published'])
  status?: 'draft' | 'published';
}

export class PolicyChangesQueryDto {
  @ApiInstant()
  @IsInstant()
  from: string;

  @ApiInstant()
  @IsInstant()
  to: string;
}

export class CatalogEntryDto {
  key: string;
  /** `grams`, `count`, `minutes`, `minor`, `mciMultiplier`, `localTime`, `codeList`. */
  type: string;
  /** The value is a map by security level (each level one value or one per conditions of serving). */
  byLevel: boolean;
  unit: string;
  description: string;

  static from(e: CatalogEntry): CatalogEntryDto {
    return {
      key: e.key,
      type: e.kind,
      byLevel: e.byLevel,
      unit: e.unit,
      description: e.description,
    };
  }
}

export class PolicyVersionDto {
  id: string;
  /** null = national. */
  facilityId: string | null;
  @ApiInstant()
  effectiveFrom: string | null;
  @ApiLocalDate()
  effectiveOn: string | null;
  reason: string;
  @ApiProperty({ type: 'object', additionalProperties: POLICY_VALUE })
  values: Record<string, unknown>;
  status: 'draft' | 'published';
  createdBy: string | null;
  createdAt: string;
  publishedBy: string | null;
  publishedAt: string | null;
  /** For versions loaded from config/policies/. */
  sourceFile: string | null;
  notes: string | null;

  static from(v: PolicyVersionEntity): PolicyVersionDto {
    return {
      id: v.id,
      facilityId: v.facilityId,
      effectiveFrom: v.effectiveFrom?.toISOString() ?? null,
      effectiveOn: v.effectiveOn,
      reason: v.reason,
      values: v.values,
      status: v.status,
      createdBy: v.createdBy,
      createdAt: v.createdAt.toISOString(),
      publishedBy: v.publishedBy,
      publishedAt: v.publishedAt?.toISOString() ?? null,
      sourceFile: v.sourceFile,
      notes: v.notes,
    };
  }
}

export class PolicyVersionPageDto {
  items: PolicyVersionDto[];
  nextCursor: string | null;
}

export class FacilityPolicyDto {
  facilityId: string;
  /** The instant asked about. */
  @ApiInstant()
  at: string;
  /** Each key in force, with its value. */
  @ApiProperty({ type: 'object', additionalProperties: POLICY_VALUE })
  values: Record<string, unknown>;
  /** For each key, the id of the version that supplied the value. */
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string', format: 'uuid' } })
  sources: Record<string, string>;
  /** The next scheduled change for this facility (national or its own); null if none. */
  @ApiInstant()
  validUntil: string | null;
}

export class PolicyChangeDto {
  /** When it took effect in this facility. */
  @ApiInstant()
  at: string;
  key: string;
  @ApiProperty({
    description: 'The value before (null: the key was not set)',
    anyOf: [...POLICY_VALUE.anyOf, NULL_SCHEMA],
  })
  from: unknown;
  @ApiProperty({
    description: 'The value after (null: the key stopped being set)',
    anyOf: [...POLICY_VALUE.anyOf, NULL_SCHEMA],
  })
  to: unknown;
  fromVersionId: string | null;
  versionId: string | null;

  static from(c: PolicyChange): PolicyChangeDto {
    return { ...c, at: c.at.toISOString() };
  }
}

export class PolicyChangesDto {
  facilityId: string;
  @ApiInstant()
  from: string;
  @ApiInstant()
  to: string;
  changes: PolicyChangeDto[];
}
