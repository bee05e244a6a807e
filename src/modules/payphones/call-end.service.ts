import { Injectable } from '@nestjs/common';
import { TerminalPrincipal } from '../../common/auth/principal';
import { UnitOfWork } from '../../common/database/unit-of-work';
import { DomainError, NotFoundError } from '../../common/errors/domain-error';
import { AuditService } from '../audit/audit.service';
import { CallClosingService } from './call-closing.service';
import { CallsRepository } from './calls.repository';
import { CallEndDto, EndCallDto } from './dto/call.dto';

/** The terminal reports that a call ended: its cost is captured, the rest of its hold released. */
@Injectable()
export class CallEndService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly calls: CallsRepository,
    private readonly closing: CallClosingService,
    private readonly audit: AuditService,
  ) {}

  end(callId: string, dto: EndCallDto, terminal: TerminalPrincipal): Promise<CallEndDto> {
    return this.uow.run(async () => {
      const seen = await this.calls.find(callId);
      // only the terminal that asked reports the end
      if (!seen || seen.terminalId !== terminal.id) throw new NotFoundError('Call');
      if (seen.outcome === 'denied')
        throw new DomainError('CALL_NOT_IN_PROGRESS', 'The call was denied: it never started');
      await this.calls.lockPrisoner(seen.prisonerId!);
      const c = (await this.calls.findForUpdate(callId))!;
      // a repeated report changes nothing and gets the first answer (the report itself is kept)
      if (c.status === 'ended') {
        this.audit.record({
          action: 'call.end-repeated',
          targetType: 'call',
          targetId: c.id,
          facilityId: c.facilityId,
          summary: {
            durationSeconds: dto.durationSeconds,
            firstDurationSeconds: c.durationSeconds,
          },
          actor: terminal,
        });
        return CallEndDto.from(c);
      }
      if (c.status !== 'in-progress') {
        throw new DomainError(
          'CALL_NOT_IN_PROGRESS',
          `The call was closed ${c.status === 'unreported' ? 'unreported: its end came too late' : 'by a transfer or release'}; nothing was charged`,
        );
      }
      return CallEndDto.from(await this.closing.end(c, dto.durationSeconds, terminal));
    });
  }
}
