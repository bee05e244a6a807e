import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { TerminalPrincipal } from '../../common/auth/principal';
import { UnitOfWork } from '../../common/database/unit-of-work';
import { Money } from '../../common/money';
import { LedgerService } from '../cards/ledger.service';
import { CallClosingService } from './call-closing.service';
import { CallDeps } from './call-deps';
import { CallRow, CallsRepository } from './calls.repository';
import { ContactsRepository } from './contacts.repository';
import {
  CallReason,
  countsAgainstAllowance,
  decideCall,
  HOLD_MARGIN_SECONDS,
  UNREPORTED_GRACE_SECONDS,
} from './domain/call.rules';
import { localDay, openNow } from './domain/hours';
import { AuthorizeCallDto, CallDecisionDto } from './dto/call.dto';
import { PhoneScheduleService } from './phone-schedule.service';

const CURRENCY = 'KZT';

/**
 * May this prisoner call this number now, and for how long? A stored decision either way; an
 * authorised call holds its most possible cost on the prisoner's card until it ends.
 */
@Injectable()
export class CallAuthorisationService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly calls: CallsRepository,
    private readonly contacts: ContactsRepository,
    private readonly closing: CallClosingService,
    private readonly schedule: PhoneScheduleService,
    private readonly ledger: LedgerService,
    private readonly deps: CallDeps,
  ) {}

  async authorize(dto: AuthorizeCallDto, terminal: TerminalPrincipal): Promise<CallDecisionDto> {
    const now = this.deps.clock.now();
    const facility = await this.deps.facilities.require(terminal.facilityId);
    const zone = facility.timeZone;
    const policy = await this.deps.policies.resolve(terminal.facilityId, now);
    const day = localDay(now, zone);
    const id = randomUUID();

    return this.uow.run(async () => {
      const p = await this.deps.prisoners.findForDecision(dto.prisonerId);
      const here = !!p && p.facilityId === terminal.facilityId && p.status === 'held';
      const rules = this.deps.rules.rules(policy, here ? p : null);
      const base: CallRow = {
        id,
        facilityId: terminal.facilityId,
        terminalId: terminal.id,
        requestedPrisonerId: dto.prisonerId,
        prisonerId: null,
        dialedNumber: dto.dialedNumber,
        contactId: null,
        legal: false,
        outcome: 'denied',
        reasons: [],
        maxDurationSeconds: 0,
        tariffMinorPerMinute: rules.tariffMinorPerMinute,
        currency: CURRENCY,
        holdId: null,
        heldMinor: 0,
        policyVersionIds: rules.versionIds,
        localMonth: day.month,
        authorizedAt: now,
        endsBy: now,
        status: null,
        countsAgainstAllowance: false,
        endedAt: null,
        durationSeconds: null,
        chargedMinor: null,
      };
      if (!here) {
        // the same answer for a prisoner held elsewhere and one who does not exist
        const reasons: CallReason[] = [
          {
            code: 'PRISONER_NOT_IN_FACILITY',
            message: 'No such prisoner is held in this facility',
          },
        ];
        return this.record({ ...base, reasons }, terminal);
      }

      await this.calls.lockPrisoner(p.id);
      const contact = await this.contacts.approved(p.id, dto.dialedNumber);
      const facts = await this.calls.facts(p.id, day.month);
      let inProgress = facts.inProgress;
      if (
        inProgress &&
        inProgress.endsBy.getTime() + UNREPORTED_GRACE_SECONDS * 1000 <= now.getTime()
      ) {
        // never reported: closed now rather than by the next round of the closing job
        await this.closing.close(inProgress, 'unreported', 'past its end and grace', null);
        inProgress = null;
      }
      const hours = openNow(now, zone, rules);
      const phone = await this.schedule.forCall(terminal.id, p.id, now, hours.closesAt);
      const wallet = await this.ledger.wallet(p.id, CURRENCY);
      const legal = contact?.legal ?? false;
      const d = decideCall({
        numberApproved: contact !== null,
        legal,
        open: hours.open,
        secondsToClose: hours.secondsToClose,
        maxCallMinutes: rules.maxCallMinutes,
        tariffMinorPerMinute: rules.tariffMinorPerMinute,
        availableMinor: wallet.available.minor,
        callsPerMonth: rules.callsPerMonth!,
        callsThisMonth: facts.callsThisMonth,
        callInProgress: inProgress !== null,
        phoneBookedForOther: phone.bookedForOther,
        secondsToNextBooking: phone.secondsToNextBooking,
      });
      const decided: CallRow = {
        ...base,
        prisonerId: p.id,
        contactId: contact?.id ?? null,
        legal,
        reasons: d.reasons,
        policyVersionIds: rules.versionIds,
      };
      if (d.reasons.length > 0) return this.record(decided, terminal);

      const endsBy = new Date(now.getTime() + d.maxDurationSeconds * 1000);
      let holdId: string | null = null;
      if (d.holdMinor > 0) {
        const grace = (UNREPORTED_GRACE_SECONDS + HOLD_MARGIN_SECONDS) * 1000;
        holdId = (
          await this.ledger.hold({
            wallet: p.id,
            amount: Money.of(d.holdMinor, CURRENCY),
            kind: 'call',
            referenceId: id,
            facilityId: terminal.facilityId,
            expiresAt: new Date(endsBy.getTime() + grace),
            description: `call to ${dto.dialedNumber}`,
          })
        ).holdId;
      }
      const status = 'in-progress' as const;
      return this.record(
        {
          ...decided,
          outcome: 'authorized',
          maxDurationSeconds: d.maxDurationSeconds,
          holdId,
          heldMinor: d.holdMinor,
          endsBy,
          status,
          countsAgainstAllowance: countsAgainstAllowance({ legal, status, durationSeconds: null }),
        },
        terminal,
      );
    });
  }

  private record(c: CallRow, terminal: TerminalPrincipal): CallDecisionDto {
    this.calls.deferInsert(c);
    this.deps.audit.record({
      action: c.outcome === 'authorized' ? 'call.authorize' : 'call.deny',
      targetType: 'call',
      targetId: c.id,
      facilityId: c.facilityId,
      summary: {
        prisonerId: c.requestedPrisonerId,
        dialedNumber: c.dialedNumber,
        reasons: c.reasons.map((r) => r.code),
        maxDurationSeconds: c.maxDurationSeconds,
        heldMinor: c.heldMinor,
        monitored: !c.legal,
      },
      policyVersionIds: c.policyVersionIds,
      actor: terminal,
    });
    return CallDecisionDto.from(c);
  }
}
