import { Body, Controller, Get, HttpCode, Patch, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Access, CurrentPrincipal } from '../../common/auth/access.decorator';
import { StaffPrincipal } from '../../common/auth/principal';
import { ApiProblems } from '../../common/http/api-problems.decorator';
import { UuidParam } from '../../common/http/uuid-param.decorator';
import { CATALOG } from './domain/catalog';
import {
  CatalogEntryDto,
  CreatePolicyVersionDto,
  PolicyVersionDto,
  PolicyVersionPageDto,
  PolicyVersionQueryDto,
  UpdatePolicyVersionDto,
} from './dto/policy.dto';
import { PolicyAuthoringService } from './policy-authoring.service';
import { UseCase } from '../../common/use-case/use-case.decorator';
import { NoBody } from '../../common/http/no-body.decorator';

@ApiTags('policies')
@Controller()
export class PoliciesController {
  constructor(private readonly authoring: PolicyAuthoringService) {}

  /** Every policy key: type, unit, description. */
  @Get('policy-catalog')
  @Access({ staff: 'any', terminals: 'any', relative: true })
  @ApiProblems(401)
  catalog(): CatalogEntryDto[] {
    return CATALOG.map(CatalogEntryDto.from);
  }

  /** A draft version, national (national policy admins) or for one facility. Values are checked against the catalog. */
  @Post('policy-versions')
  @UseCase()
  @Access({ staff: ['policy-admin'] })
  @ApiProblems(400, 401, 403, 404)
  create(
    @Body() dto: CreatePolicyVersionDto,
    @CurrentPrincipal() actor: StaffPrincipal,
  ): Promise<PolicyVersionDto> {
    return this.authoring.create(dto, actor);
  }

  /** Edit a draft; a published version answers 422. */
  @Patch('policy-versions/:id')
  @Access({ staff: ['policy-admin'] })
  @ApiProblems(400, 401, 403, 404, 422)
  update(
    @UuidParam('id') id: string,
    @Body() dto: UpdatePolicyVersionDto,
    @CurrentPrincipal() actor: StaffPrincipal,
  ): Promise<PolicyVersionDto> {
    return this.authoring.update(id, dto, actor);
  }

  /**
   * Publish a draft: from then on it is immutable. It may take effect in the future, never in the
   * past. 409 `POLICY_START_TAKEN` when a published version of the same scope sets one of its keys
   * from the same moment (the two would tie).
   */
  @Post('policy-versions/:id/publish')
  @NoBody()
  @UseCase()
  @HttpCode(200)
  @Access({ staff: ['policy-admin'] })
  @ApiProblems(400, 401, 403, 404, 409, 422)
  publish(
    @UuidParam('id') id: string,
    @CurrentPrincipal() actor: StaffPrincipal,
  ): Promise<PolicyVersionDto> {
    return this.authoring.publish(id, actor);
  }

  /** History, newest first: national versions and those of the caller's facilities. */
  @Get('policy-versions')
  @Access({ staff: 'any' })
  @ApiProblems(400, 401, 403, 404)
  list(
    @Query() q: PolicyVersionQueryDto,
    @CurrentPrincipal() actor: StaffPrincipal,
  ): Promise<PolicyVersionPageDto> {
    return this.authoring.list(q, actor);
  }

  /** One policy version, draft or published. */
  @Get('policy-versions/:id')
  @Access({ staff: 'any' })
  @ApiProblems(400, 401, 403, 404)
  get(
    @UuidParam('id') id: string,
    @CurrentPrincipal() actor: StaffPrincipal,
  ): Promise<PolicyVersionDto> {
    return this.authoring.get(id, actor);
  }
}
