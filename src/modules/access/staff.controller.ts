import { Body, Controller, Get, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Access, CurrentPrincipal } from '../../common/auth/access.decorator';
import { StaffPrincipal } from '../../common/auth/principal';
import { ApiProblems } from '../../common/http/api-problems.decorator';
import { CreateStaffDto, MeDto, StaffDto } from './dto/staff.dto';
import { StaffAccountsService } from './staff-accounts.service';
import { UseCase } from '../../common/use-case/use-case.decorator';

@ApiTags('staff')
@Controller('staff')
export class StaffController {
  constructor(private readonly accounts: StaffAccountsService) {}

  /** Create a staff account; a facility-scoped admin grants only their own facilities. */
  @Post()
  @UseCase()
  @Access({ staff: ['admin'] })
  @ApiProblems(400, 401, 403, 409, 422)
  create(
    @Body() dto: CreateStaffDto,
    @CurrentPrincipal() actor: StaffPrincipal,
  ): Promise<StaffDto> {
    return this.accounts.create(dto, actor);
  }

  /** Who the bearer token belongs to, with roles and scope. */
  @Get('me')
  @Access({ staff: 'any' })
  @ApiProblems(401)
  me(@CurrentPrincipal() p: StaffPrincipal): MeDto {
    return {
      kind: 'staff',
      id: p.id,
      username: p.username,
      roles: [...p.roles],
      facilityIds: p.facilityIds ? [...p.facilityIds] : null,
    };
  }
}
