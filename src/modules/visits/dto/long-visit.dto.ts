import { IsIn, IsInt, Max, Min } from 'class-validator';
import { ArrayOf, IsId, IsLocalDate, IsText, Omittable } from '../../../common/http/validators';
import { ApiLocalDate } from '../../../common/openapi/formats';
import { LONG_VISIT_STATUSES, LongVisitStatus } from '../domain/long-visit.rules';
import { Relationship, RELATIONSHIPS } from '../domain/relationship';
import { LongVisit } from '../entities/long-visit.row';
import { VisitRoomClosureDto, VisitRoomDto } from './visit-room.dto';

export class VisitorDto {
  @IsText(200)
  fullName: string;

  @IsIn(RELATIONSHIPS)
  relationship: Relationship;
}

export class BookLongVisitDto {
  @IsId()
  prisonerId: string;

  /** The first day (facility time): tomorrow at the earliest, within `visits.long.bookingWindowDays`. */
  @ApiLocalDate()
  @IsLocalDate()
  startDate: string;

  /** At most `visits.long.maxDays`. */
  @IsInt()
  @Min(1)
  @Max(31)
  days: number;

  /** Who comes (at most `visits.long.maxVisitors`). */
  @ArrayOf(() => VisitorDto, { min: 1, max: 20 })
  visitors: VisitorDto[];
}

export class RejectLongVisitDto {
  /** Why, as the relative will read it. */
  @IsText(1000, { multiline: true })
  reason: string;
}

export class CancelLongVisitDto {
  /** Why (optional; kept with the booking). */
  @Omittable()
  @IsText(1000, { multiline: true })
  reason?: string;
}

export class FacilityLongVisitsQueryDto {
  /** First local date. */
  @ApiLocalDate()
  @IsLocalDate()
  from: string;

  /** Last local date (included); at most 92 dates from `from`. */
  @ApiLocalDate()
  @IsLocalDate()
  to: string;
}

export class LongVisitDto {
  id: string;
  /** Short reference to quote at the gate, e.g. `LV-7K3M-Q9TA`. */
  reference: string;
  @IsIn(LONG_VISIT_STATUSES)
  status: LongVisitStatus;
  /** Why it was rejected or cancelled. */
  statusReason: string | null;
  facilityId: string;
  roomId: string;
  prisonerId: string;
  relativeId: string;
  @ApiLocalDate()
  startDate: string;
  @ApiLocalDate()
  endDate: string;
  days: number;
  startsAt: string;
  endsAt: string;
  visitors: VisitorDto[];
  /** Documents each visitor brings: those of the policy in force on the start date. */
  requiredDocuments: string[];
  /** The policy versions the booking applied. */
  policyVersionIds: string[];
  createdAt: string;

  static from(v: LongVisit): LongVisitDto {
    return {
      id: v.id,
      reference: v.reference,
      status: v.status,
      statusReason: v.statusReason,
      facilityId: v.facilityId,
      roomId: v.roomId,
      prisonerId: v.prisonerId,
      relativeId: v.relativeId,
      startDate: v.startDate,
      endDate: v.endDate,
      days: v.days,
      startsAt: v.startsAt.toISOString(),
      endsAt: v.endsAt.toISOString(),
      visitors: v.visitors,
      requiredDocuments: v.requiredDocuments,
      policyVersionIds: v.policyVersionIds,
      createdAt: v.createdAt.toISOString(),
    };
  }
}

export class LongVisitPageDto {
  items: LongVisitDto[];
  nextCursor: string | null;
}

export class RoomPlanDto {
  room: VisitRoomDto;
  /** Closures of the room with a day in the window. */
  closures: VisitRoomClosureDto[];
  /** Bookings in the room with a day in the window, every status. */
  visits: LongVisitDto[];
}

/** A facility's long visits over a window of dates, room by room (the visits officer's day plan). */
export class FacilityVisitPlanDto {
  facilityId: string;
  @ApiLocalDate()
  fromDate: string;
  @ApiLocalDate()
  toDate: string;
  rooms: RoomPlanDto[];
}
