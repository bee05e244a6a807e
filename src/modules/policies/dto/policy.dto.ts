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

export class CreatePolicyVersionDto {
  /** The facility it applies to; null or absent = national. */
  @NullMeans('national: the version applies to every facility')
  @IsId()
  facilityId?: string | null;

  /** An instant with its offset. Give this or `effectiveOn`. @example "2027-01-01T00:00:00+05:00" */
  @Omittable()
  @IsInstant()
  effectiveFrom?: string;

  /** A local date: the version takes effect at midnight of it in each facility's own zone. @example "2027-04-01" */
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
  @Omittable()
  @IsInstant()
  effectiveFrom?: string;

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
  @IsInstant()
  from: string;

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
  effectiveFrom: string | null;
  effectiveOn: string | null;
  reason: string;
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
  at: string;
  values: Record<string, unknown>;
  /** For each key, the id of the version that supplied the value. */
  sources: Record<string, string>;
  /** The next scheduled change for this facility (national or its own); null if none. */
  validUntil: string | null;
}

export class PolicyChangeDto {
  /** When it took effect in this facility. */
  at: string;
  key: string;
  from: unknown;
  to: unknown;
  fromVersionId: string | null;
  versionId: string | null;

  static from(c: PolicyChange): PolicyChangeDto {
    return { ...c, at: c.at.toISOString() };
  }
}

export class PolicyChangesDto {
  facilityId: string;
  from: string;
  to: string;
  changes: PolicyChangeDto[];
}
