import { ApiProperty } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import { IsLocalDate, IsText, Omittable } from '../../../common/http/validators';
import { ApiLocalDate } from '../../../common/openapi/formats';
import { DISABILITY_KINDS, DisabilityKind } from '../domain/disability.rules';
import type { DisabilityRow } from '../disabilities.repository';

export class RecordDisabilityDto {
  @IsIn(DISABILITY_KINDS)
  kind: DisabilityKind;

  /** What help is needed, as the medical unit describes it. */
  @IsText(2000, { multiline: true })
  note: string;

  /** The first day it applies (a local date of the facility); today when omitted. Not in the future. @example "2026-11-01" */
  @ApiLocalDate()
  @Omittable()
  @IsLocalDate()
  from?: string;

  /** The first day it no longer applies, when known (a temporary disability); after `from`. @example "2027-02-01" */
  @ApiLocalDate()
  @Omittable()
  @IsLocalDate()
  until?: string;
}

export class EndDisabilityDto {
  /** Why the record ends (e.g. the medical commission's finding). */
  @IsText(1000, { multiline: true })
  reason: string;

  /** The first day it no longer applies; today when omitted. Not before `from`, not in the future. @example "2026-12-01" */
  @ApiLocalDate()
  @Omittable()
  @IsLocalDate()
  until?: string;
}

export class DisabilityDto {
  id: string;
  prisonerId: string;
  kind: DisabilityKind;
  note: string;
  /** The first day it applies (facility local date). */
  @ApiLocalDate()
  from: string;
  /** The first day it no longer applies; null while open-ended. */
  @ApiProperty({ type: String, format: 'date', nullable: true })
  until: string | null;
  /** Whether it applies today in the facility holding the prisoner. */
  active: boolean;
  recordedBy: string;
  recordedAt: string;
  /** Set when the record was ended (its history stays). */
  endedAt: string | null;
  endedBy: string | null;
  endReason: string | null;

  static from(r: DisabilityRow, today: string): DisabilityDto {
    return {
      id: r.id,
      prisonerId: r.prisonerId,
      kind: r.kind,
      note: r.note,
      from: r.from,
      until: r.until,
      active: r.from <= today && (r.until === null || today < r.until),
      recordedBy: r.recordedBy,
      recordedAt: r.recordedAt.toISOString(),
      endedAt: r.endedAt?.toISOString() ?? null,
      endedBy: r.endedBy,
      endReason: r.endReason,
    };
  }
}

/** A record just ended, with the assignments that ended with it (its last in force: no help needed). */
export class EndedDisabilityDto extends DisabilityDto {
  /** The orderly assignments assisting the prisoner that ended with this record (kind `need-ended`); empty while another record is in force. */
  endedAssignmentIds: string[];
}
