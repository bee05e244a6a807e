import { Injectable } from '@nestjs/common';
import { Principal } from '../../common/auth/principal';
import { UnitOfWork } from '../../common/database/unit-of-work';
import { DomainError, NotFoundError } from '../../common/errors/domain-error';
import { decodeCursor, Page, pageLimit, PageQueryDto, toPage } from '../../common/http/pagination';
import { Clock } from '../../common/time/clock';
import { AccessService } from '../access/access.service';
import { AuditService } from '../audit/audit.service';
import { FacilitiesService } from '../facilities/facilities.service';
import { PrisonerRegistryService } from '../facilities/prisoner-registry.service';
import { PolicyService } from '../policies/policy.service';
import { ParcelKind, transition } from './domain/intake.rules';
import {
  AllowanceDto,
  ChangeParcelStatusDto,
  FacilityParcelsQueryDto,
  ParcelAllowanceDto,
  ParcelDto,
  ParcelEventDto,
  ParcelWithHistoryDto,
} from './dto/parcel.dto';
import { ParcelEntity } from './entities/parcel.entity';
import { periodOf, ParcelRulesService } from './parcel-rules.service';
import { ParcelsRepository } from './parcels.repository';

/** Everything after intake: the allowance left, the parcel's life, the lists. */
@Injectable()
export class ParcelRecordsService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly parcels: ParcelsRepository,
    private readonly facilities: FacilitiesService,
    private readonly prisoners: PrisonerRegistryService,
    private readonly policies: PolicyService,
    private readonly rules: ParcelRulesService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly access: AccessService,
  ) {}

  async allowance(prisonerId: string, actor: Principal): Promise<ParcelAllowanceDto> {
    const p = await this.prisoners.require(prisonerId, actor);
    const facility = await this.facilities.require(p.facilityId);
    const now = this.clock.now();
    const period = periodOf(now, facility.timeZone);
    const policy = await this.policies.resolve(p.facilityId, now);
    const ids = new Set<string>();
    const one = async (kind: ParcelKind): Promise<AllowanceDto> => {
      const { rules, versionIds } = this.rules.rulesFor(policy, kind, p);
      versionIds.forEach((id) => ids.add(id));
      const received = await this.parcels.countAgainstAllowance(p.id, period.year, kind);
      return AllowanceDto.of(period, rules, received);
    };
    const parcel = await one('parcel');
    const small = await one('small-parcel');
    return {
      prisonerId: p.id,
      facilityId: p.facilityId,
      ...parcel,
      small,
      policyVersionIds: [...ids],
    };
  }

  changeStatus(id: string, dto: ChangeParcelStatusDto, actor: Principal): Promise<ParcelDto> {
    return this.uow.run(async () => {
      const parcel = await this.parcels.findByIdForUpdate(id);
      if (!parcel) throw new NotFoundError('Parcel');
      await this.access.requireHeld(actor, 'parcel', parcel);
      if (parcel.status === null)
        throw new DomainError('ILLEGAL_TRANSITION', 'A refused parcel has no life after intake');
      const { counts } = transition(parcel.status, dto.status, parcel.countsAgainstAllowance);
      const updated = await this.parcels.updateStatus(parcel, dto.status, counts);
      await this.parcels.recordEvent({
        parcelId: parcel.id,
        fromStatus: parcel.status,
        toStatus: dto.status,
        note: dto.note ?? null,
        seizedItems: dto.seizedItems ?? null,
        actorKind: actor.kind,
        actorId: actor.id,
        occurredAt: this.clock.now(),
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

  async get(id: string, actor: Principal): Promise<ParcelWithHistoryDto> {
    const parcel = await this.parcels.findById(id);
    if (!parcel) throw new NotFoundError('Parcel');
    await this.access.requireHeld(actor, 'parcel', parcel);
    const history = await this.parcels.events(id);
    return { ...ParcelDto.from(parcel), history: history.map(ParcelEventDto.from) };
  }

  async forPrisoner(
    prisonerId: string,
    q: PageQueryDto,
    actor: Principal,
  ): Promise<Page<ParcelDto>> {
    await this.prisoners.require(prisonerId, actor);
    const limit = pageLimit(q);
    // parcels registered for this prisoner elsewhere stay with the facility that decided them
    const rows = await this.parcels.list(
      { prisonerId, facilityScope: this.access.facilityFilter(actor) },
      decodeCursor(q.cursor),
      limit,
    );
    return toPage(rows, limit, keyOf, ParcelDto.from);
  }

  async forFacilityDay(
    facilityId: string,
    q: FacilityParcelsQueryDto,
    actor: Principal,
  ): Promise<Page<ParcelDto>> {
    const facility = await this.facilities.require(facilityId, actor);
    const localDate = q.date ?? periodOf(this.clock.now(), facility.timeZone).localDate;
    const limit = pageLimit(q);
    const rows = await this.parcels.list({ facilityId, localDate }, decodeCursor(q.cursor), limit);
    return toPage(rows, limit, keyOf, ParcelDto.from);
  }
}

function keyOf(p: ParcelEntity) {
  return { k: p.registeredAt.toISOString(), id: p.id };
}
