import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { StaffPrincipal } from '../../common/auth/principal';
import { UnitOfWork } from '../../common/database/unit-of-work';
import { NotFoundError } from '../../common/errors/domain-error';
import { Clock } from '../../common/time/clock';
import { AccessService } from '../access/access.service';
import { AuditService } from '../audit/audit.service';
import { PrisonerEntity } from '../facilities/entities/prisoner.entity';
import { PrisonerRegistryService } from '../facilities/prisoner-registry.service';
import { CarePolicy } from './care-policy.service';
import { DisabilitiesRepository } from './disabilities.repository';
import { assertAssignable, assertOpen } from './domain/assignment.rules';
import { assertStartDate } from './domain/care-dates';
import { needsOn } from './domain/disability.rules';
import { AssignmentDto, AssignOrderlyDto, EndAssignmentDto } from './dto/assignment.dto';
import { OrderlyAssignmentsRepository } from './orderly-assignments.repository';
import { OrderlyPositionsRepository } from './orderly-positions.repository';

/** Who assists whom: assigned and ended by the care officers of the facility. */
@Injectable()
export class OrderlyAssignmentsService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly assignments: OrderlyAssignmentsRepository,
    private readonly positions: OrderlyPositionsRepository,
    private readonly disabilities: DisabilitiesRepository,
    private readonly prisoners: PrisonerRegistryService,
    private readonly care: CarePolicy,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly access: AccessService,
  ) {}

  /**
   * Locks, in this order: both prisoners (shared: a transfer waits, in the order of their ids),
   * their disability records in force (shared: the end of the last one under way is waited for,
   * and then it is not in force), then the orderly's position row, so two officers assigning to
   * one orderly at once are decided one after the other and the second sees the first's
   * assignment.
   */
  assign(dto: AssignOrderlyDto, actor: StaffPrincipal): Promise<AssignmentDto> {
    return this.uow.run(async () => {
      const locked = new Map<string, PrisonerEntity>();
      for (const id of [dto.orderlyPrisonerId, dto.assistedPrisonerId].sort()) {
        const p = locked.get(id) ?? (await this.prisoners.findForDecision(id));
        if (!p) throw new NotFoundError('Prisoner');
        await this.access.requireHeld(actor, 'prisoner', p);
        locked.set(id, p);
      }
      const orderly = locked.get(dto.orderlyPrisonerId)!;
      const assisted = locked.get(dto.assistedPrisonerId)!;
      const now = this.clock.now();
      const today = await this.care.localDate(orderly.facilityId, now);
      const from = dto.from ?? today;
      assertStartDate(from, today);
      const records = await this.disabilities.inForceOn([orderly.id, assisted.id], today);
      const position = await this.positions.openOfForUpdate(orderly.id);
      const assisting = await this.assignments.openOf([orderly.id]);
      const cap = await this.care.value(orderly.facilityId, 'care.maxAssistedPerOrderly', now);
      const held = (p: PrisonerEntity) => ({
        id: p.id,
        facilityId: p.facilityId,
        held: p.status === 'held',
      });
      assertAssignable({
        orderly: held(orderly),
        assisted: held(assisted),
        position,
        from,
        assistedNeeds: needsOn(
          records.filter((r) => r.prisonerId === assisted.id),
          today,
        ),
        orderlyNeeds: needsOn(
          records.filter((r) => r.prisonerId === orderly.id),
          today,
        ),
        alreadyAssigned: assisting.some((a) => a.assistedPrisonerId === assisted.id),
        assisting: assisting.length,
        maxAssisted: cap.value,
      });
      const a = await this.assignments.insert({
        id: randomUUID(),
        facilityId: orderly.facilityId,
        positionId: position!.id,
        orderlyPrisonerId: orderly.id,
        assistedPrisonerId: assisted.id,
        from,
        assignedBy: actor.id,
        assignedAt: now,
        policyVersionIds: [cap.versionId],
      });
      this.audit.record({
        action: 'care.assignment-create',
        targetType: 'orderly-assignment',
        targetId: a.id,
        facilityId: a.facilityId,
        summary: {
          orderlyPrisonerId: orderly.id,
          assistedPrisonerId: assisted.id,
          from,
          maxAssisted: cap.value,
        },
        policyVersionIds: [cap.versionId],
        actor,
      });
      return AssignmentDto.from(a);
    });
  }

  end(id: string, dto: EndAssignmentDto, actor: StaffPrincipal): Promise<AssignmentDto> {
    return this.uow.run(async () => {
      const a = await this.assignments.findForUpdate(id);
      if (!a || !this.access.inFacility(actor, a.facilityId)) {
        throw new NotFoundError('Orderly assignment');
      }
      assertOpen(a, 'assignment');
      const now = this.clock.now();
      const [ended] = await this.assignments.endFor(
        { id: a.id },
        {
          until: await this.care.localDate(a.facilityId, now),
          kind: 'ended',
          reason: dto.reason,
          endedBy: actor.id,
          endedAt: now,
        },
      );
      this.audit.record({
        action: 'care.assignment-end',
        targetType: 'orderly-assignment',
        targetId: a.id,
        facilityId: a.facilityId,
        summary: { until: ended.until, reason: dto.reason },
        actor,
      });
      return AssignmentDto.from(ended);
    });
  }
}
