import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { StaffPrincipal } from '../../common/auth/principal';
import { UnitOfWork } from '../../common/database/unit-of-work';
import { DomainError, NotFoundError } from '../../common/errors/domain-error';
import { Clock } from '../../common/time/clock';
import { AuditService } from '../audit/audit.service';
import { PrisonerRegistryService } from '../facilities/prisoner-registry.service';
import { CarePolicy } from './care-policy.service';
import { DisabilitiesRepository } from './disabilities.repository';
import { assertEndDate } from './domain/care-dates';
import { assertNewDisability, assertOpenDisability } from './domain/disability.rules';
import { DisabilityDto, EndDisabilityDto, RecordDisabilityDto } from './dto/disability.dto';

/** Disability records: recorded and ended by the care officers of the facility holding the prisoner. */
@Injectable()
export class DisabilitiesService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly records: DisabilitiesRepository,
    private readonly prisoners: PrisonerRegistryService,
    private readonly care: CarePolicy,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  record(
    prisonerId: string,
    dto: RecordDisabilityDto,
    actor: StaffPrincipal,
  ): Promise<DisabilityDto> {
    return this.uow.run(async () => {
      const p = await this.prisoners.require(prisonerId, actor);
      if (p.status !== 'held') {
        throw new DomainError('PRISONER_NOT_HELD', 'The prisoner is no longer held');
      }
      const now = this.clock.now();
      const today = await this.care.localDate(p.facilityId, now);
      const period = { from: dto.from ?? today, until: dto.until ?? null };
      assertNewDisability(period, today);
      const r = await this.records.insert({
        id: randomUUID(),
        prisonerId: p.id,
        facilityId: p.facilityId,
        kind: dto.kind,
        note: dto.note,
        ...period,
        recordedBy: actor.id,
        recordedAt: now,
      });
      this.audit.record({
        action: 'care.disability-record',
        targetType: 'prisoner',
        targetId: p.id,
        facilityId: p.facilityId,
        summary: { disabilityId: r.id, kind: r.kind, from: r.from, until: r.until },
        actor,
      });
      return DisabilityDto.from(r, today);
    });
  }

  end(id: string, dto: EndDisabilityDto, actor: StaffPrincipal): Promise<DisabilityDto> {
    return this.uow.run(async () => {
      const r = await this.records.findForUpdate(id);
      if (!r) throw new NotFoundError('Disability record');
      // the record is the prisoner's: whoever may reach the prisoner may reach it
      const p = await this.prisoners.require(r.prisonerId, actor).catch((err: unknown) => {
        throw err instanceof NotFoundError ? new NotFoundError('Disability record') : err;
      });
      assertOpenDisability(r);
      const now = this.clock.now();
      const today = await this.care.localDate(p.facilityId, now);
      const until = dto.until ?? today;
      assertEndDate(r, until, today);
      const ended = await this.records.end(r.id, {
        until,
        endedBy: actor.id,
        endedAt: now,
        reason: dto.reason,
      });
      this.audit.record({
        action: 'care.disability-end',
        targetType: 'prisoner',
        targetId: p.id,
        facilityId: p.facilityId,
        summary: { disabilityId: r.id, kind: r.kind, until, reason: dto.reason },
        actor,
      });
      return DisabilityDto.from(ended, today);
    });
  }

  /** The prisoner's records, ended ones included: the history is kept. */
  async list(prisonerId: string, actor: StaffPrincipal): Promise<DisabilityDto[]> {
    const p = await this.prisoners.require(prisonerId, actor);
    const today = await this.care.localDate(p.facilityId);
    return (await this.records.forPrisoner(p.id)).map((r) => DisabilityDto.from(r, today));
  }
}
