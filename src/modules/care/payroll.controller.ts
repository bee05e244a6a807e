import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Access, CurrentPrincipal } from '../../common/auth/access.decorator';
import { StaffPrincipal } from '../../common/auth/principal';
import { ApiProblems } from '../../common/http/api-problems.decorator';
import { UuidParam } from '../../common/http/uuid-param.decorator';
import { UseCase } from '../../common/use-case/use-case.decorator';
import { PayrollDto, RunPayrollDto } from './dto/payroll.dto';
import { PayrollService } from './payroll.service';

@ApiTags('care')
@ApiBearerAuth()
@Controller()
export class PayrollController {
  constructor(private readonly payroll: PayrollService) {}

  /**
   * Pay the orderlies of the facility for a month that has ended (`MONTH_NOT_ENDED` otherwise):
   * `care.orderlyMonthlyWageMinor` pro rata for the days each held the position (30-day month),
   * credited to their wallets. Once per orderly and month however often it is called: the answer
   * lists what this call paid and what earlier calls had paid.
   */
  @Post('facilities/:facilityId/care/payroll')
  @UseCase()
  @HttpCode(200)
  @Access({ staff: ['finance-officer'], facilityParam: 'facilityId' })
  @ApiProblems(400, 401, 403, 404, 422)
  run(
    @UuidParam('facilityId') facilityId: string,
    @Body() dto: RunPayrollDto,
    @CurrentPrincipal() actor: StaffPrincipal,
  ): Promise<PayrollDto> {
    return this.payroll.run(facilityId, dto.month, actor);
  }
}
