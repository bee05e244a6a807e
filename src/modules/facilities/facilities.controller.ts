import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Access, CurrentPrincipal } from '../../common/auth/access.decorator';
import { Principal } from '../../common/auth/principal';
import { PRISONER_READERS } from '../../common/auth/roles';
import { ApiProblems } from '../../common/http/api-problems.decorator';
import { PageQueryDto } from '../../common/http/pagination';
import { UuidParam } from '../../common/http/uuid-param.decorator';
import { CreateFacilityDto, FacilityDto, FacilityPageDto } from './dto/facility.dto';
import { CreatePrisonerDto, PrisonerDto, PrisonerPageDto } from './dto/prisoner.dto';
import { FacilitiesService } from './facilities.service';
import { PrisonerRegistryService } from './prisoner-registry.service';
import { UseCase } from '../../common/use-case/use-case.decorator';

@ApiTags('facilities')
@Controller('facilities')
export class FacilitiesController {
  constructor(
    private readonly facilities: FacilitiesService,
    private readonly registry: PrisonerRegistryService,
  ) {}

  /** Create a facility (national administrators). */
  @Post()
  @UseCase()
  @Access({ staff: ['admin'], national: true })
  @ApiProblems(400, 401, 403, 409)
  create(
    @Body() dto: CreateFacilityDto,
    @CurrentPrincipal() actor: Principal,
  ): Promise<FacilityDto> {
    return this.facilities.create(dto, actor);
  }

  /**
   * Facilities by code: staff see those in their scope; relatives see the directory of all of them
   * (names and zones are public; they need the id to ask for a link).
   */
  @Get()
  @Access({ staff: 'any', relative: true })
  @ApiProblems(400, 401)
  list(@Query() q: PageQueryDto, @CurrentPrincipal() actor: Principal): Promise<FacilityPageDto> {
    return this.facilities.list(actor, q);
  }

  /** A facility (its time zone rules every local hour); for its staff and its own terminals. */
  @Get(':facilityId')
  @Access({ staff: 'any', terminals: 'any', facilityParam: 'facilityId' })
  @ApiProblems(400, 401, 404)
  get(
    @UuidParam('facilityId') id: string,
    @CurrentPrincipal() actor: Principal,
  ): Promise<FacilityDto> {
    return this.facilities.get(id, actor);
  }

  /** Register a prisoner held in this facility (administrators, national or of this facility). */
  @Post(':facilityId/prisoners')
  @UseCase()
  @HttpCode(201)
  @Access({ staff: ['admin'], facilityParam: 'facilityId' })
  @ApiProblems(400, 401, 403, 404, 409)
  registerPrisoner(
    @UuidParam('facilityId') facilityId: string,
    @Body() dto: CreatePrisonerDto,
    @CurrentPrincipal() actor: Principal,
  ): Promise<PrisonerDto> {
    return this.registry.register(facilityId, dto, actor);
  }

  /** Prisoners held in this facility, by personal number. */
  @Get(':facilityId/prisoners')
  @Access({ staff: PRISONER_READERS, facilityParam: 'facilityId' })
  @ApiProblems(400, 401, 403, 404)
  listPrisoners(
    @UuidParam('facilityId') facilityId: string,
    @Query() q: PageQueryDto,
    @CurrentPrincipal() actor: Principal,
  ): Promise<PrisonerPageDto> {
    return this.registry.listByFacility(facilityId, actor, q);
  }
}
