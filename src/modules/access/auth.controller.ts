import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Public } from '../../common/auth/access.decorator';
import { ApiProblems } from '../../common/http/api-problems.decorator';
import { AccessTokenDto, StaffLoginDto } from './dto/staff.dto';
import { StaffAuthService } from './staff-auth.service';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(private readonly staffAuth: StaffAuthService) {}

  /** Staff sign-in: a short-lived bearer token. */
  @Post('staff/login')
  @HttpCode(200)
  @Public()
  @ApiProblems(400, 401)
  login(@Body() dto: StaffLoginDto): Promise<AccessTokenDto> {
    return this.staffAuth.login(dto);
  }
}
