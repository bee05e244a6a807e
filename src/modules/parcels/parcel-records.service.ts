import { Injectable } from '@nestjs/common';
import { Principal } from '../../common/auth/principal';
import { NotFoundError } from '../../common/errors/domain-error';
import {
  decodeCursor,
  listScope,
  Page,
  pageLimit,
  PageQueryDto,
  toPage,
} from '../../common/http/pagination';
import { Clock } from '../../common/time/clock';
import { AccessService } from '../access/access.service';
import { FacilitiesService } from '../facilities/facilities.service';
import { PrisonerRegistryService } from '../facilities/prisoner-registry.service';
import { PolicyService } from '../policies/policy.service';
import { ParcelKind } from './domain/intake.rules';
import {
  AllowanceDto,
  FacilityParcelsQueryDto,
  ParcelAllowanceDto,
  ParcelDto,
  ParcelEventDto,
  ParcelWithHistoryDto,
} from './dto/parcel.dto';
import { ParcelEntity } from './entities/parcel.entity';
import { periodOf, ParcelRulesService } from './parcel-rules.service';
import { ParcelsRepository } from './parcels.repository';

/** What is known after intake: the allowance left, a parcel with its history, the lists. */
@Injectable()
export class ParcelRecordsService {
  constructor(
    private readonly parcels: ParcelsRepository,
    private readonly facilities: FacilitiesService,
    private readonly prisoners: PrisonerRegistryService,
    private readonly policies: PolicyService,
    private readonly rules: ParcelRulesService,
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
      decodeCursor(q.cursor, listScope('parcels-of-prisoner', prisonerId)),
      limit,
    );
    return toPage(rows, limit, keyOf, ParcelDto.from, listScope('parcels-of-prisoner', prisonerId));
  }

  async forFacilityDay(
    facilityId: string,
    q: FacilityParcelsQueryDto,
    actor: Principal,
  ): Promise<Page<ParcelDto>> {
    const facility = await this.facilities.require(facilityId, actor);
    const localDate = q.date ?? periodOf(this.clock.now(), facility.timeZone).localDate;
    const limit = pageLimit(q);
    const list = listScope('parcels-of-day', facilityId, q.date);
    const rows = await this.parcels.list(
      { facilityId, localDate },
      decodeCursor(q.cursor, list),
      limit,
    );
    return toPage(rows, limit, keyOf, ParcelDto.from, list);
  }
}

function keyOf(p: ParcelEntity) {
  return { k: p.registeredAt.toISOString(), id: p.id };
}
