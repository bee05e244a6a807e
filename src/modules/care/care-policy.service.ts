import { Injectable } from '@nestjs/common';
import { DateTime } from 'luxon';
import { DomainError } from '../../common/errors/domain-error';
import { Clock } from '../../common/time/clock';
import { FacilitiesService } from '../facilities/facilities.service';
import { PolicyService } from '../policies/policy.service';

export type CareKey =
  'care.orderlyPositions' | 'care.maxAssistedPerOrderly' | 'care.orderlyMonthlyWageMinor';

export interface CareValue {
  value: number;
  versionId: string;
}

/** The facility's calendar and care's policy values, as the use cases of care read them. */
@Injectable()
export class CarePolicy {
  constructor(
    private readonly facilities: FacilitiesService,
    private readonly policies: PolicyService,
    private readonly clock: Clock,
  ) {}

  /** The facility's local date at `at` (the use case's clock by default). */
  async localDate(facilityId: string, at: Date = this.clock.now()): Promise<string> {
    const zone = (await this.facilities.require(facilityId)).timeZone;
    return DateTime.fromJSDate(at, { zone }).toISODate()!;
  }

  /** A care key in force in the facility at `at`; POLICY_MISSING when no version sets it. */
  async value(facilityId: string, key: CareKey, at: Date = this.clock.now()): Promise<CareValue> {
    const policy = await this.policies.resolve(facilityId, at);
    const v = this.policies.valueFor<number>(policy, key);
    if (v.value === undefined || v.versionId === undefined) {
      throw new DomainError('POLICY_MISSING', `No policy in force sets ${key}`);
    }
    return { value: v.value, versionId: v.versionId };
  }

  /** The instant a local date begins in the facility. */
  async startOf(facilityId: string, day: string): Promise<Date> {
    const zone = (await this.facilities.require(facilityId)).timeZone;
    return DateTime.fromISO(day, { zone }).startOf('day').toJSDate();
  }
}
