import { Injectable } from '@nestjs/common';
import { Principal } from '../../common/auth/principal';
import { Currency, Money } from '../../common/money';
import { Clock } from '../../common/time/clock';
import { AuditService } from '../audit/audit.service';
import { LedgerService } from '../cards/ledger.service';
import { CallRow, CallsRepository } from './calls.repository';
import { callCost, countsAgainstAllowance } from './domain/call.rules';

/**
 * The end of a call in progress, in the caller's transaction (under the prisoner's call lock):
 * reported by its terminal (the cost captured from the call's hold, the rest released), or closed
 * without a report — never reported, or cancelled by a transfer or release — with the hold
 * released and nothing charged. The call and its hold end together: no hold outlives its call.
 */
@Injectable()
export class CallClosingService {
  constructor(
    private readonly calls: CallsRepository,
    private readonly ledger: LedgerService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async end(c: CallRow, durationSeconds: number, actor: Principal): Promise<CallRow> {
    const now = this.clock.now();
    const charged = callCost(durationSeconds, c.tariffMinorPerMinute, c.heldMinor);
    if (c.holdId) {
      await this.ledger.capture({
        holdId: c.holdId,
        amount: Money.of(charged, c.currency as Currency),
        to: { house: 'phone-revenue', facilityId: c.facilityId },
        kind: 'call-charge',
        referenceId: c.id,
        facilityId: c.facilityId,
        description: `call to ${c.dialedNumber}, ${durationSeconds} s`,
      });
    }
    const ended: CallRow = {
      ...c,
      status: 'ended',
      endedAt: now,
      durationSeconds,
      chargedMinor: charged,
      countsAgainstAllowance: countsAgainstAllowance({
        legal: c.legal,
        status: 'ended',
        durationSeconds,
      }),
    };
    this.calls.deferClose({
      id: c.id,
      status: 'ended',
      endedAt: now,
      durationSeconds,
      chargedMinor: charged,
      countsAgainstAllowance: ended.countsAgainstAllowance,
    });
    this.audit.record({
      action: 'call.end',
      targetType: 'call',
      targetId: c.id,
      facilityId: c.facilityId,
      summary: {
        prisonerId: c.prisonerId,
        durationSeconds,
        chargedMinor: charged,
        releasedMinor: c.heldMinor - charged,
        currency: c.currency,
      },
      actor,
    });
    return ended;
  }

  async close(
    c: CallRow,
    status: 'unreported' | 'cancelled',
    why: string,
    actor: Principal | null,
  ): Promise<CallRow> {
    if (c.holdId) await this.ledger.release(c.holdId);
    const now = this.clock.now();
    const closed: CallRow = {
      ...c,
      status,
      endedAt: now,
      durationSeconds: null,
      chargedMinor: 0,
      countsAgainstAllowance: countsAgainstAllowance({
        legal: c.legal,
        status,
        durationSeconds: null,
      }),
    };
    this.calls.deferClose({
      id: c.id,
      status,
      endedAt: now,
      durationSeconds: null,
      chargedMinor: 0,
      countsAgainstAllowance: closed.countsAgainstAllowance,
    });
    this.audit.record({
      action: `call.${status === 'unreported' ? 'close-unreported' : 'cancel'}`,
      targetType: 'call',
      targetId: c.id,
      facilityId: c.facilityId,
      summary: { prisonerId: c.prisonerId, releasedMinor: c.heldMinor, why },
      // null: whoever made the request that closes it (the system outside one)
      actor: actor ?? undefined,
    });
    return closed;
  }
}
