import { Injectable } from '@nestjs/common';
import { DateTime } from 'luxon';
import { DomainError } from '../../common/errors/domain-error';
import type { Conditions, SecurityLevel } from '../facilities/domain/prisoner.rules';
import { PolicyService, ResolvedPolicy } from '../policies/policy.service';
import { IntakeRules, ParcelKind } from './domain/intake.rules';

const KEYS: Record<ParcelKind, { weight: string; perYear: string }> = {
  parcel: { weight: 'parcels.maxWeightGrams', perYear: 'parcels.perYear' },
  'small-parcel': { weight: 'parcels.smallMaxWeightGrams', perYear: 'parcels.smallPerYear' },
};
const PROHIBITED = 'parcels.prohibitedCategories';

export interface Period {
  year: number;
  start: Date;
  end: Date;
  localDate: string;
}

/** The calendar year (and day) an instant falls in, in the facility's zone. */
export function periodOf(at: Date, zone: string): Period {
  const local = DateTime.fromJSDate(at, { zone });
  const start = local.startOf('year');
  return {
    year: local.year,
    start: start.toJSDate(),
    end: start.plus({ years: 1 }).toJSDate(),
    localDate: local.toISODate()!,
  };
}

/** Reads the parcel rules of a resolved policy for one kind and one prisoner. */
@Injectable()
export class ParcelRulesService {
  constructor(private readonly policies: PolicyService) {}

  rulesFor(
    policy: ResolvedPolicy,
    kind: ParcelKind,
    prisoner: { securityLevel: SecurityLevel; conditions: Conditions } | null,
  ): { rules: IntakeRules; versionIds: string[] } {
    const weight = this.policies.valueFor<number>(policy, KEYS[kind].weight);
    const prohibited = this.policies.valueFor<string[]>(policy, PROHIBITED);
    const perYear = prisoner
      ? this.policies.valueFor<number>(policy, KEYS[kind].perYear, prisoner)
      : undefined;
    if (weight.value === undefined || (prisoner && perYear?.value === undefined)) {
      throw new DomainError(
        'POLICY_MISSING',
        `No policy in force sets ${KEYS[kind].weight} or ${KEYS[kind].perYear}`,
      );
    }
    const versionIds = [weight.versionId, prohibited.versionId, perYear?.versionId].filter(
      (id): id is string => typeof id === 'string',
    );
    return {
      rules: {
        maxWeightGrams: weight.value,
        perYear: perYear?.value ?? null,
        prohibitedCategories: prohibited.value ?? [],
      },
      versionIds: [...new Set(versionIds)],
    };
  }
}
