import { Injectable } from '@nestjs/common';
import { Principal } from '../../common/auth/principal';
import { isUniqueViolation } from '../../common/database/pg-errors';
import { UnitOfWork } from '../../common/database/unit-of-work';
import { DomainError, NotFoundError } from '../../common/errors/domain-error';
import { Clock } from '../../common/time/clock';
import {
  decodeCursor,
  listScope,
  Page,
  pageLimit,
  PageQueryDto,
  toPage,
} from '../../common/http/pagination';
import {
  CreatePrisonerDto,
  PrisonerDto,
  PrisonerHistoryDto,
  ConditionsChangeDto,
  TransferDto,
} from './dto/prisoner.dto';
import { PrisonerEntity } from './entities/prisoner.entity';
import { FacilitiesService } from './facilities.service';
import { PrisonersRepository } from './prisoners.repository';
import { AccessService } from '../access/access.service';
import { AuditService } from '../audit/audit.service';

/** Registration and reading of prisoners. */
@Injectable()
export class PrisonerRegistryService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly prisoners: PrisonersRepository,
    private readonly facilities: FacilitiesService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly access: AccessService,
  ) {}

  async register(
    facilityId: string,
    dto: CreatePrisonerDto,
    actor: Principal,
  ): Promise<PrisonerDto> {
    await this.facilities.require(facilityId, actor);
    const conditions = dto.conditions ?? 'ordinary';
    try {
      const p = await this.uow.run(async () => {
        const now = this.clock.now();
        const created = await this.prisoners.insert({
          facilityId,
          personalNumber: dto.personalNumber,
          fullName: dto.fullName,
          securityLevel: dto.securityLevel,
          conditions,
          status: 'held',
          createdAt: now,
        });
        await this.prisoners.recordConditionsChange({
          prisonerId: created.id,
          facilityId,
          fromConditions: null,
          toConditions: conditions,
          reason: 'registration',
          changedBy: actor.id,
          changedAt: now,
        });
        this.audit.record({
          action: 'prisoner.register',
          targetType: 'prisoner',
          targetId: created.id,
          facilityId,
          summary: {
            personalNumber: created.personalNumber,
            fullName: created.fullName,
            securityLevel: created.securityLevel,
            conditions,
          },
          actor,
        });
        return created;
      });
      return PrisonerDto.from(p);
    } catch (err) {
      if (isUniqueViolation(err, 'prisoners_personal_number_key')) {
        throw new DomainError(
          'PERSONAL_NUMBER_TAKEN',
          'A prisoner with this personal number is registered',
          [{ field: 'personalNumber', message: 'already registered' }],
        );
      }
      throw err;
    }
  }

  async get(id: string, actor: Principal): Promise<PrisonerDto> {
    return PrisonerDto.from(await this.require(id, actor));
  }

  /** The prisoner, if the actor may touch them (the access service says); 404 otherwise. */
  async require(id: string, actor?: Principal): Promise<PrisonerEntity> {
    const p = await this.prisoners.findById(id);
    if (!p) throw new NotFoundError('Prisoner');
    if (actor) await this.access.requireHeld(actor, 'prisoner', p);
    return p;
  }

  /**
   * The prisoner as a decision about them must see it (inside the caller's transaction): a move
   * between conditions or facilities waits until the decision commits, and the other way round.
   */
  findForDecision(id: string): Promise<PrisonerEntity | null> {
    return this.prisoners.findByIdForShare(id);
  }

  /**
   * `findForDecision` as the first piece of a hot path's statement that finds the prisoner through
   * something else (see PrisonersRepository.forDecisionLookup): the prisoner is locked before
   * whatever the statement locks after it, the order every decision keeps.
   */
  decisionLookup(idSql: string): {
    sql: string;
    map: (row: Record<string, unknown>) => PrisonerEntity | null;
  } {
    return this.prisoners.forDecisionLookup(idSql);
  }

  /** The prisoner with this personal number if held in this facility now, else null. */
  async findHeldIn(facilityId: string, personalNumber: string): Promise<PrisonerEntity | null> {
    const p = await this.prisoners.findByPersonalNumber(personalNumber);
    return p && p.facilityId === facilityId && p.status === 'held' ? p : null;
  }

  async listByFacility(
    facilityId: string,
    actor: Principal,
    q: PageQueryDto,
  ): Promise<Page<PrisonerDto>> {
    await this.facilities.require(facilityId, actor);
    const limit = pageLimit(q);
    const list = listScope('prisoners', facilityId);
    const rows = await this.prisoners.listByFacility(
      facilityId,
      decodeCursor(q.cursor, list),
      limit,
    );
    return toPage(rows, limit, (p) => ({ k: p.personalNumber, id: p.id }), PrisonerDto.from, list);
  }

  async history(id: string, actor: Principal): Promise<PrisonerHistoryDto> {
    await this.require(id, actor);
    const [conditions, transfers] = await Promise.all([
      this.prisoners.conditionsHistory(id),
      this.prisoners.transfers(id),
    ]);
    return {
      conditions: conditions.map(ConditionsChangeDto.from),
      transfers: transfers.map(TransferDto.from),
    };
  }
}
