import { ApiProperty } from '@nestjs/swagger';
import { IsId, IsLocalDate, IsText, Omittable } from '../../../common/http/validators';
import { ApiLocalDate } from '../../../common/openapi/formats';
import { DISABILITY_KINDS, DisabilityKind } from '../domain/disability.rules';
import type { AssignmentEndKind, AssignmentRow } from '../orderly-assignments.repository';

export class AssignOrderlyDto {
  /** A prisoner holding an orderly position. */
  @IsId()
  orderlyPrisonerId: string;

  /** A prisoner of the same facility with a disability in force. */
  @IsId()
  assistedPrisonerId: string;

  /** The first day of the assignment (facility local date): today when omitted, up to 60 days back, not before the appointment. @example "2026-11-16" */
  @ApiLocalDate()
  @Omittable()
  @IsLocalDate()
  from?: string;
}

export class EndAssignmentDto {
  /** Why the assignment ends. */
  @IsText(1000, { multiline: true })
  reason: string;
}

export class AssignmentDto {
  id: string;
  facilityId: string;
  orderlyPrisonerId: string;
  assistedPrisonerId: string;
  @ApiLocalDate()
  from: string;
  /** The first day it no longer holds; null while it does. */
  @ApiProperty({ type: String, format: 'date', nullable: true })
  until: string | null;
  assignedBy: string;
  assignedAt: string;
  /** Why it ended: `ended` by an officer, the orderly `dismissed`, either prisoner `transferred` or `released`, or `need-ended` (the assisted prisoner's last disability record in force ended). */
  @ApiProperty({
    type: String,
    enum: ['ended', 'dismissed', 'transferred', 'released', 'need-ended'],
    nullable: true,
  })
  endKind: AssignmentEndKind | null;
  endReason: string | null;
  /** The policy version that set care.maxAssistedPerOrderly. */
  policyVersionIds: string[];

  static from(a: AssignmentRow): AssignmentDto {
    return {
      id: a.id,
      facilityId: a.facilityId,
      orderlyPrisonerId: a.orderlyPrisonerId,
      assistedPrisonerId: a.assistedPrisonerId,
      from: a.from,
      until: a.until,
      assignedBy: a.assignedBy,
      assignedAt: a.assignedAt.toISOString(),
      endKind: a.endKind,
      endReason: a.endReason,
      policyVersionIds: a.policyVersionIds,
    };
  }
}

export class UnassignedDto {
  prisonerId: string;
  /** The kinds of help needed today. */
  @ApiProperty({ enum: DISABILITY_KINDS, isArray: true })
  needs: DisabilityKind[];
  /** Waiting since (facility local date): the start of what they need, or the end of their last assignment if later. */
  @ApiLocalDate()
  waitingSince: string;
  /** Whole days waited until today. */
  waitingDays: number;
}

export class UnassignedPageDto {
  items: UnassignedDto[];
  nextCursor: string | null;
}
