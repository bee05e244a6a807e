import { Injectable } from '@nestjs/common';
import { Principal } from '../../common/auth/principal';
import { UnitOfWork } from '../../common/database/unit-of-work';
import { DomainError, NotFoundError } from '../../common/errors/domain-error';
import { Clock } from '../../common/time/clock';
import { AccessService } from '../access/access.service';
import { AuditService } from '../audit/audit.service';
import { transition } from './domain/intake.rules';
import { ChangeParcelStatusDto, ParcelDto } from './dto/parcel.dto';
import { ParcelsRepository } from './parcels.repository';

/** A parcel's life after intake: each change of status, its history row and its audit event. */
@Injectable()
export class ParcelStatusService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly parcels: ParcelsRepository,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly access: AccessService,
  ) {}

  changeStatus(id: string, dto: ChangeParcelStatusDto, actor: Principal): Promise<ParcelDto> {
    return this.uow.run(async () => {
      const parcel = await this.parcels.findByIdForUpdate(id);
      if (!parcel) throw new NotFoundError('Parcel');
      await this.access.requireHeld(actor, 'parcel', parcel);
      if (parcel.status === null)
        throw new DomainError('ILLEGAL_TRANSITION', 'A refused parcel has no life after intake');
      const { counts } = transition(parcel.status, dto.status, parcel.countsAgainstAllowance);
      const now = this.clock.now();
      const updated = await this.parcels.updateStatus(parcel, dto.status, counts, now);
      await this.parcels.recordEvent({
        parcelId: parcel.id,
        fromStatus: parcel.status,
        toStatus: dto.status,
        note: dto.note ?? null,
        seizedItems: dto.seizedItems ?? null,
        actorKind: actor.kind,
        actorId: actor.id,
        occurredAt: now,
      });
      this.audit.record({
        action: `parcel.${dto.status}`,
        targetType: 'parcel',
        targetId: parcel.id,
        facilityId: parcel.facilityId,
        summary: {
          from: parcel.status,
          to: dto.status,
          note: dto.note ?? null,
          seizedItems: dto.seizedItems ?? null,
          countsAgainstAllowance: counts,
        },
        actor,
      });
      return ParcelDto.from(updated);
    });
  }
}
