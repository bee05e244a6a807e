import { IsInt, Max, Min } from 'class-validator';
import { IsId } from '../../../common/http/validators';
import { IsPhoneNumber } from './contact.dto';
import type { CallRow } from '../calls.repository';

/** The longest call a terminal may report: a day (anything longer is not a call). */
export const MAX_REPORTED_SECONDS = 24 * 3600;

export class AuthorizeCallDto {
  @IsId()
  prisonerId: string;

  /** The number dialled, E.164 or as dialled in Kazakhstan. @example "+77011234567" */
  @IsPhoneNumber()
  dialedNumber: string;
}

export class EndCallDto {
  /** How long the call lasted, in whole seconds (0: it never connected). */
  @IsInt({ message: 'durationSeconds must be a whole number of seconds' })
  @Min(0)
  @Max(MAX_REPORTED_SECONDS)
  durationSeconds: number;
}

export class CallReasonDto {
  code: string;
  message: string;
}

export class CallDecisionDto {
  id: string;
  outcome: 'authorized' | 'denied';
  reasons: CallReasonDto[];
  /** How long the call may last (0 when denied): the call is cut off after it. */
  maxDurationSeconds: number;
  tariffMinorPerMinute: number;
  currency: string;
  /** false for a call to a legal contact (a defence lawyer): not listened to. */
  monitored: boolean;
  /** What is held on the card for the call (the most it can cost). */
  heldMinor: number;
  policyVersionIds: string[];
  authorizedAt: string;
  /** When the call must end by (now when denied). */
  endsByAt: string;

  static from(c: CallRow): CallDecisionDto {
    return {
      id: c.id,
      outcome: c.outcome,
      reasons: c.reasons,
      maxDurationSeconds: c.maxDurationSeconds,
      tariffMinorPerMinute: c.tariffMinorPerMinute,
      currency: c.currency,
      monitored: !c.legal,
      heldMinor: c.heldMinor,
      policyVersionIds: c.policyVersionIds,
      authorizedAt: c.authorizedAt.toISOString(),
      endsByAt: c.endsBy.toISOString(),
    };
  }
}

export class CallEndDto {
  id: string;
  /** What the call cost: every started minute at the tariff of its authorisation, at most what was held. */
  chargedMinor: number;
  /** What was held and not charged, released. */
  releasedMinor: number;
  currency: string;
  durationSeconds: number;
  endedAt: string;

  static from(c: CallRow): CallEndDto {
    return {
      id: c.id,
      chargedMinor: c.chargedMinor ?? 0,
      releasedMinor: c.heldMinor - (c.chargedMinor ?? 0),
      currency: c.currency,
      durationSeconds: c.durationSeconds ?? 0,
      endedAt: (c.endedAt ?? c.authorizedAt).toISOString(),
    };
  }
}
