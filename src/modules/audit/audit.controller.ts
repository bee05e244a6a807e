import { Controller, Get, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Access, CurrentPrincipal } from '../../common/auth/access.decorator';
import { Principal } from '../../common/auth/principal';
import { ApiProblems } from '../../common/http/api-problems.decorator';
import { AuditQueryService } from './audit-query.service';
import { AuditEventPageDto, AuditEventsQueryDto, AuditVerificationDto } from './dto/audit.dto';

@ApiTags('audit')
@Controller()
export class AuditController {
  constructor(private readonly audit: AuditQueryService) {}

  /**
   * Audit events, oldest first, within the auditor's facilities (national auditors also see the
   * national chain: accounts, facilities). Oldest by writing transaction: an event appears once
   * every transaction older than its own has ended, so paging on never skips one that committed
   * late. Every page with events gives a `nextCursor` (the trail grows: a follower asks again from
   * it later); a page with none gives null.
   */
  @Get('audit-events')
  @Access({ staff: ['auditor'] })
  @ApiProblems(400, 401, 403, 404)
  list(
    @Query() q: AuditEventsQueryDto,
    @CurrentPrincipal() actor: Principal,
  ): Promise<AuditEventPageDto> {
    return this.audit.list(actor, q);
  }

  /**
   * Recomputes the hash chains. `ok: false` names the first event that does not verify; a
   * chain whose head no longer matches its last event (a deleted tail) is reported too.
   */
  @Get('audit/verify')
  @Access({ staff: ['auditor'] })
  @ApiProblems(401, 403)
  verify(@CurrentPrincipal() actor: Principal): Promise<AuditVerificationDto> {
    return this.audit.verify(actor);
  }
}
