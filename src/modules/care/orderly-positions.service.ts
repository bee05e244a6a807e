import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { StaffPrincipal } from '../../common/auth/principal';
import { UnitOfWork } from '../../common/database/unit-of-work';
import { DomainError, NotFoundError } from '../../common/errors/domain-error';
import { Clock } from '../../common/time/clock';
import { AccessService } from '../access/access.service';
import { AuditService } from '../audit/audit.service';
import { FacilitiesService } from '../facilities/facilities.service';
import { PrisonerRegistryService } from '../facilities/prisoner-registry.service';
import { CarePolicy } from './care-policy.service';
import { assertOpen, assertPositionFree } from './domain/assignment.rules';
import { assertStartDate } from './domain/care-dates';
import { AppointOrderlyDto, DismissOrderlyDto, OrderlyDto } from './dto/orderly.dto';
import { OrderlyAssignmentsRepository } from './orderly-assignments.repository';
import { OrderlyPositionsRepository } from './orderly-positions.repository';

/** Orderly positions: a care officer appoints a prisoner of the facility, and dismisses them. */
@Injectable()
export class OrderlyPositionsService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly positions: OrderlyPositionsRepository,
    private readonly assignments: OrderlyAssignmentsRepository,
    private readonly prisoners: PrisonerRegistryService,
    private readonly care: CarePolicy,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly access: AccessService,
    private readonly facilities: FacilitiesService,
  ) {}

  appoint(facilityId: string, dto: AppointOrderlyDto, actor: StaffPrincipal): Promise<OrderlyDto> {
    return this.uow.run(async () => {
      await this.facilities.require(facilityId, actor);
      // the prisoner stays where they are until this commits (a transfer waits)
      const p = await this.prisoners.findForDecision(dto.prisonerId);
      if (!p) throw new NotFoundError('Prisoner');
      await this.access.requireHeld(actor, 'prisoner', p);
      if (p.facilityId !== facilityId || p.status !== 'held') {
        throw new DomainError(
          'PRISONER_NOT_IN_FACILITY',
          'The prisoner is not held in this facility',
          [{ field: 'prisonerId', message: 'not held in this facility' }],
        );
      }
      const now = this.clock.now();
      const today = await this.care.localDate(facilityId, now);
      const from = dto.from ?? today;
      assertStartDate(from, today);
      await this.positions.lockFacility(facilityId);
      if (await this.positions.openOfForUpdate(p.id)) {
        throw new DomainError(
          'ALREADY_AN_ORDERLY',
          'The prisoner already holds an orderly position',
        );
      }
      const lastEnded = await this.positions.lastEnded(p.id);
      if (lastEnded !== null && from < lastEnded) {
        throw new DomainError(
          'DATE_OUT_OF_RANGE',
          `from is before the last position ended (${lastEnded})`,
          [{ field: 'from', message: 'must not overlap an earlier position' }],
        );
      }
      const cap = await this.care.value(facilityId, 'care.orderlyPositions', now);
      assertPositionFree(await this.positions.countOpen(facilityId), cap.value);
      const position = await this.positions.insert({
        id: randomUUID(),
        facilityId,
        prisonerId: p.id,
        from,
        appointedBy: actor.id,
        appointedAt: now,
        policyVersionIds: [cap.versionId],
      });
      this.audit.record({
        action: 'care.orderly-appoint',
        targetType: 'prisoner',
        targetId: p.id,
        facilityId,
        summary: { positionId: position.id, from, positions: cap.value },
        policyVersionIds: [cap.versionId],
        actor,
      });
      return OrderlyDto.from(position, []);
    });
  }

  /** Dismissal takes effect today and ends the orderly's assignments with it. */
  dismiss(
    facilityId: string,
    positionId: string,
    dto: DismissOrderlyDto,
    actor: StaffPrincipal,
  ): Promise<OrderlyDto> {
    return this.uow.run(async () => {
      await this.facilities.require(facilityId, actor);
      const position = await this.positions.findForUpdate(positionId);
      if (!position || position.facilityId !== facilityId)
        throw new NotFoundError('Orderly position');
      assertOpen(position, 'position');
      const now = this.clock.now();
      const end = {
        until: await this.care.localDate(facilityId, now),
        reason: dto.reason,
        endedBy: actor.id,
        endedAt: now,
      };
      const ended = await this.assignments.endFor(
        { orderlyPrisonerId: position.prisonerId },
        { ...end, kind: 'dismissed' },
      );
      const [dismissed] = await this.positions.end(
        { id: position.id },
        { ...end, kind: 'dismissed' },
      );
      this.audit.record({
        action: 'care.orderly-dismiss',
        targetType: 'prisoner',
        targetId: position.prisonerId,
        facilityId,
        summary: {
          positionId: position.id,
          until: dismissed.until,
          reason: dto.reason,
          endedAssignmentIds: ended.map((a) => a.id),
        },
        actor,
      });
      return OrderlyDto.from(dismissed, []);
    });
  }
}
