import { Injectable } from '@nestjs/common';
import { Principal } from '../../common/auth/principal';
import { decodeCursor, pageLimit, toPage } from '../../common/http/pagination';
import { DomainError } from '../../common/errors/domain-error';
import { Currency } from '../../common/money';
import { Clock } from '../../common/time/clock';
import { FacilitiesService } from '../facilities/facilities.service';
import { PrisonerRegistryService } from '../facilities/prisoner-registry.service';
import { PrisonerEntity } from '../facilities/entities/prisoner.entity';
import { PolicyService } from '../policies/policy.service';
import { CardsRepository } from './cards.repository';
import { AccountDto, StatementDto, StatementQueryDto } from './dto/cards.dto';
import { LedgerService } from './ledger.service';
import { monthOf, SpendingLimitService } from './spending-limit.service';

const CURRENCY: Currency = 'KZT';

const invalidCursor = () =>
  new DomainError('INVALID_CURSOR', 'cursor is not one this API issued', [
    { field: 'cursor', message: 'invalid cursor' },
  ]);

/** A prisoner's account as staff of the facility and linked relatives see it. */
@Injectable()
export class AccountService {
  constructor(
    private readonly prisoners: PrisonerRegistryService,
    private readonly facilities: FacilitiesService,
    private readonly policies: PolicyService,
    private readonly limits: SpendingLimitService,
    private readonly ledger: LedgerService,
    private readonly cards: CardsRepository,
    private readonly clock: Clock,
  ) {}

  /** Staff within their facilities; relatives through an approved link; 404 otherwise. */
  async prisonerFor(prisonerId: string, actor: Principal): Promise<PrisonerEntity> {
    return this.prisoners.require(prisonerId, actor);
  }

  async account(prisonerId: string, actor: Principal): Promise<AccountDto> {
    const p = await this.prisonerFor(prisonerId, actor);
    const now = this.clock.now();
    const zone = (await this.facilities.require(p.facilityId)).timeZone;
    const { month } = monthOf(now, zone);
    const limit = this.limits.limitFor(await this.policies.resolve(p.facilityId, now), p);
    const wallet = await this.ledger.figures(p.id, CURRENCY);
    return {
      prisonerId: p.id,
      balanceMinor: wallet.balance.minor,
      heldMinor: wallet.held.minor,
      availableMinor: wallet.available.minor,
      currency: CURRENCY,
      spentThisMonthMinor: await this.cards.spentInMonth(p.id, month),
      monthlyLimitMinor: limit.limitMinor,
      month,
      policyVersionIds: limit.versionIds,
    };
  }

  async statement(
    prisonerId: string,
    q: StatementQueryDto,
    actor: Principal,
  ): Promise<StatementDto> {
    const p = await this.prisonerFor(prisonerId, actor);
    const now = this.clock.now();
    const zone = (await this.facilities.require(p.facilityId)).timeZone;
    const from = q.from ? new Date(q.from) : monthOf(now, zone).start;
    const to = q.to ? new Date(q.to) : new Date(now.getTime() + 1);
    const limit = pageLimit(q);
    const cursor = decodeCursor(q.cursor);
    if (cursor && !/^[1-9][0-9]{0,15}$/.test(cursor.k)) throw invalidCursor();
    const lines = await this.ledger.statement(
      p.id,
      CURRENCY,
      from,
      to,
      cursor ? Number(cursor.k) : null,
      limit + 1,
    );
    const page = toPage(
      lines,
      limit,
      (l) => ({ k: String(l.postingId), id: l.entryId }),
      (l) => ({
        entryId: l.entryId,
        kind: l.kind,
        amountMinor: l.amountMinor,
        balanceAfterMinor: l.balanceAfterMinor,
        description: l.description,
        createdAt: l.createdAt.toISOString(),
      }),
    );
    return {
      prisonerId: p.id,
      currency: CURRENCY,
      from: from.toISOString(),
      to: to.toISOString(),
      ...page,
    };
  }
}
