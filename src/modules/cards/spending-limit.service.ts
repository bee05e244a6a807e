import { Injectable } from '@nestjs/common';
import { DateTime } from 'luxon';
import { DomainError } from '../../common/errors/domain-error';
import { mciLimitMinor } from '../../common/money';
import type { Conditions, SecurityLevel } from '../facilities/domain/prisoner.rules';
import { PolicyService, ResolvedPolicy } from '../policies/policy.service';

/** The calendar month an instant falls in, in the facility's zone (`YYYY-MM`), and its start. */
export function monthOf(at: Date, zone: string): { month: string; start: Date } {
  const known = months.get(zone);
  const t = at.getTime();
  if (known && t >= known.start.getTime() && t < known.end) return known;
  const local = DateTime.fromJSDate(at, { zone }).startOf('month');
  const m = {
    month: local.toFormat('yyyy-MM'),
    start: local.toJSDate(),
    end: local.plus({ months: 1 }).toMillis(),
  };
  months.set(zone, m);
  return m;
}

// the month last asked for in each zone, with its end (a charge asks for it on every request)
const months = new Map<string, { month: string; start: Date; end: number }>();

/** The shop limit of a prisoner in money, from the policy: monthlySpendingLimitMci × mciMinor. */
@Injectable()
export class SpendingLimitService {
  constructor(private readonly policies: PolicyService) {}

  limitFor(
    policy: ResolvedPolicy,
    prisoner: { securityLevel: SecurityLevel; conditions: Conditions },
  ): { limitMinor: number; versionIds: string[] } {
    const mult = this.policies.valueFor<number>(policy, 'cards.monthlySpendingLimitMci', prisoner);
    const mci = this.policies.valueFor<number>(policy, 'finance.mciMinor');
    if (mult.value === undefined || mci.value === undefined) {
      throw new DomainError(
        'POLICY_MISSING',
        'No policy in force sets cards.monthlySpendingLimitMci or finance.mciMinor',
      );
    }
    return {
      limitMinor: mciLimitMinor(mult.value, mci.value),
      versionIds: [...new Set([mult.versionId!, mci.versionId!])],
    };
  }

  maxDeposit(policy: ResolvedPolicy): {
    maxMinor: number | undefined;
    versionId: string | undefined;
  } {
    const v = this.policies.valueFor<number>(policy, 'cards.maxDepositMinor');
    return { maxMinor: v.value, versionId: v.versionId };
  }
}
