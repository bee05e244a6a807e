import { Injectable } from '@nestjs/common';
import { DomainError } from '../../common/errors/domain-error';
import type { Conditions, SecurityLevel } from '../facilities/domain/prisoner.rules';
import { PolicyService, ResolvedPolicy } from '../policies/policy.service';
import type { Hours } from './domain/hours';

export interface CallPolicy extends Hours {
  maxCallMinutes: number;
  tariffMinorPerMinute: number;
  /** The prisoner's calls a month (undefined when no prisoner is known). */
  callsPerMonth?: number;
  /** The versions that supplied these values, to be recorded with the decision. */
  versionIds: string[];
}

const KEYS = {
  openTime: 'payphones.openTime',
  closeTime: 'payphones.closeTime',
  maxCallMinutes: 'payphones.maxCallMinutes',
  tariffMinorPerMinute: 'payphones.tariffMinorPerMinute',
} as const;
const CALLS_PER_MONTH = 'payphones.callsPerMonth';

/** Reads the payphone rules of a resolved policy (for one prisoner's level and conditions). */
@Injectable()
export class CallPolicyService {
  constructor(private readonly policies: PolicyService) {}

  hours(policy: ResolvedPolicy): Hours & { versionIds: string[] } {
    const open = this.policies.valueFor<string>(policy, KEYS.openTime);
    const close = this.policies.valueFor<string>(policy, KEYS.closeTime);
    if (open.value === undefined || close.value === undefined)
      throw new DomainError('POLICY_MISSING', 'No policy in force sets the payphones’ hours');
    return {
      openTime: open.value,
      closeTime: close.value,
      versionIds: unique([open.versionId, close.versionId]),
    };
  }

  rules(
    policy: ResolvedPolicy,
    prisoner: { securityLevel: SecurityLevel; conditions: Conditions } | null,
  ): CallPolicy {
    const hours = this.hours(policy);
    const max = this.policies.valueFor<number>(policy, KEYS.maxCallMinutes);
    const tariff = this.policies.valueFor<number>(policy, KEYS.tariffMinorPerMinute);
    const perMonth = prisoner
      ? this.policies.valueFor<number>(policy, CALLS_PER_MONTH, prisoner)
      : undefined;
    const missing = [
      max.value === undefined && KEYS.maxCallMinutes,
      tariff.value === undefined && KEYS.tariffMinorPerMinute,
      prisoner && perMonth?.value === undefined && CALLS_PER_MONTH,
    ].filter(Boolean);
    if (missing.length)
      throw new DomainError('POLICY_MISSING', `No policy in force sets ${missing.join(', ')}`);
    return {
      openTime: hours.openTime,
      closeTime: hours.closeTime,
      maxCallMinutes: max.value!,
      tariffMinorPerMinute: tariff.value!,
      callsPerMonth: perMonth?.value,
      versionIds: unique([
        ...hours.versionIds,
        max.versionId,
        tariff.versionId,
        perMonth?.versionId,
      ]),
    };
  }
}

function unique(ids: Array<string | undefined>): string[] {
  return [...new Set(ids.filter((id): id is string => typeof id === 'string'))];
}
