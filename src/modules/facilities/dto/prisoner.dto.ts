import { IsIn } from 'class-validator';
import { IsCode, IsId, IsText, Omittable } from '../../../common/http/validators';
import {
  CONDITIONS,
  Conditions,
  PERSONAL_NUMBER,
  PrisonerStatus,
  SECURITY_LEVELS,
  SecurityLevel,
} from '../domain/prisoner.rules';
import {
  PrisonerConditionsChangeEntity,
  PrisonerTransferEntity,
} from '../entities/prisoner-history.entity';
import { PrisonerEntity } from '../entities/prisoner.entity';

export class CreatePrisonerDto {
  /** National personal number (IIN or the document number for foreigners), unique. @example "850101300123" */
  @IsCode(PERSONAL_NUMBER, 'personalNumber must be 3-32 letters, digits or dashes')
  personalNumber: string;

  /** @example "Amanov Serik Bolatovich" */
  @IsText(200)
  fullName: string;

  /** Security level of the institution the prisoner serves in. */
  @IsIn(SECURITY_LEVELS)
  securityLevel: SecurityLevel;

  /** Conditions of serving; `ordinary` when omitted. */
  @Omittable()
  @IsIn(CONDITIONS)
  conditions?: Conditions;
}

export class ChangeConditionsDto {
  @IsIn(CONDITIONS)
  conditions: Conditions;

  /** Why (e.g. the commission's decision after six months of good behaviour). */
  @IsText(1000, { multiline: true })
  reason: string;
}

export class TransferPrisonerDto {
  @IsId()
  toFacilityId: string;

  /** Order or reason for the transfer. */
  @Omittable()
  @IsText(1000, { multiline: true })
  reason?: string;
}

export class PrisonerDto {
  id: string;
  facilityId: string;
  personalNumber: string;
  fullName: string;
  securityLevel: SecurityLevel;
  conditions: Conditions;
  status: PrisonerStatus;
  createdAt: string;
  updatedAt: string;

  static from(p: PrisonerEntity): PrisonerDto {
    return {
      id: p.id,
      facilityId: p.facilityId,
      personalNumber: p.personalNumber,
      fullName: p.fullName,
      securityLevel: p.securityLevel,
      conditions: p.conditions,
      status: p.status,
      createdAt: p.createdAt.toISOString(),
      updatedAt: p.updatedAt.toISOString(),
    };
  }
}

export class PrisonerPageDto {
  items: PrisonerDto[];
  nextCursor: string | null;
}

export class ConditionsChangeDto {
  id: string;
  facilityId: string;
  /** null for the placement at registration. */
  fromConditions: Conditions | null;
  toConditions: Conditions;
  reason: string;
  changedBy: string | null;
  changedAt: string;

  static from(c: PrisonerConditionsChangeEntity): ConditionsChangeDto {
    return {
      id: c.id,
      facilityId: c.facilityId,
      fromConditions: c.fromConditions,
      toConditions: c.toConditions,
      reason: c.reason,
      changedBy: c.changedBy,
      changedAt: c.changedAt.toISOString(),
    };
  }
}

export class TransferDto {
  id: string;
  fromFacilityId: string;
  toFacilityId: string;
  reason: string | null;
  transferredBy: string | null;
  transferredAt: string;

  static from(t: PrisonerTransferEntity): TransferDto {
    return {
      id: t.id,
      fromFacilityId: t.fromFacilityId,
      toFacilityId: t.toFacilityId,
      reason: t.reason,
      transferredBy: t.transferredBy,
      transferredAt: t.transferredAt.toISOString(),
    };
  }
}

export class PrisonerHistoryDto {
  conditions: ConditionsChangeDto[];
  transfers: TransferDto[];
}
