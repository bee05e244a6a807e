import { Injectable } from '@nestjs/common';
import { Principal } from '../../common/auth/principal';
import { UnitOfWork } from '../../common/database/unit-of-work';
import { Clock } from '../../common/time/clock';
import { AuditService } from '../audit/audit.service';
import { FacilitiesService } from '../facilities/facilities.service';
import { PrisonerRegistryService } from '../facilities/prisoner-registry.service';
import { PolicyService } from '../policies/policy.service';
import { decideIntake } from './domain/intake.rules';
import { AllowanceDto, IntakeDecisionDto, ParcelDto, RegisterParcelDto } from './dto/parcel.dto';
import { periodOf, ParcelRulesService } from './parcel-rules.service';
import { ParcelsRepository } from './parcels.repository';

/**
 * Intake at the counter: decides accept or refuse from the policy in force at this instant in the
 * facility, for the prisoner's level and conditions, and stores the decision either way.
 */
@Injectable()
export class ParcelIntakeService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly parcels: ParcelsRepository,
    private readonly facilities: FacilitiesService,
    private readonly prisoners: PrisonerRegistryService,
    private readonly policies: PolicyService,
    private readonly rules: ParcelRulesService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async register(
    facilityId: string,
    dto: RegisterParcelDto,
    actor: Principal,
  ): Promise<IntakeDecisionDto> {
    const facility = await this.facilities.require(facilityId, actor);
    const kind = dto.kind ?? 'parcel';
    const now = this.clock.now();
    const period = periodOf(now, facility.timeZone);
    const policy = await this.policies.resolve(facilityId, now);

    return this.uow.run(async () => {
      const p = await this.prisoners.findForDecision(dto.prisonerId);
      const here = p !== null && p.facilityId === facilityId && p.status === 'held';
      const { rules, versionIds } = this.rules.rulesFor(policy, kind, here ? p : null);
      let received = 0;
      if (here) {
        await this.parcels.lockAllowance(p.id, period.year, kind);
        received = await this.parcels.countAgainstAllowance(p.id, period.year, kind);
      }
      const reasons = decideIntake(rules, {
        kind,
        weightGrams: dto.weightGrams,
        categories: dto.items.map((i) => i.category),
        prisonerHere: here,
        receivedThisYear: received,
      });
      const accepted = reasons.length === 0;
      const parcel = await this.parcels.insert({
        facilityId,
        requestedPrisonerId: dto.prisonerId,
        prisonerId: here ? p.id : null,
        kind,
        senderName: dto.senderName,
        weightGrams: dto.weightGrams,
        items: dto.items,
        outcome: accepted ? 'accepted' : 'refused',
        reasons,
        policyVersionIds: versionIds,
        status: accepted ? 'received' : null,
        countsAgainstAllowance: accepted,
        periodYear: period.year,
        localDate: period.localDate,
        registeredAt: now,
        registeredByKind: actor.kind === 'terminal' ? 'terminal' : 'staff',
        registeredById: actor.id,
      });
      this.audit.record({
        action: accepted ? 'parcel.accept' : 'parcel.refuse',
        targetType: 'parcel',
        targetId: parcel.id,
        facilityId,
        summary: {
          prisonerId: dto.prisonerId,
          kind,
          weightGrams: dto.weightGrams,
          reasons: reasons.map((r) => r.code),
        },
        policyVersionIds: versionIds,
        actor,
      });
      return {
        ...ParcelDto.from(parcel),
        allowance:
          here && rules.perYear !== null
            ? AllowanceDto.of(period, rules, received + (accepted ? 1 : 0))
            : null,
      };
    });
  }
}
