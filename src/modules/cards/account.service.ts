import { Injectable } from '@nestjs/common';
import { Principal } from '../../common/auth/principal';
import { Currency } from '../../common/money';
import { Clock } from '../../common/time/clock';
import { FacilitiesService } from '../facilities/facilities.service';
import { PrisonerRegistryService } from '../facilities/prisoner-registry.service';
import { PrisonerEntity } from '../facilities/entities/prisoner.entity';
import { PolicyService } from '../policies/policy.service';
import { CardsRepository } from './cards.repository';
import { AccountDto } from './dto/cards.dto';
import { LedgerService } from './ledger.service';
import { monthOf, SpendingLimitService } from './spending-limit.service';

const CURRENCY: Currency = 'KZT';

/** A prisoner's account as staff of the facility and linked relatives see it (the statement: StatementService). */
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
}
