import { Body, Controller, Get, Ip, Post, UseGuards } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Access, CurrentPrincipal, Public } from '../../common/auth/access.decorator';
import { RelativePrincipal } from '../../common/auth/principal';
import { ApiProblems } from '../../common/http/api-problems.decorator';
import { AuthThrottleGuard } from './auth-throttle.guard';
import { RegisterRelativeDto, RelativeDto } from './dto/relative.dto';
import { RelativeAccountsService } from './relative-accounts.service';
import { UseCase } from '../../common/use-case/use-case.decorator';

@ApiTags('relatives')
@Controller('relatives')
export class RelativesController {
  constructor(private readonly relatives: RelativeAccountsService) {}

  /** Register a relative's account (then sign in and ask to be linked to a prisoner). */
  @Post()
  @UseCase()
  @Public()
  @UseGuards(AuthThrottleGuard)
  @ApiProblems(400, 409, 429)
  register(@Body() dto: RegisterRelativeDto, @Ip() ip: string): Promise<RelativeDto> {
    return this.relatives.register(dto, ip);
  }

  /** The signed-in relative's own account. */
  @Get('me')
  @Access({ relative: true })
  @ApiProblems(401, 403)
  me(@CurrentPrincipal() p: RelativePrincipal): Promise<RelativeDto> {
    return this.relatives.me(p);
  }
}
