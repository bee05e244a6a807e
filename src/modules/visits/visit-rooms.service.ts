import { Injectable } from '@nestjs/common';
import { StaffPrincipal } from '../../common/auth/principal';
import { isUniqueViolation } from '../../common/database/pg-errors';
import { UnitOfWork } from '../../common/database/unit-of-work';
import { DomainError, NotFoundError } from '../../common/errors/domain-error';
import { Clock } from '../../common/time/clock';
import { AccessService } from '../access/access.service';
import { AuditService } from '../audit/audit.service';
import { FacilitiesService } from '../facilities/facilities.service';
import { daysBetween, localDate } from './domain/long-visit.rules';
import {
  CloseVisitRoomDto,
  CreateVisitRoomDto,
  VisitRoomClosureDto,
  VisitRoomDto,
} from './dto/visit-room.dto';
import { LongVisitsRepository } from './long-visits.repository';
import { VisitRoomsRepository } from './visit-rooms.repository';

const DEFAULT_CAPACITY = 4;
const LONGEST_CLOSURE_DAYS = 366;

/** The rooms long visits take place in, and their closures (repairs). */
@Injectable()
export class VisitRoomsService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly rooms: VisitRoomsRepository,
    private readonly visits: LongVisitsRepository,
    private readonly facilities: FacilitiesService,
    private readonly access: AccessService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async create(
    facilityId: string,
    dto: CreateVisitRoomDto,
    actor: StaffPrincipal,
  ): Promise<VisitRoomDto> {
    await this.facilities.require(facilityId, actor);
    try {
      return await this.uow.run(async () => {
        const room = await this.rooms.insert({
          facilityId,
          name: dto.name,
          capacity: dto.capacity ?? DEFAULT_CAPACITY,
          createdAt: this.clock.now(),
        });
        this.audit.record({
          action: 'visit-room.create',
          targetType: 'visit-room',
          targetId: room.id,
          facilityId,
          summary: { name: room.name, capacity: room.capacity },
          actor,
        });
        return VisitRoomDto.from(room);
      });
    } catch (err) {
      if (isUniqueViolation(err, 'visit_rooms_name_key')) {
        throw new DomainError(
          'VISIT_ROOM_NAME_TAKEN',
          `The facility has a room named ${dto.name}`,
          [{ field: 'name', message: 'already taken in this facility' }],
        );
      }
      throw err;
    }
  }

  async list(facilityId: string, actor: StaffPrincipal): Promise<VisitRoomDto[]> {
    await this.facilities.require(facilityId, actor);
    return (await this.rooms.listByFacility(facilityId)).map(VisitRoomDto.from);
  }

  /**
   * Closes a room for a range of local dates: the live bookings with a day in it are cancelled,
   * with the closure's reason for the relatives. The room is locked first, so no booking lands in
   * it meanwhile (a booking takes the same lock to share).
   */
  close(
    roomId: string,
    dto: CloseVisitRoomDto,
    actor: StaffPrincipal,
  ): Promise<VisitRoomClosureDto> {
    return this.uow.run(async () => {
      const room = await this.rooms.lock(roomId, 'update');
      if (!room) throw new NotFoundError('Visit room');
      await this.access.requireHeld(actor, 'visit-room', room);
      const { timeZone } = await this.facilities.require(room.facilityId);
      const now = this.clock.now();
      const today = localDate(now, timeZone);
      if (dto.fromDate < today || dto.toDate < dto.fromDate) {
        throw new DomainError(
          'VALIDATION_FAILED',
          'A closure runs from today or later, to a date not before it',
          [
            {
              field: dto.fromDate < today ? 'fromDate' : 'toDate',
              message: 'outside the dates a closure may take',
            },
          ],
        );
      }
      if (daysBetween(dto.fromDate, dto.toDate) + 1 > LONGEST_CLOSURE_DAYS) {
        throw new DomainError(
          'VALIDATION_FAILED',
          `A closure lasts at most ${LONGEST_CLOSURE_DAYS} days`,
          [{ field: 'toDate', message: `at most ${LONGEST_CLOSURE_DAYS} days after fromDate` }],
        );
      }
      const closure = await this.rooms.insertClosure({
        roomId,
        facilityId: room.facilityId,
        from: dto.fromDate,
        to: dto.toDate,
        reason: dto.reason,
        createdBy: actor.id,
        createdAt: now,
      });
      const cancelled = await this.visits.cancelInRoom(
        roomId,
        { from: dto.fromDate, to: dto.toDate },
        { reason: `The visit room is closed: ${dto.reason}`, by: actor.id, at: now },
      );
      this.audit.record({
        action: 'visit-room.close',
        targetType: 'visit-room',
        targetId: roomId,
        facilityId: room.facilityId,
        summary: { closureId: closure.id, from: dto.fromDate, to: dto.toDate, reason: dto.reason },
        actor,
      });
      for (const v of cancelled) {
        this.audit.record({
          action: 'long-visit.cancel',
          targetType: 'long-visit',
          targetId: v.id,
          facilityId: v.facilityId,
          summary: { why: 'room-closed', closureId: closure.id, roomId },
          actor,
        });
      }
      return VisitRoomClosureDto.from(
        closure,
        cancelled.map((v) => v.id),
      );
    });
  }
}
