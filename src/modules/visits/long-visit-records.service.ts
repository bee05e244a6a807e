import { Injectable } from '@nestjs/common';
import { Principal, RelativePrincipal, StaffPrincipal } from '../../common/auth/principal';
import { UnitOfWork } from '../../common/database/unit-of-work';
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
import { AuditService } from '../audit/audit.service';
import { FacilitiesService } from '../facilities/facilities.service';
import { assertDecision, assertWindow, Decision, LongVisitStatus } from './domain/long-visit.rules';
import {
  FacilityLongVisitsQueryDto,
  FacilityVisitPlanDto,
  LongVisitDto,
} from './dto/long-visit.dto';
import { VisitRoomClosureDto, VisitRoomDto } from './dto/visit-room.dto';
import { LongVisitsRepository } from './long-visits.repository';
import { VisitRoomsRepository } from './visit-rooms.repository';

const OUTCOME: Record<Decision, LongVisitStatus> = {
  approve: 'approved',
  reject: 'rejected',
  cancel: 'cancelled',
};

/**
 * Reading bookings (a relative their own, staff their facility's) and deciding them: a visits
 * officer approves or rejects a request; the booking relative (before it starts) or staff cancel.
 */
@Injectable()
export class LongVisitRecordsService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly visits: LongVisitsRepository,
    private readonly rooms: VisitRoomsRepository,
    private readonly facilities: FacilitiesService,
    private readonly access: AccessService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  /** One booking: the booking relative's, or one of the staff member's facility; else 404. */
  async get(id: string, caller: Principal): Promise<LongVisitDto> {
    const v = await this.visits.findById(id);
    if (!v) throw new NotFoundError('Long visit');
    await this.access.requireHeld(caller, 'long-visit', v);
    return LongVisitDto.from(v);
  }

  async mine(relative: RelativePrincipal, q: PageQueryDto): Promise<Page<LongVisitDto>> {
    const limit = pageLimit(q);
    const list = listScope('my-long-visits', relative.id);
    const rows = await this.visits.listByRelative(relative.id, decodeCursor(q.cursor, list), limit);
    return toPage(
      rows,
      limit,
      (v) => ({ k: v.startsAt.toISOString(), id: v.id }),
      LongVisitDto.from,
      list,
    );
  }

  /** The facility's rooms over a window of dates, each with its closures and bookings. */
  async plan(
    facilityId: string,
    q: FacilityLongVisitsQueryDto,
    actor: StaffPrincipal,
  ): Promise<FacilityVisitPlanDto> {
    assertWindow(q.from, q.to);
    await this.facilities.require(facilityId, actor);
    const rooms = await this.rooms.listByFacility(facilityId);
    const [visits, closures] = await Promise.all([
      this.visits.listByFacility(facilityId, q.from, q.to),
      this.rooms.closuresOf(rooms.map((r) => r.id)),
    ]);
    return {
      facilityId,
      fromDate: q.from,
      toDate: q.to,
      rooms: rooms.map((room) => ({
        room: VisitRoomDto.from(room),
        closures: closures
          .filter((c) => c.roomId === room.id && c.from <= q.to && c.to >= q.from)
          .map((c) => VisitRoomClosureDto.from(c, [])),
        visits: visits.filter((v) => v.roomId === room.id).map(LongVisitDto.from),
      })),
    };
  }

  approve(id: string, actor: StaffPrincipal): Promise<LongVisitDto> {
    return this.decide(id, 'approve', null, actor);
  }

  reject(id: string, reason: string, actor: StaffPrincipal): Promise<LongVisitDto> {
    return this.decide(id, 'reject', reason, actor);
  }

  cancel(id: string, reason: string | undefined, caller: Principal): Promise<LongVisitDto> {
    return this.decide(id, 'cancel', reason ?? null, caller);
  }

  private decide(
    id: string,
    d: Decision,
    reason: string | null,
    caller: Principal,
  ): Promise<LongVisitDto> {
    return this.uow.run(async () => {
      const v = await this.visits.findByIdForUpdate(id);
      if (!v) throw new NotFoundError('Long visit');
      await this.access.requireHeld(caller, 'long-visit', v);
      const now = this.clock.now();
      assertDecision(v, d, caller.kind, now);
      const decided = await this.visits.setStatus(v.id, {
        status: OUTCOME[d],
        reason,
        by: caller.id,
        at: now,
      });
      this.audit.record({
        action: `long-visit.${d}`,
        targetType: 'long-visit',
        targetId: v.id,
        facilityId: v.facilityId,
        summary: { from: v.status, to: decided.status, reason },
        actor: caller,
      });
      return LongVisitDto.from(decided);
    });
  }
}
