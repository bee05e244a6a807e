import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Access, CurrentPrincipal } from '../../common/auth/access.decorator';
import { RelativePrincipal, StaffPrincipal } from '../../common/auth/principal';
import { ApiProblems } from '../../common/http/api-problems.decorator';
import { UuidParam } from '../../common/http/uuid-param.decorator';
import {
  DecideLinkDto,
  LinkDto,
  LinkedPrisonerDto,
  LinkQueryDto,
  RejectLinkDto,
  RequestLinkDto,
  StaffLinkDto,
  StaffLinkPageDto,
} from './dto/link.dto';
import { RelativeLinksService } from './relative-links.service';
import { UseCase } from '../../common/use-case/use-case.decorator';

@ApiTags('relative links')
@Controller()
export class LinksController {
  constructor(private readonly links: RelativeLinksService) {}

  /**
   * Ask to be linked to a prisoner. The answer is the same whether or not such a prisoner is held
   * there; staff of the facility decide.
   */
  @Post('relatives/me/links')
  @UseCase()
  @Access({ relative: true })
  @ApiProblems(400, 401, 403, 404, 409)
  request(@Body() dto: RequestLinkDto, @CurrentPrincipal() p: RelativePrincipal): Promise<LinkDto> {
    return this.links.request(dto, p);
  }

  /** The relative's own link requests and their decisions. */
  @Get('relatives/me/links')
  @Access({ relative: true })
  @ApiProblems(401, 403)
  mine(@CurrentPrincipal() p: RelativePrincipal): Promise<LinkDto[]> {
    return this.links.mine(p);
  }

  /** The prisoners the relative is linked to (approved links only). */
  @Get('relatives/me/prisoners')
  @Access({ relative: true })
  @ApiProblems(401, 403)
  prisoners(@CurrentPrincipal() p: RelativePrincipal): Promise<LinkedPrisonerDto[]> {
    return this.links.linkedPrisoners(p);
  }

  /** One linked prisoner; 404 for any prisoner the relative is not linked to. */
  @Get('relatives/me/prisoners/:prisonerId')
  @Access({ relative: true })
  @ApiProblems(400, 401, 403, 404)
  prisoner(
    @UuidParam('prisonerId') prisonerId: string,
    @CurrentPrincipal() p: RelativePrincipal,
  ): Promise<LinkedPrisonerDto> {
    return this.links.linkedPrisoner(p, prisonerId);
  }

  /** Link requests to this facility's prisoners, for the visits officers who decide them. */
  @Get('facilities/:facilityId/links')
  @Access({ staff: ['visits-officer', 'auditor'], facilityParam: 'facilityId' })
  @ApiProblems(400, 401, 403, 404)
  forFacility(
    @UuidParam('facilityId') facilityId: string,
    @Query() q: LinkQueryDto,
    @CurrentPrincipal() actor: StaffPrincipal,
  ): Promise<StaffLinkPageDto> {
    return this.links.forFacility(facilityId, q, actor);
  }

  /** Approve a pending link request: the relative may then act for this prisoner. The note is optional. */
  @Post('links/:id/approve')
  @UseCase()
  @HttpCode(200)
  @Access({ staff: ['visits-officer'] })
  @ApiProblems(400, 401, 403, 404, 422)
  approve(
    @UuidParam('id') id: string,
    @Body() dto: DecideLinkDto,
    @CurrentPrincipal() actor: StaffPrincipal,
  ): Promise<StaffLinkDto> {
    return this.links.approve(id, dto?.note, actor);
  }

  /** Reject a pending link request, with the reason the relative will see. */
  @Post('links/:id/reject')
  @UseCase()
  @HttpCode(200)
  @Access({ staff: ['visits-officer'] })
  @ApiProblems(400, 401, 403, 404, 422)
  reject(
    @UuidParam('id') id: string,
    @Body() dto: RejectLinkDto,
    @CurrentPrincipal() actor: StaffPrincipal,
  ): Promise<StaffLinkDto> {
    return this.links.reject(id, dto.reason, actor);
  }
}
