import { Body, Controller, Delete, Get, HttpCode, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Access, CurrentPrincipal } from '../../common/auth/access.decorator';
import { StaffPrincipal, TerminalPrincipal } from '../../common/auth/principal';
import { ApiProblems } from '../../common/http/api-problems.decorator';
import { UuidParam } from '../../common/http/uuid-param.decorator';
import {
  CreateTerminalDto,
  IssuedTerminalDto,
  TerminalDto,
  TerminalSelfDto,
} from './dto/terminal.dto';
import { TerminalsService } from './terminals.service';
import { UseCase } from '../../common/use-case/use-case.decorator';

@ApiTags('terminals')
@Controller()
export class TerminalsController {
  constructor(private readonly terminals: TerminalsService) {}

  /** Issue a terminal's API key, bound to this facility and one kind. The key is shown once. */
  @Post('facilities/:facilityId/terminals')
  @UseCase({ secretAnswer: true })
  @Access({ staff: ['admin'], facilityParam: 'facilityId' })
  @ApiProblems(400, 401, 403, 404)
  issue(
    @UuidParam('facilityId') facilityId: string,
    @Body() dto: CreateTerminalDto,
    @CurrentPrincipal() actor: StaffPrincipal,
  ): Promise<IssuedTerminalDto> {
    return this.terminals.issue(facilityId, dto, actor);
  }

  /** The facility's terminals (never their keys), with when each was last used. */
  @Get('facilities/:facilityId/terminals')
  @Access({ staff: ['admin', 'auditor'], facilityParam: 'facilityId' })
  @ApiProblems(400, 401, 403, 404)
  list(
    @UuidParam('facilityId') facilityId: string,
    @CurrentPrincipal() actor: StaffPrincipal,
  ): Promise<TerminalDto[]> {
    return this.terminals.list(facilityId, actor);
  }

  /** Revoke a terminal's key; it stops working with the next request. */
  @Delete('terminals/:id')
  @HttpCode(204)
  @Access({ staff: ['admin'] })
  @ApiProblems(400, 401, 403, 404)
  async revoke(
    @UuidParam('id') id: string,
    @CurrentPrincipal() actor: StaffPrincipal,
  ): Promise<void> {
    await this.terminals.revoke(id, actor);
  }

  /** Which terminal this key belongs to. */
  @Get('terminals/me')
  @Access({ terminals: 'any' })
  @ApiProblems(401, 403)
  me(@CurrentPrincipal() t: TerminalPrincipal): TerminalSelfDto {
    return { id: t.id, kind: t.terminalKind, facilityId: t.facilityId };
  }
}
