import { IsIn } from 'class-validator';
import { IsCode, IsId, IsText, Omittable } from '../../../common/http/validators';
import { PageQueryDto } from '../../../common/http/pagination';
import { PERSONAL_NUMBER } from '../../facilities/domain/prisoner.rules';
import { LINK_STATUSES, LinkStatus, Relationship, RELATIONSHIPS } from '../domain/relationship';
import { RelativeLinkEntity } from '../entities/relative-link.entity';

export class RequestLinkDto {
  /** The facility where the prisoner is held. */
  @IsId()
  facilityId: string;

  /** The prisoner's personal number, as the relative knows it. */
  @IsCode(PERSONAL_NUMBER, 'prisonerPersonalNumber must be 3-32 letters, digits or dashes')
  prisonerPersonalNumber: string;

  @IsIn(RELATIONSHIPS)
  relationship: Relationship;
}

export class DecideLinkDto {
  /** Why (kept with the decision). */
  @Omittable()
  @IsText(1000, { multiline: true })
  note?: string;
}

export class RejectLinkDto {
  @IsText(1000, { multiline: true })
  reason: string;
}

export class LinkQueryDto extends PageQueryDto {
  @Omittable()
  @IsIn(LINK_STATUSES)
  status?: LinkStatus;
}

export class LinkDto {
  id: string;
  relativeId: string;
  facilityId: string;
  prisonerPersonalNumber: string;
  relationship: Relationship;
  status: LinkStatus;
  decidedAt: string | null;
  decisionNote: string | null;
  createdAt: string;

  static from(l: RelativeLinkEntity): LinkDto {
    return {
      id: l.id,
      relativeId: l.relativeId,
      facilityId: l.facilityId,
      prisonerPersonalNumber: l.prisonerPersonalNumber,
      relationship: l.relationship,
      status: l.status,
      decidedAt: l.decidedAt?.toISOString() ?? null,
      decisionNote: l.decisionNote,
      createdAt: l.createdAt.toISOString(),
    };
  }
}

/** For staff deciding: whether the number names a prisoner held there. */
export class StaffLinkDto extends LinkDto {
  prisonerId: string | null;

  static fromEntity(l: RelativeLinkEntity): StaffLinkDto {
    return { ...LinkDto.from(l), prisonerId: l.prisonerId };
  }
}

export class StaffLinkPageDto {
  items: StaffLinkDto[];
  nextCursor: string | null;
}

export class LinkedPrisonerDto {
  linkId: string;
  prisonerId: string;
  fullName: string;
  /** Where the prisoner is held now. */
  facilityId: string;
  relationship: Relationship;
}
