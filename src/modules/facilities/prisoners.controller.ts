import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Access, CurrentPrincipal } from '../../common/auth/access.decorator';
import { Principal } from '../../common/auth/principal';
import { PRISONER_READERS } from '../../common/auth/roles';
import { ApiProblems } from '../../common/http/api-problems.decorator';
import { UuidParam } from '../../common/http/uuid-param.decorator';
import {
  ChangeConditionsDto,
  PrisonerDto,
  PrisonerHistoryDto,
  TransferPrisonerDto,
} from './dto/prisoner.dto';
import { PrisonerMovesService } from './prisoner-moves.service';
import { PrisonerRegistryService } from './prisoner-registry.service';
import { UseCase } from '../../common/use-case/use-case.decorator';

@ApiTags('prisoners')
@Controller('prisoners')
export class PrisonersController {
  constructor(
    private readonly registry: PrisonerRegistryService,
    private readonly moves: PrisonerMovesService,
  ) {}

  /** A prisoner, for staff of the facility holding them. */
  @Get(':id')
  @Access({ staff: PRISONER_READERS })
  @ApiProblems(400, 401, 403, 404)
  get(@UuidParam('id') id: string, @CurrentPrincipal() actor: Principal): Promise<PrisonerDto> {
    return this.registry.get(id, actor);
  }

  /** Moves between conditions of serving and transfers between facilities, oldest first. */
  @Get(':id/history')
  @Access({ staff: PRISONER_READERS })
  @ApiProblems(400, 401, 403, 404)
  history(
    @UuidParam('id') id: string,
    @CurrentPrincipal() actor: Principal,
  ): Promise<PrisonerHistoryDto> {
    return this.registry.history(id, actor);
  }

  /**
   * Move the prisoner to other conditions of serving; kept in history with the reason. Only
   * administrators: the conditions set the monthly shop limit, so no till or finance role may.
   */
  @Post(':id/conditions')
  @UseCase()
  @HttpCode(200)
  @Access({ staff: ['admin'] })
  @ApiProblems(400, 401, 403, 404, 422)
  changeConditions(
    @UuidParam('id') id: string,
    @Body() dto: ChangeConditionsDto,
    @CurrentPrincipal() actor: Principal,
  ): Promise<PrisonerDto> {
    return this.moves.changeConditions(id, dto, actor);
  }

  /** Transfer the prisoner to another facility (administrators whose scope covers both). */
  @Post(':id/transfer')
  @UseCase()
  @HttpCode(200)
  @Access({ staff: ['admin'] })
  @ApiProblems(400, 401, 403, 404, 422)
  transfer(
    @UuidParam('id') id: string,
    @Body() dto: TransferPrisonerDto,
    @CurrentPrincipal() actor: Principal,
  ): Promise<PrisonerDto> {
    return this.moves.transfer(id, dto, actor);
  }
}
