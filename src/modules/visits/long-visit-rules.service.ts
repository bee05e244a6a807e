import { Injectable } from '@nestjs/common';
import { DomainError } from '../../common/errors/domain-error';
import type { Conditions, SecurityLevel } from '../facilities/domain/prisoner.rules';
import { PolicyService, ResolvedPolicy } from '../policies/policy.service';
import { BookingRules, startOfDate } from './domain/long-visit.rules';

const KEYS = {
  window: 'visits.long.bookingWindowDays',
  maxDays: 'visits.long.maxDays',
  maxVisitors: 'visits.long.maxVisitors',
  perYear: 'visits.long.perYear',
  documents: 'visits.long.requiredDocuments',
  checkIn: 'visits.long.checkInTime',
  checkOut: 'visits.long.checkOutTime',
} as const;

export interface VisitDayRules {
  checkIn: string;
  checkOut: string;
  maxDays: number;
  /** The versions these values come from. */
  versionIds: string[];
}

/**
 * Reads the long-visit rules of resolved policies. How far ahead one may book is the policy in
 * force now; everything about the visit itself (its length, visitors, times, the entitlement and
 * the documents to bring) is the policy in force on the visit's start date (from its midnight,
 * facility time): a visit dated under the 2015 baseline needs what the baseline asked for.
 */
@Injectable()
export class LongVisitRulesService {
  constructor(private readonly policies: PolicyService) {}

  /** The policy in force in the facility at an instant. */
  at(facilityId: string, at: Date): Promise<ResolvedPolicy> {
    return this.policies.resolve(facilityId, at);
  }

  /** The policy in force on a local date of the facility. */
  onDate(facilityId: string, date: string, zone: string): Promise<ResolvedPolicy> {
    return this.policies.resolve(facilityId, startOfDate(date, zone));
  }

  dayRules(policy: ResolvedPolicy): VisitDayRules {
    const checkIn = this.required<string>(policy, KEYS.checkIn);
    const checkOut = this.required<string>(policy, KEYS.checkOut);
    const maxDays = this.required<number>(policy, KEYS.maxDays);
    return {
      checkIn: checkIn.value,
      checkOut: checkOut.value,
      maxDays: maxDays.value,
      versionIds: [checkIn.versionId, checkOut.versionId, maxDays.versionId],
    };
  }

  bookingWindowDays(now: ResolvedPolicy): { value: number; versionId: string } {
    return this.required<number>(now, KEYS.window);
  }

  /** The rules of a booking for this prisoner, and every version they come from. */
  booking(
    now: ResolvedPolicy,
    onStart: ResolvedPolicy,
    prisoner: { securityLevel: SecurityLevel; conditions: Conditions },
  ): {
    rules: BookingRules;
    requiredDocuments: string[];
    day: VisitDayRules;
    versionIds: string[];
  } {
    const window = this.bookingWindowDays(now);
    const maxVisitors = this.required<number>(onStart, KEYS.maxVisitors);
    const perYear = this.required<number>(onStart, KEYS.perYear, prisoner);
    const documents = this.required<string[]>(onStart, KEYS.documents);
    const day = this.dayRules(onStart);
    const versionIds = [
      window.versionId,
      maxVisitors.versionId,
      perYear.versionId,
      documents.versionId,
      ...day.versionIds,
    ];
    return {
      rules: {
        bookingWindowDays: window.value,
        maxDays: day.maxDays,
        maxVisitors: maxVisitors.value,
        perYear: perYear.value,
      },
      requiredDocuments: documents.value,
      day,
      versionIds: [...new Set(versionIds)].sort(),
    };
  }

  private required<T>(
    policy: ResolvedPolicy,
    key: string,
    prisoner?: { securityLevel: SecurityLevel; conditions: Conditions },
  ): { value: T; versionId: string } {
    const { value, versionId } = this.policies.valueFor<T>(policy, key, prisoner);
    if (value === undefined || versionId === undefined) {
      throw new DomainError('POLICY_MISSING', `No policy in force sets ${key}`);
    }
    return { value, versionId };
  }
}
