import { IsIn, IsInt, Matches, Max, MaxLength, Min, ValidateIf } from 'class-validator';
import { ArrayOf, IsId, IsLocalDate, IsText, Omittable } from '../../../common/http/validators';
import { PageQueryDto } from '../../../common/http/pagination';
import { PARCEL_KINDS, ParcelKind, ParcelStatus, Reason } from '../domain/intake.rules';
import { ParcelEntity, ParcelEventEntity } from '../entities/parcel.entity';
import { ApiInstant, ApiLocalDate } from '../../../common/openapi/formats';

export class DeclaredItemDto {
  /** Category code, e.g. `food`, `clothing`, `books`, `alcohol`. */
  @Matches(/^[a-z0-9]+(-[a-z0-9]+)*$/, {
    message: 'category must be a lowercase code such as food or mobile-phones',
  })
  @MaxLength(64)
  category: string;

  @IsText(500)
  description: string;

  @IsInt()
  @Min(1)
  @Max(10_000)
  quantity: number;
}

export class RegisterParcelDto {
  @IsId()
  prisonerId: string;

  /** `parcel` (default) or `small-parcel`. */
  @Omittable()
  @IsIn(PARCEL_KINDS)
  kind?: ParcelKind;

  @IsText(200)
  senderName: string;

  /** Whole grams, more than 0 and at most 1 000 000 (1 000 kg). */
  @IsInt({ message: 'weightGrams must be a whole number of grams' })
  @Min(1)
  @Max(1_000_000)
  weightGrams: number;

  @ArrayOf(() => DeclaredItemDto, { max: 200 })
  items: DeclaredItemDto[];
}

export class ChangeParcelStatusDto {
  @IsIn(['inspected', 'handed-over', 'returned', 'seized'])
  status: Exclude<ParcelStatus, 'received'>;

  /** Required when seizing: the reason. */
  @ValidateIf((o: ChangeParcelStatusDto) => o.status === 'seized' || o.note !== undefined)
  @IsText(2000, { multiline: true })
  note?: string;

  /** Required when seizing: what was seized. */
  @ValidateIf((o: ChangeParcelStatusDto) => o.status === 'seized' || o.seizedItems !== undefined)
  @ArrayOf(() => DeclaredItemDto, { max: 200 })
  seizedItems?: DeclaredItemDto[];
}

export class FacilityParcelsQueryDto extends PageQueryDto {
  /** The local date in the facility (today when absent). */
  @ApiLocalDate()
  @Omittable()
  @IsLocalDate()
  date?: string;
}

export class AllowanceDto {
  /** Start of the calendar year in the facility's zone. */
  @ApiInstant()
  periodStart: string;
  /** Start of the next year, exclusive. */
  @ApiInstant()
  periodEnd: string;
  parcelsAllowed: number;
  parcelsReceived: number;
  parcelsRemaining: number;
  maxWeightGrams: number;

  /** The allowance of a year under these rules (which set a yearly number), `received` used. */
  static of(
    period: { start: Date; end: Date },
    rules: { perYear: number | null; maxWeightGrams: number },
    received: number,
  ): AllowanceDto {
    return {
      periodStart: period.start.toISOString(),
      periodEnd: period.end.toISOString(),
      parcelsAllowed: rules.perYear!,
      parcelsReceived: received,
      parcelsRemaining: Math.max(0, rules.perYear! - received),
      maxWeightGrams: rules.maxWeightGrams,
    };
  }
}

export class ParcelAllowanceDto extends AllowanceDto {
  prisonerId: string;
  facilityId: string;
  /** The same for small parcels. */
  small: AllowanceDto;
  policyVersionIds: string[];
}

export class ReasonDto {
  code: string;
  message: string;
}

export class ParcelDto {
  id: string;
  facilityId: string;
  prisonerId: string;
  kind: ParcelKind;
  senderName: string;
  weightGrams: number;
  items: DeclaredItemDto[];
  outcome: 'accepted' | 'refused';
  reasons: ReasonDto[];
  /** null for a refused parcel. */
  status: ParcelStatus | null;
  /** Whether it takes a place of the yearly allowance (a parcel returned before inspection gives it back). */
  countsAgainstAllowance: boolean;
  policyVersionIds: string[];
  registeredAt: string;

  static from(p: ParcelEntity): ParcelDto {
    return {
      id: p.id,
      facilityId: p.facilityId,
      prisonerId: p.requestedPrisonerId,
      kind: p.kind,
      senderName: p.senderName,
      weightGrams: p.weightGrams,
      items: p.items,
      outcome: p.outcome,
      reasons: p.reasons as Reason[],
      status: p.status,
      countsAgainstAllowance: p.countsAgainstAllowance,
      policyVersionIds: p.policyVersionIds,
      registeredAt: p.registeredAt.toISOString(),
    };
  }
}

export class IntakeDecisionDto extends ParcelDto {
  /** What is left after this decision, for this kind (null when the prisoner is not held here). */
  allowance: AllowanceDto | null;
}

export class ParcelPageDto {
  items: ParcelDto[];
  nextCursor: string | null;
}

export class ParcelEventDto {
  fromStatus: ParcelStatus | null;
  toStatus: ParcelStatus;
  note: string | null;
  seizedItems: DeclaredItemDto[] | null;
  actorKind: string;
  actorId: string;

  static from(e: ParcelEventEntity): ParcelEventDto {
    return {
      fromStatus: e.fromStatus,
      toStatus: e.toStatus,
      note: e.note,
      seizedItems: e.seizedItems,
      actorKind: e.actorKind,
      actorId: e.actorId,
    };
  }
}

export class ParcelWithHistoryDto extends ParcelDto {
  history: ParcelEventDto[];
}
