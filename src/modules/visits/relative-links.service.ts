import { Injectable } from '@nestjs/common';
import { RelativePrincipal, StaffPrincipal } from '../../common/auth/principal';
import { isUniqueViolation } from '../../common/database/pg-errors';
import { UnitOfWork } from '../../common/database/unit-of-work';
import { DomainError, NotFoundError } from '../../common/errors/domain-error';
import { decodeCursor, listScope, Page, pageLimit, toPage } from '../../common/http/pagination';
import { Clock } from '../../common/time/clock';
import { AccessService } from '../access/access.service';
import { AuditService } from '../audit/audit.service';
import { FacilitiesService } from '../facilities/facilities.service';
import { PrisonerRegistryService } from '../facilities/prisoner-registry.service';
import { assertApprovable, assertPending } from './domain/link.rules';
import {
  LinkDto,
  LinkQueryDto,
  LinkedPrisonerDto,
  RequestLinkDto,
  StaffLinkDto,
} from './dto/link.dto';
import { RelativeLinksRepository } from './relative-links.repository';

/**
 * Links between relatives and prisoners: a relative asks, a visits officer of the facility
 * decides. A relative reaches a prisoner's data through an approved link: the access service
 * (src/modules/access/access.service.ts) answers that for every use case.
 */
@Injectable()
export class RelativeLinksService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly links: RelativeLinksRepository,
    private readonly facilities: FacilitiesService,
    private readonly prisoners: PrisonerRegistryService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly access: AccessService,
  ) {}

  /**
   * Always answers the same way whether or not the number names a prisoner there, so the
   * request cannot be used to learn who is held where.
   */
  async request(dto: RequestLinkDto, relative: RelativePrincipal): Promise<LinkDto> {
    await this.facilities.require(dto.facilityId);
    const prisoner = await this.prisoners.findHeldIn(dto.facilityId, dto.prisonerPersonalNumber);
    try {
      const link = await this.uow.run(async () => {
        const l = await this.links.insert({
          relativeId: relative.id,
          facilityId: dto.facilityId,
          prisonerPersonalNumber: dto.prisonerPersonalNumber,
          prisonerId: prisoner?.id ?? null,
          relationship: dto.relationship,
          createdAt: this.clock.now(),
        });
        this.audit.record({
          action: 'link.request',
          targetType: 'relative-link',
          targetId: l.id,
          facilityId: dto.facilityId,
          summary: {
            relativeId: relative.id,
            prisonerPersonalNumber: dto.prisonerPersonalNumber,
            relationship: dto.relationship,
          },
          actor: relative,
        });
        return l;
      });
      return LinkDto.from(link);
    } catch (err) {
      if (isUniqueViolation(err, 'relative_links_open_key')) {
        throw new DomainError('LINK_EXISTS', 'You already asked to be linked to this prisoner');
      }
      throw err;
    }
  }

  async mine(relative: RelativePrincipal): Promise<LinkDto[]> {
    return (await this.links.listByRelative(relative.id)).map(LinkDto.from);
  }

  async forFacility(
    facilityId: string,
    q: LinkQueryDto,
    actor: StaffPrincipal,
  ): Promise<Page<StaffLinkDto>> {
    await this.facilities.require(facilityId, actor);
    const limit = pageLimit(q);
    const rows = await this.links.listByFacility(
      facilityId,
      q.status,
      decodeCursor(q.cursor, listScope('links', facilityId, q.status)),
      limit,
    );
    return toPage(
      rows,
      limit,
      (l) => ({ k: '', id: l.id }),
      StaffLinkDto.fromEntity,
      listScope('links', facilityId, q.status),
    );
  }

  approve(id: string, note: string | undefined, actor: StaffPrincipal): Promise<StaffLinkDto> {
    return this.uow.run(async () => {
      const l = await this.lockInScope(id, actor);
      const held = l.prisonerId
        ? await this.prisoners.findHeldIn(l.facilityId, l.prisonerPersonalNumber)
        : null;
      assertApprovable(l, held?.id === l.prisonerId);
      const decided = await this.links.decide(l, {
        status: 'approved',
        decidedBy: actor.id,
        decidedAt: this.clock.now(),
        decisionNote: note ?? null,
      });
      this.audit.record({
        action: 'link.approve',
        targetType: 'relative-link',
        targetId: l.id,
        facilityId: l.facilityId,
        summary: { relativeId: l.relativeId, prisonerId: l.prisonerId, note: note ?? null },
        actor,
      });
      return StaffLinkDto.fromEntity(decided);
    });
  }

  reject(id: string, reason: string, actor: StaffPrincipal): Promise<StaffLinkDto> {
    return this.uow.run(async () => {
      const l = await this.lockInScope(id, actor);
      assertPending(l);
      const decided = await this.links.decide(l, {
        status: 'rejected',
        decidedBy: actor.id,
        decidedAt: this.clock.now(),
        decisionNote: reason,
      });
      this.audit.record({
        action: 'link.reject',
        targetType: 'relative-link',
        targetId: l.id,
        facilityId: l.facilityId,
        summary: { relativeId: l.relativeId, reason },
        actor,
      });
      return StaffLinkDto.fromEntity(decided);
    });
  }

  async linkedPrisoners(relative: RelativePrincipal): Promise<LinkedPrisonerDto[]> {
    const links = await this.links.approvedFor(relative.id);
    const out: LinkedPrisonerDto[] = [];
    for (const l of links) {
      const p = await this.prisoners.require(l.prisonerId!);
      out.push({
        linkId: l.id,
        prisonerId: p.id,
        fullName: p.fullName,
        facilityId: p.facilityId,
        relationship: l.relationship,
      });
    }
    return out;
  }

  async linkedPrisoner(
    relative: RelativePrincipal,
    prisonerId: string,
  ): Promise<LinkedPrisonerDto> {
    const found = (await this.linkedPrisoners(relative)).find((p) => p.prisonerId === prisonerId);
    if (!found) throw new NotFoundError('Prisoner');
    return found;
  }

  private async lockInScope(id: string, actor: StaffPrincipal) {
    const l = await this.links.findByIdForUpdate(id);
    if (!l) throw new NotFoundError('Link request');
    await this.access.requireHeld(actor, 'link', l);
    return l;
  }
}
