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
import { assertNewDisability, assertOpenDisability, needEndedOn } from './domain/disability.rules';
import {
  DisabilityDto,
  EndDisabilityDto,
  EndedDisabilityDto,
  RecordDisabilityDto,
} from './dto/disability.dto';
import { OrderlyAssignmentsRepository } from './orderly-assignments.repository';

/** Disability records: recorded and ended by the care officers of the facility holding the prisoner. */
@Injectable()
export class DisabilitiesService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly records: DisabilitiesRepository,
    private readonly assignments: OrderlyAssignmentsRepository,
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

  /**
   * Ends a record. If it was the last one in force, the prisoner needs no help any more: the
   * assignments assisting them end too, in this transaction, from the day the need ended (kind
   * `need-ended`, the officer's reason), each with its audit event. Locks, in the order every care
   * decision keeps: the prisoner (shared: a transfer waits), then all their records (an assignment
   * being decided, or another end, waits or is waited for), then the assignments.
   */
  end(id: string, dto: EndDisabilityDto, actor: StaffPrincipal): Promise<EndedDisabilityDto> {
    return this.uow.run(async () => {
      const seen = await this.records.find(id);
      if (!seen) throw new NotFoundError('Disability record');
      await this.prisoners.findForDecision(seen.prisonerId);
      // the record is the prisoner's: whoever may reach the prisoner may reach it
      const p = await this.prisoners.require(seen.prisonerId, actor).catch((err: unknown) => {
        throw err instanceof NotFoundError ? new NotFoundError('Disability record') : err;
      });
      const all = await this.records.lockOfPrisoner(p.id);
      const r = all.find((x) => x.id === id)!;
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
      const needEnded = needEndedOn(
        all.map((x) => (x.id === r.id ? ended : x)),
        today,
      );
      const assignments =
        needEnded === null
          ? []
          : await this.assignments.endFor(
              { assistedPrisonerId: p.id },
              {
                until: needEnded,
                kind: 'need-ended',
                reason: `disability record ended: ${dto.reason}`,
                endedBy: actor.id,
                endedAt: now,
              },
            );
      this.audit.record({
        action: 'care.disability-end',
        targetType: 'prisoner',
        targetId: p.id,
        facilityId: p.facilityId,
        summary: {
          disabilityId: r.id,
          kind: r.kind,
          until,
          reason: dto.reason,
          endedAssignmentIds: assignments.map((a) => a.id),
        },
        actor,
      });
      for (const a of assignments) {
        this.audit.record({
          action: 'care.assignment-end',
          targetType: 'orderly-assignment',
          targetId: a.id,
          facilityId: a.facilityId,
          summary: { until: a.until, kind: a.endKind, reason: a.endReason, disabilityId: r.id },
          actor,
        });
      }
      return {
        ...DisabilityDto.from(ended, today),
        endedAssignmentIds: assignments.map((a) => a.id),
      };
    });
  }

  /** The prisoner's records, ended ones included: the history is kept. */
  async list(prisonerId: string, actor: StaffPrincipal): Promise<DisabilityDto[]> {
    const p = await this.prisoners.require(prisonerId, actor);
    const today = await this.care.localDate(p.facilityId);
    return (await this.records.forPrisoner(p.id)).map((r) => DisabilityDto.from(r, today));
  }
}
