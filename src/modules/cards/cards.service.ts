import { Injectable } from '@nestjs/common';
import { Principal } from '../../common/auth/principal';
import { UnitOfWork } from '../../common/database/unit-of-work';
import { DomainError, NotFoundError } from '../../common/errors/domain-error';
import { Currency } from '../../common/money';
import { Clock } from '../../common/time/clock';
import { Env } from '../../config/env.schema';
import { AuditService } from '../audit/audit.service';
import { PrisonerEntity } from '../facilities/entities/prisoner.entity';
import { PrisonerRegistryService } from '../facilities/prisoner-registry.service';
import { LedgerService } from './ledger.service';
import { CardRow, CardsRepository } from './cards.repository';
import { cardNumberHmac, isValidCardNumber, newCardNumber } from './domain/card-number';
import { CardDto, IssuedCardDto } from './dto/cards.dto';

/** Prisoners' cards: issue (a new card blocks the old one), block, unblock, find by number. */
@Injectable()
export class CardsService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly cards: CardsRepository,
    private readonly prisoners: PrisonerRegistryService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly env: Env,
    private readonly ledger: LedgerService,
  ) {}

  async issue(prisonerId: string, actor: Principal): Promise<IssuedCardDto> {
    const p = await this.prisoners.require(prisonerId, actor);
    const now = this.clock.now();
    return this.uow.run(async () => {
      // one issuance per prisoner at a time: the old card is blocked and the new one active, atomically
      await this.uow.lock(`cards:${p.id}`);
      const replaced = await this.cards.blockActive(p.id, 'replaced by a new card', now);
      for (let attempt = 0; ; attempt++) {
        const number = newCardNumber();
        const hmac = cardNumberHmac(this.env.CARD_HMAC_SECRET!, number);
        if ((await this.cards.findCardByHmac(hmac)) && attempt < 5) continue; // 10^11 numbers: a clash is rare
        const card = await this.cards.insertCard({
          prisonerId: p.id,
          last4: number.slice(-4),
          numberHmac: hmac,
          issuedBy: actor.id,
          issuedAt: now,
        });
        this.audit.record({
          action: 'card.issue',
          targetType: 'card',
          targetId: card.id,
          facilityId: p.facilityId,
          summary: { prisonerId: p.id, last4: card.last4, replacedCardIds: replaced },
          actor,
        });
        return { ...CardDto.from(card), cardNumber: number };
      }
    });
  }

  block(id: string, reason: string | undefined, actor: Principal): Promise<CardDto> {
    return this.uow.run(async () => {
      const { card, facilityId } = await this.lockInScope(id, actor);
      if (card.status === 'blocked')
        throw new DomainError('CARD_BLOCKED_ALREADY', 'The card is already blocked');
      const updated = await this.cards.setCardStatus(
        card.id,
        'blocked',
        reason ?? 'blocked by staff',
        this.clock.now(),
      );
      this.audit.record({
        action: 'card.block',
        targetType: 'card',
        targetId: card.id,
        facilityId,
        summary: { last4: card.last4, reason: reason ?? null },
        actor,
      });
      return CardDto.from(updated);
    });
  }

  unblock(id: string, actor: Principal): Promise<CardDto> {
    return this.uow.run(async () => {
      const { card, facilityId } = await this.lockInScope(id, actor);
      await this.uow.lock(`cards:${card.prisonerId}`);
      // a no-op changes nothing and would leave no trail: refused, as blocking a blocked card is
      if (card.status === 'active')
        throw new DomainError('CARD_NOT_BLOCKED', 'The card is not blocked: nothing to unblock');
      if ((await this.cards.cardsOf(card.prisonerId)).some((c) => c.status === 'active')) {
        throw new DomainError(
          'CARD_ALREADY_ACTIVE',
          'The prisoner has another active card; block it first',
        );
      }
      const updated = await this.cards.setCardStatus(card.id, 'active', null, null);
      this.audit.record({
        action: 'card.unblock',
        targetType: 'card',
        targetId: card.id,
        facilityId,
        summary: { last4: card.last4 },
        actor,
      });
      return CardDto.from(updated);
    });
  }

  async list(prisonerId: string, actor: Principal): Promise<CardDto[]> {
    const p = await this.prisoners.require(prisonerId, actor);
    return (await this.cards.cardsOf(p.id)).map(CardDto.from);
  }

  /**
   * For a charge: the card behind a number and its holder, or null (an invalid number is nobody's
   * card), share-locked — the holder, then the card (blocking it waits for a decision under way,
   * and the other way round) — and the ledger locks the holder's wallet last, all in one round
   * trip.
   */
  async findForCharge(
    number: string,
    currency: Currency,
  ): Promise<{ card: CardRow; holder: PrisonerEntity } | null> {
    if (!isValidCardNumber(number)) return null;
    let holderOf: ((row: Record<string, unknown>) => PrisonerEntity | null) | undefined;
    const { lookup, map } = this.cards.cardByHmacLookup(
      cardNumberHmac(this.env.CARD_HMAC_SECRET!, number),
      (idSql) => {
        const l = this.prisoners.decisionLookup(idSql);
        holderOf = l.map;
        return l;
      },
    );
    const row = await this.ledger.lockWalletOf(lookup, currency);
    const holder = row && holderOf!(row);
    return row && holder ? { card: map(row), holder } : null;
  }

  private async lockInScope(
    id: string,
    actor: Principal,
  ): Promise<{ card: CardRow; facilityId: string }> {
    const card = await this.cards.findCard(id, true);
    if (!card) throw new NotFoundError('Card');
    const p = await this.prisoners.require(card.prisonerId, actor).catch(() => null);
    if (!p) throw new NotFoundError('Card');
    return { card, facilityId: p.facilityId };
  }
}
