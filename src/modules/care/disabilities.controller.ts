import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Access, CurrentPrincipal } from '../../common/auth/access.decorator';
import { StaffPrincipal } from '../../common/auth/principal';
import { ApiProblems } from '../../common/http/api-problems.decorator';
import { UuidParam } from '../../common/http/uuid-param.decorator';
import { UseCase } from '../../common/use-case/use-case.decorator';
import { DisabilitiesService } from './disabilities.service';
import {
  DisabilityDto,
  EndDisabilityDto,
  EndedDisabilityDto,
  RecordDisabilityDto,
} from './dto/disability.dto';

@ApiTags('care')
@ApiBearerAuth()
@Controller()
export class DisabilitiesController {
  constructor(private readonly disabilities: DisabilitiesService) {}

  /**
   * Record a disability of a prisoner held in the facility: its kind, what help is needed, from
   * when (today by default) and, if known, until when. A prisoner may have several.
   */
  @Post('prisoners/:id/disabilities')
  @UseCase()
  @Access({ staff: ['care-officer'] })
  @ApiProblems(400, 401, 403, 404, 422)
  record(
    @UuidParam('id') id: string,
    @Body() dto: RecordDisabilityDto,
    @CurrentPrincipal() actor: StaffPrincipal,
  ): Promise<DisabilityDto> {
    return this.disabilities.record(id, dto, actor);
  }

  /** The prisoner's disability records, ended ones included (the history is kept). */
  @Get('prisoners/:id/disabilities')
  @Access({ staff: ['care-officer', 'auditor'] })
  @ApiProblems(400, 401, 403, 404)
  list(
    @UuidParam('id') id: string,
    @CurrentPrincipal() actor: StaffPrincipal,
  ): Promise<DisabilityDto[]> {
    return this.disabilities.list(id, actor);
  }

  /**
   * End a disability record (from `until`, today by default), with the reason; it is kept. When
   * it was the prisoner's last record in force, the orderly assignments assisting them end with it
   * (kind `need-ended`, from the day no record held), listed in `endedAssignmentIds`.
   */
  @Post('disabilities/:id/end')
  @UseCase()
  @HttpCode(200)
  @Access({ staff: ['care-officer'] })
  @ApiProblems(400, 401, 403, 404, 422)
  end(
    @UuidParam('id') id: string,
    @Body() dto: EndDisabilityDto,
    @CurrentPrincipal() actor: StaffPrincipal,
  ): Promise<EndedDisabilityDto> {
    return this.disabilities.end(id, dto, actor);
  }
}
