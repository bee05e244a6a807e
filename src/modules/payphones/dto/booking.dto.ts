import { IsInt, Max, Min } from 'class-validator';
import {
  IsId,
  IsInstantDate,
  IsLocalDate,
  IsText,
  Omittable,
} from '../../../common/http/validators';
import { ApiLocalDate } from '../../../common/openapi/formats';
import type { BookingRow } from '../bookings.repository';

export class CreateBookingDto {
  @IsId()
  prisonerId: string;

  /** When the booking starts (inside the payphones' hours of that day). @example "2027-02-10T20:45:00+05:00" */
  @IsInstantDate()
  startsAt: Date;

  /** How long, in whole minutes. */
  @IsInt({ message: 'minutes must be a whole number of minutes' })
  @Min(1)
  @Max(240)
  minutes: number;
}

export class CancelBookingDto {
  /** Why (kept with the booking). */
  @Omittable()
  @IsText(1000, { multiline: true })
  reason?: string;
}

export class SlotsQueryDto {
  /** The local date in the facility. */
  @ApiLocalDate()
  @IsLocalDate()
  date: string;
}

export class BookingDto {
  id: string;
  terminalId: string;
  prisonerId: string;
  startsAt: string;
  endsAt: string;
  status: 'booked' | 'cancelled';
  policyVersionIds: string[];
  createdAt: string;
  cancelledAt: string | null;

  static from(b: BookingRow): BookingDto {
    return {
      id: b.id,
      terminalId: b.terminalId,
      prisonerId: b.prisonerId,
      startsAt: b.startsAt.toISOString(),
      endsAt: b.endsAt.toISOString(),
      status: b.status,
      policyVersionIds: b.policyVersionIds,
      createdAt: b.createdAt.toISOString(),
      cancelledAt: b.cancelledAt?.toISOString() ?? null,
    };
  }
}

export class SlotDto {
  startsAt: string;
  endsAt: string;
  free: boolean;
  /** The bookings overlapping it (none when free). */
  bookings: BookingDto[];
}

export class PhoneDayDto {
  terminalId: string;
  @ApiLocalDate()
  date: string;
  /** Opening and closing that day (the policy in force on it), as instants. */
  opensAt: string;
  closesAt: string;
  slotMinutes: number;
  slots: SlotDto[];
  policyVersionIds: string[];
}
