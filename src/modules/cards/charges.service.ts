import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Principal, TerminalPrincipal } from '../../common/auth/principal';
import { UnitOfWork } from '../../common/database/unit-of-work';
import { DomainError, NotFoundError } from '../../common/errors/domain-error';
import { Money } from '../../common/money';
import { Clock } from '../../common/time/clock';
import { AuditService } from '../audit/audit.service';
import { CardsRepository } from './cards.repository';
import { CardsService } from './cards.service';
import { decideCharge } from './domain/charge.rules';
import { ChargeDecisionDto, CreateChargeDto, CreateRefundDto, RefundDto } from './dto/cards.dto';
import { LedgerService, WalletFigures } from './ledger.service';
import { monthOf } from './spending-limit.service';
import { ChargeDeps } from './charge-deps';

/** Shop charges at commissary terminals, and refunds against them. */
@Injectable()
export class ChargesService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly cards: CardsService,
    private readonly repo: CardsRepository,
    private readonly ledger: LedgerService,
    private readonly deps: ChargeDeps,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async charge(dto: CreateChargeDto, terminal: TerminalPrincipal): Promise<ChargeDecisionDto> {
    const lines = dto.items.reduce((s, i) => s + BigInt(i.quantity) * BigInt(i.unitPriceMinor), 0n);
    if (lines !== BigInt(dto.amountMinor)) {
      throw new DomainError(
        'VALIDATION_FAILED',
        `The items add up to ${lines}, not ${dto.amountMinor}`,
        [
          {
            field: 'items',
            message: `lines add up to ${lines}, not amountMinor ${dto.amountMinor}`,
          },
        ],
      );
    }
    const now = this.clock.now();
    const facility = await this.deps.facilities.require(terminal.facilityId);
    const { month } = monthOf(now, facility.timeZone);
    const policy = await this.deps.policies.resolve(terminal.facilityId, now);
    const id = randomUUID();

    return this.uow.run(async () => {
      // the holder, the card and the wallet, locked in that order (every decision's) in one statement
      const found = await this.cards.findForCharge(dto.cardNumber, dto.currency);
      const card = found?.card;
      const p = found?.holder;
      // a card of a prisoner held elsewhere is unknown here: a terminal learns nothing of other facilities
      const usable = !!card && !!p && p.facilityId === terminal.facilityId && p.status === 'held';
      let wallet: WalletFigures | null = null;
      let spent = 0;
      let limit = { limitMinor: 0, versionIds: [] as string[] };
      if (usable) {
        wallet = await this.ledger.wallet(p.id, dto.currency); // locked with the card: no round trip
        spent = await this.repo.spentInMonth(p.id, month);
        limit = this.deps.limits.limitFor(policy, p);
      }
      const reasons = decideCharge({
        cardUsableHere: usable,
        cardActive: card?.status === 'active',
        amountMinor: dto.amountMinor,
        // what may be spent: the balance less open holds (a call under way)
        balanceMinor: wallet?.available.minor ?? 0,
        spentThisMonthMinor: spent,
        monthlyLimitMinor: limit.limitMinor,
      });
      const approved = reasons.length === 0;
      let balanceAfter: number | null = wallet?.balance.minor ?? null;
      let entryId: string | null = null;
      if (approved) {
        // the decision, its entry, its audit event and its idempotency key go in one last statement
        const moved = await this.ledger.debit({
          wallet: p!.id,
          amount: Money.of(dto.amountMinor, dto.currency),
          to: { house: 'shop-revenue', facilityId: terminal.facilityId },
          kind: 'charge',
          facilityId: terminal.facilityId,
          referenceId: id,
          description: dto.items.map((i) => `${i.quantity} × ${i.description}`).join('; '),
        });
        entryId = moved.entryId;
        balanceAfter = moved.balanceAfter.minor;
      }
      this.repo.deferInsertCharge({
        id,
        facilityId: terminal.facilityId,
        terminalId: terminal.id,
        cardId: usable ? card.id : null,
        prisonerId: usable ? p.id : null,
        amountMinor: dto.amountMinor,
        currency: dto.currency,
        items: dto.items,
        outcome: approved ? 'approved' : 'declined',
        reasons,
        policyVersionIds: limit.versionIds,
        balanceAfterMinor: balanceAfter,
        entryId,
        localMonth: month,
        createdAt: now,
      });
      this.audit.record({
        action: approved ? 'charge.approve' : 'charge.decline',
        targetType: 'charge',
        targetId: id,
        facilityId: terminal.facilityId,
        summary: {
          prisonerId: usable ? p.id : null,
          cardLast4: usable ? card.last4 : null,
          amountMinor: dto.amountMinor,
          currency: dto.currency,
          reasons: reasons.map((r) => r.code),
        },
        policyVersionIds: limit.versionIds,
        actor: terminal,
      });
      return {
        id,
        outcome: approved ? ('approved' as const) : ('declined' as const),
        reasons,
        amountMinor: dto.amountMinor,
        currency: dto.currency,
        balanceAfterMinor: balanceAfter,
        cardLast4: usable ? card.last4 : null,
        policyVersionIds: limit.versionIds,
        createdAt: now.toISOString(),
      };
    });
  }

  refund(chargeId: string, dto: CreateRefundDto, actor: Principal): Promise<RefundDto> {
    return this.uow.run(async () => {
      const c = await this.repo.findCharge(chargeId, true);
      if (!c) throw new NotFoundError('Charge');
      await this.deps.access.require(actor, 'charge', [chargeId]);
      if (c.outcome !== 'approved' || !c.prisonerId) {
        throw new DomainError('CHARGE_NOT_REFUNDABLE', 'Only an approved charge can be refunded');
      }
      const left = c.amountMinor - c.refundedMinor;
      if (dto.amountMinor > left) {
        throw new DomainError(
          'REFUND_EXCEEDS_CHARGE',
          `Only ${left} is left to refund of this charge`,
          [{ field: 'amountMinor', message: `at most ${left}` }],
        );
      }
      const id = randomUUID();
      const now = this.clock.now();
      const moved = await this.ledger.credit({
        wallet: c.prisonerId,
        amount: Money.of(dto.amountMinor, c.currency),
        from: { house: 'shop-revenue', facilityId: c.facilityId },
        kind: 'refund',
        facilityId: c.facilityId,
        referenceId: id,
        description: `refund of charge ${c.id}: ${dto.reason}`,
      });
      // after a transfer the wallet is another facility's business: the refund may be right here,
      // the balance (with what was paid in over there) is not this facility's to see
      const holder = await this.deps.prisoners.require(c.prisonerId);
      const seesWallet = this.deps.access.inFacility(actor, holder.facilityId);
      await this.repo.addRefunded(c.id, dto.amountMinor);
      await this.repo.insertRefund({
        id,
        chargeId: c.id,
        amountMinor: dto.amountMinor,
        reason: dto.reason,
        actorKind: actor.kind,
        actorId: actor.id,
        entryId: moved.entryId,
        localMonth: c.localMonth,
        createdAt: now,
      });
      this.audit.record({
        action: 'charge.refund',
        targetType: 'charge',
        targetId: c.id,
        facilityId: c.facilityId,
        summary: {
          refundId: id,
          amountMinor: dto.amountMinor,
          currency: c.currency,
          reason: dto.reason,
        },
        actor,
      });
      return {
        id,
        chargeId: c.id,
        amountMinor: dto.amountMinor,
        currency: c.currency,
        refundedTotalMinor: c.refundedMinor + dto.amountMinor,
        remainingMinor: left - dto.amountMinor,
        balanceAfterMinor: seesWallet ? moved.balanceAfter.minor : null,
        createdAt: now.toISOString(),
      };
    });
  }
}
