import { IsInt, Max, Min } from 'class-validator';
import { IsLocalDate, IsText, Omittable, QueryInt } from '../../../common/http/validators';
import { ApiLocalDate } from '../../../common/openapi/formats';
import { VisitRoom, VisitRoomClosure } from '../entities/long-visit.row';

export class CreateVisitRoomDto {
  /** Unique in the facility, e.g. `Room 3`. */
  @IsText(100)
  name: string;

  /** How many visitors the room holds (default 4). */
  @Omittable()
  @IsInt()
  @Min(1)
  @Max(20)
  capacity?: number;
}

export class VisitRoomDto {
  id: string;
  facilityId: string;
  name: string;
  capacity: number;
  active: boolean;
  createdAt: string;

  static from(r: VisitRoom): VisitRoomDto {
    return {
      id: r.id,
      facilityId: r.facilityId,
      name: r.name,
      capacity: r.capacity,
      active: r.active,
      createdAt: r.createdAt.toISOString(),
    };
  }
}

export class CloseVisitRoomDto {
  /** First local date the room is out of use (today at the earliest). */
  @ApiLocalDate()
  @IsLocalDate()
  fromDate: string;

  /** Last local date it is out of use (included), at most a year after `fromDate`. */
  @ApiLocalDate()
  @IsLocalDate()
  toDate: string;

  /** Why, as the relatives whose bookings it cancels will read it (e.g. `repairs`). */
  @IsText(1000, { multiline: true })
  reason: string;
}

export class VisitRoomClosureDto {
  id: string;
  roomId: string;
  @ApiLocalDate()
  fromDate: string;
  @ApiLocalDate()
  toDate: string;
  reason: string;
  createdAt: string;
  /** The bookings the closure cancelled (with its reason). */
  cancelledVisitIds: string[];

  static from(c: VisitRoomClosure, cancelled: string[]): VisitRoomClosureDto {
    return {
      id: c.id,
      roomId: c.roomId,
      fromDate: c.from,
      toDate: c.to,
      reason: c.reason,
      createdAt: c.createdAt.toISOString(),
      cancelledVisitIds: cancelled,
    };
  }
}

export class AvailabilityQueryDto {
  /** First local date. */
  @ApiLocalDate()
  @IsLocalDate()
  from: string;

  /** Last local date (included); at most 92 dates from `from`. */
  @ApiLocalDate()
  @IsLocalDate()
  to: string;

  /** Count only rooms that hold this many visitors (default 1). */
  @Omittable()
  @QueryInt()
  @IsInt()
  @Min(1)
  @Max(20)
  visitors?: number;
}

export class AvailabilityDateDto {
  @ApiLocalDate()
  date: string;
  /** Whether a visit starting this date may be booked today (tomorrow up to the booking window). */
  bookable: boolean;
  /**
   * Rooms free for a visit starting this date and lasting 1, 2 and 3 days (`freeRooms[0]` is
   * one day); 0 for a length over `visits.long.maxDays` in force on this date.
   */
  freeRooms: number[];
}

export class AvailabilityDto {
  facilityId: string;
  @ApiLocalDate()
  fromDate: string;
  @ApiLocalDate()
  toDate: string;
  visitors: number;
  dates: AvailabilityDateDto[];
}
