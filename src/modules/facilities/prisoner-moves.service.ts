import { Injectable } from '@nestjs/common';
import { Principal } from '../../common/auth/principal';
import { UnitOfWork } from '../../common/database/unit-of-work';
import { NotFoundError } from '../../common/errors/domain-error';
import { Clock } from '../../common/time/clock';
import { assertCanChangeConditions, assertCanTransfer } from './domain/prisoner.rules';
import { ChangeConditionsDto, PrisonerDto, TransferPrisonerDto } from './dto/prisoner.dto';
import { PrisonerEntity } from './entities/prisoner.entity';
import { FacilitiesService } from './facilities.service';
import { PrisonerConditionsChanged, PrisonerTransferred } from './prisoner-events';
import { PrisonersRepository } from './prisoners.repository';
import { AccessService } from '../access/access.service';
import { AuditService } from '../audit/audit.service';

/**
 * Moves of a prisoner: between conditions of serving, and between facilities. Each is kept in
 * history and raised as an event, for the modules that follow a prisoner (links, visits…).
 */
@Injectable()
export class PrisonerMovesService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly prisoners: PrisonersRepository,
    private readonly facilities: FacilitiesService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly access: AccessService,
  ) {}

  changeConditions(id: string, dto: ChangeConditionsDto, actor: Principal): Promise<PrisonerDto> {
    return this.uow.run(async () => {
      const p = await this.lockInScope(id, actor);
      assertCanChangeConditions(p, dto.conditions);
      const at = this.clock.now();
      await this.prisoners.recordConditionsChange({
        prisonerId: p.id,
        facilityId: p.facilityId,
        fromConditions: p.conditions,
        toConditions: dto.conditions,
        reason: dto.reason,
        changedBy: actor.id,
        changedAt: at,
      });
      this.audit.record({
        action: 'prisoner.change-conditions',
        targetType: 'prisoner',
        targetId: p.id,
        facilityId: p.facilityId,
        summary: { from: p.conditions, to: dto.conditions, reason: dto.reason },
        actor,
      });
      this.uow.publish(
        new PrisonerConditionsChanged({
          prisonerId: p.id,
          facilityId: p.facilityId,
          from: p.conditions,
          to: dto.conditions,
          actorId: actor.id,
          at,
        }),
      );
      return PrisonerDto.from(await this.prisoners.update(p, { conditions: dto.conditions }, at));
    });
  }

  transfer(id: string, dto: TransferPrisonerDto, actor: Principal): Promise<PrisonerDto> {
    return this.uow.run(async () => {
      const p = await this.lockInScope(id, actor);
      // The destination must exist and be within the actor's scope too.
      await this.facilities.require(dto.toFacilityId, actor);
      assertCanTransfer(p, dto.toFacilityId);
      const at = this.clock.now();
      await this.prisoners.recordTransfer({
        prisonerId: p.id,
        fromFacilityId: p.facilityId,
        toFacilityId: dto.toFacilityId,
        reason: dto.reason ?? null,
        transferredBy: actor.id,
        transferredAt: at,
      });
      // Both facilities' chains keep the move: one saw the prisoner leave, the other arrive.
      const summary = {
        fromFacilityId: p.facilityId,
        toFacilityId: dto.toFacilityId,
        reason: dto.reason ?? null,
      };
      this.audit.record({
        action: 'prisoner.transfer-out',
        targetType: 'prisoner',
        targetId: p.id,
        facilityId: p.facilityId,
        summary,
        actor,
      });
      this.audit.record({
        action: 'prisoner.transfer-in',
        targetType: 'prisoner',
        targetId: p.id,
        facilityId: dto.toFacilityId,
        summary,
        actor,
      });
      this.uow.publish(
        new PrisonerTransferred({
          prisonerId: p.id,
          fromFacilityId: p.facilityId,
          toFacilityId: dto.toFacilityId,
          actorId: actor.id,
          at,
        }),
      );
      return PrisonerDto.from(await this.prisoners.update(p, { facilityId: dto.toFacilityId }, at));
    });
  }

  private async lockInScope(id: string, actor: Principal): Promise<PrisonerEntity> {
    const p = await this.prisoners.findByIdForUpdate(id);
    if (!p) throw new NotFoundError('Prisoner');
    await this.access.requireHeld(actor, 'prisoner', p);
    return p;
  }
}
