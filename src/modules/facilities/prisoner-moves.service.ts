import { Injectable } from '@nestjs/common';
import { canAccessFacility, Principal } from '../../common/auth/principal';
import { UnitOfWork } from '../../common/database/unit-of-work';
import { NotFoundError } from '../../common/errors/domain-error';
import { assertCanChangeConditions, assertCanTransfer } from './domain/prisoner.rules';
import { ChangeConditionsDto, PrisonerDto, TransferPrisonerDto } from './dto/prisoner.dto';
import { PrisonerEntity } from './entities/prisoner.entity';
import { FacilitiesService } from './facilities.service';
import { PrisonersRepository } from './prisoners.repository';

/** Moves of a prisoner: between conditions of serving, and between facilities. Each is kept in history. */
@Injectable()
export class PrisonerMovesService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly prisoners: PrisonersRepository,
    private readonly facilities: FacilitiesService,
  ) {}

  changeConditions(id: string, dto: ChangeConditionsDto, actor: Principal): Promise<PrisonerDto> {
    return this.uow.run(async () => {
      const p = await this.lockInScope(id, actor);
      assertCanChangeConditions(p, dto.conditions);
      await this.prisoners.recordConditionsChange({
        prisonerId: p.id,
        facilityId: p.facilityId,
        fromConditions: p.conditions,
        toConditions: dto.conditions,
        reason: dto.reason,
        changedBy: actor.id,
      });
      return PrisonerDto.from(await this.prisoners.update(p, { conditions: dto.conditions }));
    });
  }

  transfer(id: string, dto: TransferPrisonerDto, actor: Principal): Promise<PrisonerDto> {
    return this.uow.run(async () => {
      const p = await this.lockInScope(id, actor);
      // The destination must exist and be within the actor's scope too.
      await this.facilities.require(dto.toFacilityId, actor);
      assertCanTransfer(p, dto.toFacilityId);
      await this.prisoners.recordTransfer({
        prisonerId: p.id,
        fromFacilityId: p.facilityId,
        toFacilityId: dto.toFacilityId,
        reason: dto.reason ?? null,
        transferredBy: actor.id,
      });
      return PrisonerDto.from(await this.prisoners.update(p, { facilityId: dto.toFacilityId }));
    });
  }

  private async lockInScope(id: string, actor: Principal): Promise<PrisonerEntity> {
    const p = await this.prisoners.findByIdForUpdate(id);
    if (!p || !canAccessFacility(actor, p.facilityId)) throw new NotFoundError('Prisoner');
    return p;
  }
}
