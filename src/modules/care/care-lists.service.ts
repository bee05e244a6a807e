import { Injectable } from '@nestjs/common';
import { StaffPrincipal } from '../../common/auth/principal';
import { DomainError } from '../../common/errors/domain-error';
import {
  decodeCursor,
  KeysetCursor,
  listScope,
  Page,
  pageLimit,
  PageQueryDto,
  toPage,
} from '../../common/http/pagination';
import { isLocalDate } from '../../common/http/validators';
import { FacilitiesService } from '../facilities/facilities.service';
import { CarePolicy } from './care-policy.service';
import { daysBetween } from './domain/care-dates';
import { DISABILITY_KINDS } from './domain/disability.rules';
import { UnassignedDto } from './dto/assignment.dto';
import { OrderlyDto } from './dto/orderly.dto';
import { OrderlyAssignmentsRepository } from './orderly-assignments.repository';
import { OrderlyPositionsRepository } from './orderly-positions.repository';

/** Both lists are keyed by a local date: a cursor with anything else is not one we issued. */
function dateCursor(raw: string | undefined, list: string): KeysetCursor | undefined {
  const c = decodeCursor(raw, list);
  if (c && !isLocalDate(c.k)) {
    throw new DomainError('INVALID_CURSOR', 'cursor is not one this API issued', [
      { field: 'cursor', message: 'invalid cursor' },
    ]);
  }
  return c;
}

/** What the reform asks care officers to see: the staff of orderlies, and who is left without help. */
@Injectable()
export class CareListsService {
  constructor(
    private readonly positions: OrderlyPositionsRepository,
    private readonly assignments: OrderlyAssignmentsRepository,
    private readonly facilities: FacilitiesService,
    private readonly care: CarePolicy,
  ) {}

  /** The orderlies holding a position now, longest serving first, each with whom they assist. */
  async orderlies(
    facilityId: string,
    q: PageQueryDto,
    actor: StaffPrincipal,
  ): Promise<Page<OrderlyDto>> {
    await this.facilities.require(facilityId, actor);
    const limit = pageLimit(q);
    const list = listScope('orderlies', facilityId);
    const rows = await this.positions.listOpen(facilityId, dateCursor(q.cursor, list), limit);
    const open = await this.assignments.openOf(rows.map((r) => r.prisonerId));
    return toPage(
      rows,
      limit,
      (p) => ({ k: p.from, id: p.id }),
      (p) =>
        OrderlyDto.from(
          p,
          open
            .filter((a) => a.orderlyPrisonerId === p.prisonerId)
            .map((a) => ({ assignmentId: a.id, prisonerId: a.assistedPrisonerId, from: a.from })),
        ),
      list,
    );
  }

  /** Prisoners with a disability in force and no orderly, longest waiting first. */
  async unassigned(
    facilityId: string,
    q: PageQueryDto,
    actor: StaffPrincipal,
  ): Promise<Page<UnassignedDto>> {
    await this.facilities.require(facilityId, actor);
    const limit = pageLimit(q);
    const today = await this.care.localDate(facilityId);
    const list = listScope('unassigned', facilityId);
    const rows = await this.assignments.unassigned(
      facilityId,
      today,
      dateCursor(q.cursor, list),
      limit,
    );
    return toPage(
      rows,
      limit,
      (r) => ({ k: r.waitingSince, id: r.prisonerId }),
      (r) => ({
        prisonerId: r.prisonerId,
        needs: DISABILITY_KINDS.filter((k) => r.kinds.includes(k)),
        waitingSince: r.waitingSince,
        waitingDays: Math.max(0, daysBetween(r.waitingSince, today)),
      }),
      list,
    );
  }
}
