import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Access, CurrentPrincipal } from '../../common/auth/access.decorator';
import { TerminalPrincipal } from '../../common/auth/principal';
import { ApiProblems } from '../../common/http/api-problems.decorator';
import { UuidParam } from '../../common/http/uuid-param.decorator';
import { UseCase } from '../../common/use-case/use-case.decorator';
import { CallAuthorisationService } from './call-authorisation.service';
import { CallEndService } from './call-end.service';
import { AuthorizeCallDto, CallDecisionDto, CallEndDto, EndCallDto } from './dto/call.dto';

@ApiTags('payphones')
@Controller()
export class CallsController {
  constructor(
    private readonly authorisation: CallAuthorisationService,
    private readonly ends: CallEndService,
  ) {}

  /**
   * May this prisoner call this number now, and for how long? A stored decision: `authorized` with
   * `maxDurationSeconds` (the smallest of the longest call, the time to closing, what the card pays,
   * the time to this phone's next booking by someone else) and a hold on the card for its most
   * possible cost; or `denied` with every reason (`OUTSIDE_HOURS`, `NUMBER_NOT_APPROVED`,
   * `INSUFFICIENT_FUNDS`, `ALLOWANCE_EXHAUSTED`, `CALL_IN_PROGRESS`, `PHONE_BOOKED`,
   * `PRISONER_NOT_IN_FACILITY`). Calls to a legal contact are `monitored: false`.
   */
  @Post('calls')
  @UseCase()
  @Access({ terminals: ['payphone'] })
  @ApiProblems(400, 401, 403, 422)
  authorize(
    @Body() dto: AuthorizeCallDto,
    @CurrentPrincipal() terminal: TerminalPrincipal,
  ): Promise<CallDecisionDto> {
    return this.authorisation.authorize(dto, terminal);
  }

  /**
   * The call ended (reported by the terminal that asked): every started minute is charged at the
   * tariff of the authorisation, never more than was held, and the rest of the hold released. A
   * repeated report changes nothing and gets the same answer.
   */
  @Post('calls/:id/end')
  @UseCase()
  @HttpCode(200)
  @Access({ terminals: ['payphone'] })
  @ApiProblems(400, 401, 403, 404, 422)
  end(
    @UuidParam('id') id: string,
    @Body() dto: EndCallDto,
    @CurrentPrincipal() terminal: TerminalPrincipal,
  ): Promise<CallEndDto> {
    return this.ends.end(id, dto, terminal);
  }
}
