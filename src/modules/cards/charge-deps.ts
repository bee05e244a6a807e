import { Injectable } from '@nestjs/common';
import { AccessService } from '../access/access.service';
import { FacilitiesService } from '../facilities/facilities.service';
import { PrisonerRegistryService } from '../facilities/prisoner-registry.service';
import { PolicyService } from '../policies/policy.service';
import { SpendingLimitService } from './spending-limit.service';

/** What a charge decision reads from other modules (kept together to keep the constructor short). */
@Injectable()
export class ChargeDeps {
  constructor(
    readonly facilities: FacilitiesService,
    readonly prisoners: PrisonerRegistryService,
    readonly policies: PolicyService,
    readonly limits: SpendingLimitService,
    readonly access: AccessService,
  ) {}
}
