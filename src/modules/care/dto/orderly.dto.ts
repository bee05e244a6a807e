import { ApiProperty } from '@nestjs/swagger';
import { IsId, IsLocalDate, IsText, Omittable } from '../../../common/http/validators';
import { ApiLocalDate } from '../../../common/openapi/formats';
import type { PositionEndKind, PositionRow } from '../orderly-positions.repository';

export class AppointOrderlyDto {
  /** A prisoner held in the facility. */
  @IsId()
  prisonerId: string;

  /** The day the appointment takes effect (facility local date): today when omitted, up to 60 days back for an appointment made on paper. @example "2026-11-16" */
  @ApiLocalDate()
  @Omittable()
  @IsLocalDate()
  from?: string;
}

export class DismissOrderlyDto {
  /** Why the orderly is dismissed. */
  @IsText(1000, { multiline: true })
  reason: string;
}

/** Whom an orderly assists now. */
export class AssistedDto {
  assignmentId: string;
  prisonerId: string;
  /** Since when (facility local date). */
  @ApiLocalDate()
  from: string;
}

export class OrderlyDto {
  /** The position's id. */
  id: string;
  facilityId: string;
  prisonerId: string;
  /** The first day the position is held (facility local date). */
  @ApiLocalDate()
  from: string;
  /** The first day it is no longer held; null while held. */
  @ApiProperty({ type: String, format: 'date', nullable: true })
  until: string | null;
  appointedBy: string;
  appointedAt: string;
  /** How it ended: dismissed, or the prisoner's transfer or release; null while held. */
  @ApiProperty({ type: String, enum: ['dismissed', 'transferred', 'released'], nullable: true })
  endKind: PositionEndKind | null;
  endReason: string | null;
  /** The policy version that set care.orderlyPositions for the appointment. */
  policyVersionIds: string[];
  assisting: AssistedDto[];

  static from(p: PositionRow, assisting: AssistedDto[]): OrderlyDto {
    return {
      id: p.id,
      facilityId: p.facilityId,
      prisonerId: p.prisonerId,
      from: p.from,
      until: p.until,
      appointedBy: p.appointedBy,
      appointedAt: p.appointedAt.toISOString(),
      endKind: p.endKind,
      endReason: p.endReason,
      policyVersionIds: p.policyVersionIds,
      assisting,
    };
  }
}

export class OrderlyPageDto {
  items: OrderlyDto[];
  nextCursor: string | null;
}
