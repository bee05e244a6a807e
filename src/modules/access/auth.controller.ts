import { Body, Controller, HttpCode, Ip, Post, UseGuards } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Public } from '../../common/auth/access.decorator';
import { ApiProblems } from '../../common/http/api-problems.decorator';
import { AuthThrottleGuard } from './auth-throttle.guard';
import { RelativeLoginDto } from './dto/relative.dto';
import { AccessTokenDto, StaffLoginDto } from './dto/staff.dto';
import { RelativeAccountsService } from './relative-accounts.service';
import { StaffAuthService } from './staff-auth.service';
import { NotAUseCase } from '../../common/use-case/use-case.decorator';

@ApiTags('auth')
@Controller('auth')
@UseGuards(AuthThrottleGuard)
export class AuthController {
  constructor(
    private readonly staffAuth: StaffAuthService,
    private readonly relatives: RelativeAccountsService,
  ) {}

  /**
   * Staff sign-in: a short-lived bearer token. Throttled per address; too many recent failures to
   * an account from this address (or, from an address it never signed in from, from everywhere)
   * answer 429 with Retry-After.
   */
  @Post('staff/login')
  @NotAUseCase(
    'a sign-in creates nothing, and a failed one must be recorded although it answers an error',
  )
  @HttpCode(200)
  @Public()
  @ApiProblems(400, 401, 429)
  login(@Body() dto: StaffLoginDto, @Ip() ip: string): Promise<AccessTokenDto> {
    return this.staffAuth.login(dto, ip);
  }

  /** A relative's sign-in, throttled like the staff one. */
  @Post('relatives/login')
  @NotAUseCase(
    'a sign-in creates nothing, and a failed one must be recorded although it answers an error',
  )
  @HttpCode(200)
  @Public()
  @ApiProblems(400, 401, 429)
  relativeLogin(@Body() dto: RelativeLoginDto, @Ip() ip: string): Promise<AccessTokenDto> {
    return this.relatives.login(dto, ip);
  }
}
