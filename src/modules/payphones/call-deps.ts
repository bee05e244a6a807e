import { Injectable } from '@nestjs/common';
import { Clock } from '../../common/time/clock';
import { AuditService } from '../audit/audit.service';
import { FacilitiesService } from '../facilities/facilities.service';
import { PrisonerRegistryService } from '../facilities/prisoner-registry.service';
import { PolicyService } from '../policies/policy.service';
import { CallPolicyService } from './call-policy.service';

/** What a call decision reads from other modules (kept together to keep the constructor short). */
@Injectable()
export class CallDeps {
  constructor(
    readonly facilities: FacilitiesService,
    readonly prisoners: PrisonerRegistryService,
    readonly policies: PolicyService,
    readonly rules: CallPolicyService,
    readonly audit: AuditService,
    readonly clock: Clock,
  ) {}
}
