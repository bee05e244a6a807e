import { Injectable } from '@nestjs/common';
import { isUniqueViolation } from '../../common/database/pg-errors';
import { UnitOfWork } from '../../common/database/unit-of-work';
import { DomainError, NotFoundError } from '../../common/errors/domain-error';
import {
  decodeCursor,
  listScope,
  Page,
  pageLimit,
  PageQueryDto,
  toPage,
} from '../../common/http/pagination';
import { isNational, Principal } from '../../common/auth/principal';
import { AccessService } from '../access/access.service';
import { CreateFacilityDto, FacilityDto } from './dto/facility.dto';
import { FacilityEntity } from './entities/facility.entity';
import { FacilitiesRepository } from './facilities.repository';
import { AuditService } from '../audit/audit.service';
import { Clock } from '../../common/time/clock';

@Injectable()
export class FacilitiesService {
  private readonly known = new Map<string, FacilityEntity>();

  constructor(
    private readonly uow: UnitOfWork,
    private readonly facilities: FacilitiesRepository,
    private readonly audit: AuditService,
    private readonly access: AccessService,
    private readonly clock: Clock,
  ) {}

  async create(dto: CreateFacilityDto, actor: Principal): Promise<FacilityDto> {
    // A facility-scoped admin could not see what they create: facilities are a national matter.
    if (!isNational(actor))
      throw new DomainError('FORBIDDEN', 'Only national administrators create facilities');
    try {
      const f = await this.uow.run(async () => {
        const created = await this.facilities.insert({
          code: dto.code,
          name: dto.name,
          timeZone: dto.timeZone,
          createdAt: this.clock.now(),
        });
        this.audit.record({
          action: 'facility.create',
          targetType: 'facility',
          targetId: created.id,
          facilityId: null,
          summary: { code: created.code, name: created.name, timeZone: created.timeZone },
          actor,
        });
        return created;
      });
      return FacilityDto.from(f);
    } catch (err) {
      if (isUniqueViolation(err, 'facilities_code_key')) {
        throw new DomainError('FACILITY_CODE_TAKEN', `A facility with code ${dto.code} exists`, [
          { field: 'code', message: 'already taken' },
        ]);
      }
      throw err;
    }
  }

  /** The facility with this code, created if absent (first-start and demo data). */
  async createOrGet(dto: CreateFacilityDto, actor: Principal): Promise<FacilityEntity> {
    const existing = await this.facilities.findByCode(dto.code);
    if (existing) return existing;
    const created = await this.create(dto, actor);
    return this.require(created.id);
  }

  async get(id: string, actor: Principal): Promise<FacilityDto> {
    return FacilityDto.from(await this.require(id, actor));
  }

  /** The facility, if it exists and the actor's scope covers it; 404 otherwise. */
  async require(id: string, actor?: Principal): Promise<FacilityEntity> {
    // facilities are never changed or removed once created, so a found one is kept in memory
    // (its zone decides past answers: the database refuses to change it)
    let f = this.known.get(id) ?? null;
    if (!f) {
      f = await this.facilities.findById(id);
      if (f) this.known.set(id, f);
    }
    if (!f) throw new NotFoundError('Facility');
    if (actor) this.access.requireFacility(actor, id);
    return f;
  }

  async list(actor: Principal, q: PageQueryDto): Promise<Page<FacilityDto>> {
    const limit = pageLimit(q);
    const scope = this.access.directoryFilter(actor);
    const list = listScope('facilities');
    const rows = await this.facilities.list(scope, decodeCursor(q.cursor, list), limit);
    return toPage(rows, limit, (f) => ({ k: f.code, id: f.id }), FacilityDto.from, list);
  }

  /** The time zones facilities are in (for rules that must hold in every one of them). */
  distinctZones(): Promise<string[]> {
    return this.facilities.distinctZones();
  }

  /** Ids among `ids` that name no facility. */
  async missing(ids: readonly string[]): Promise<string[]> {
    const found = await this.facilities.existingIds(ids);
    return ids.filter((id) => !found.has(id));
  }
}
