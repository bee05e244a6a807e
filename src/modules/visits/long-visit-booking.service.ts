import { Injectable } from '@nestjs/common';
import { randomInt } from 'node:crypto';
import { RelativePrincipal } from '../../common/auth/principal';
import { UnitOfWork } from '../../common/database/unit-of-work';
import { DomainError } from '../../common/errors/domain-error';
import { Clock } from '../../common/time/clock';
import { AuditService } from '../audit/audit.service';
import { AvailabilityService } from './availability.service';
import { checkBooking, localDate, newReference } from './domain/long-visit.rules';
import { BookingDeps } from './booking-deps';
import { BookLongVisitDto, LongVisitDto } from './dto/long-visit.dto';
import { LongVisitRulesService } from './long-visit-rules.service';
import { LongVisitsRepository } from './long-visits.repository';
import { VisitRoomsRepository } from './visit-rooms.repository';

/**
 * A relative books a long visit with a prisoner they hold an approved link to. The rules come
 * from the policies in force (see LongVisitRulesService); a free room of the prisoner's facility
 * is allocated. The database has the last word on double booking: its exclusion constraints
 * refuse a second live booking of a room, or of the prisoner, at overlapping times; a room taken
 * meanwhile makes the booking try the next free one.
 */
@Injectable()
export class LongVisitBookingService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly visits: LongVisitsRepository,
    private readonly rooms: VisitRoomsRepository,
    private readonly availability: AvailabilityService,
    private readonly rules: LongVisitRulesService,
    private readonly deps: BookingDeps,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async book(dto: BookLongVisitDto, relative: RelativePrincipal): Promise<LongVisitDto> {
    const { access, prisoners, facilities } = this.deps;
    await access.require(relative, 'prisoner', [dto.prisonerId]);
    return this.uow.run(async () => {
      // shared: a transfer or a change of conditions waits for the booking, and the other way round
      const p = await prisoners.findForDecision(dto.prisonerId);
      if (!p || p.status !== 'held') {
        throw new DomainError('PRISONER_NOT_HELD', 'The prisoner is not held in a facility');
      }
      const { timeZone: zone } = await facilities.require(p.facilityId);
      const now = this.clock.now();
      const today = localDate(now, zone);
      const r = this.rules.booking(
        await this.rules.at(p.facilityId, now),
        await this.rules.onDate(p.facilityId, dto.startDate, zone),
        p,
      );
      const slot = this.availability.slot(dto.startDate, dto.days, r.day, zone);
      const year = Number(dto.startDate.slice(0, 4));
      await this.visits.lockEntitlement(p.id, year);
      checkBooking(r.rules, {
        today,
        startDate: dto.startDate,
        days: dto.days,
        visitors: dto.visitors.length,
        usedThisYear: await this.visits.countAgainstEntitlement(p.id, year),
      });
      if (!(await this.rooms.anyHolding(p.facilityId, dto.visitors.length))) {
        throw new DomainError(
          'VISIT_ROOM_TOO_SMALL',
          `No visit room of the facility holds ${dto.visitors.length} visitors`,
          [{ field: 'visitors', message: 'more than any room holds' }],
        );
      }
      for (const roomId of await this.availability.freeRoomIds(
        p.facilityId,
        slot,
        dto.visitors.length,
      )) {
        // a closure of this room waits for the booking to commit (and the other way round)
        const room = await this.rooms.lock(roomId, 'share');
        if (!room?.active) continue;
        if (await this.rooms.closedBetween(roomId, dto.startDate, slot.lastDate)) continue;
        const v = await this.visits.tryInsert({
          reference: newReference(randomInt),
          facilityId: p.facilityId,
          roomId,
          prisonerId: p.id,
          relativeId: relative.id,
          startDate: dto.startDate,
          endDate: slot.lastDate,
          days: dto.days,
          startsAt: new Date(slot.startsAt),
          endsAt: new Date(slot.endsAt),
          periodYear: year,
          visitors: dto.visitors.map((x) => ({
            fullName: x.fullName,
            relationship: x.relationship,
          })),
          requiredDocuments: r.requiredDocuments,
          policyVersionIds: r.versionIds,
          createdAt: now,
        });
        if (v === 'room') continue; // taken meanwhile: the next free room
        if (v === 'prisoner') {
          throw new DomainError(
            'LONG_VISIT_PRISONER_BUSY',
            'The prisoner has another long visit booked at these times',
          );
        }
        // visitors' names are personal data: the trail keeps how many, not who
        this.audit.record({
          action: 'long-visit.book',
          targetType: 'long-visit',
          targetId: v.id,
          facilityId: v.facilityId,
          summary: {
            reference: v.reference,
            prisonerId: v.prisonerId,
            roomId: v.roomId,
            startDate: v.startDate,
            days: v.days,
            visitors: v.visitors.length,
            requiredDocuments: v.requiredDocuments,
          },
          policyVersionIds: v.policyVersionIds,
          actor: relative,
        });
        return LongVisitDto.from(v);
      }
      const nearestDates = await this.availability.nearestFree(
        p.facilityId,
        zone,
        { startDate: dto.startDate, days: dto.days, visitors: dto.visitors.length },
        { today, windowDays: r.rules.bookingWindowDays },
      );
      throw new DomainError(
        'LONG_VISIT_NO_ROOM',
        `No visit room is free for ${dto.days} day(s) from ${dto.startDate}` +
          (nearestDates.length ? `; nearest dates with one: ${nearestDates.join(', ')}` : ''),
        [],
        {},
        { nearestDates },
      );
    });
  }
}
