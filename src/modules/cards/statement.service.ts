import { Injectable } from '@nestjs/common';
import { Principal } from '../../common/auth/principal';
import { DomainError } from '../../common/errors/domain-error';
import { decodeCursor, listScope, pageLimit, toPage } from '../../common/http/pagination';
import { Currency } from '../../common/money';
import { Clock } from '../../common/time/clock';
import { AccessService } from '../access/access.service';
import { FacilitiesService } from '../facilities/facilities.service';
import { PrisonerRegistryService } from '../facilities/prisoner-registry.service';
import { DepositsRepository } from './deposits.repository';
import { StatementDto, StatementLineDto, StatementQueryDto } from './dto/cards.dto';
import { LedgerService, StatementLine } from './ledger.service';
import { monthOf } from './spending-limit.service';

const CURRENCY: Currency = 'KZT';
const DEPOSIT_KINDS = new Set(['stripe-deposit', 'cash-deposit']);

const invalidCursor = () =>
  new DomainError('INVALID_CURSOR', 'cursor is not one this API issued', [
    { field: 'cursor', message: 'invalid cursor' },
  ]);

/**
 * A prisoner's statement, as its reader may see it. Staff of the facility see every line whole:
 * its entry, its description (a refund's reason, a cash receipt, the number a call went to) and
 * the deposit behind it. A linked relative sees amounts, dates, kinds and running balances, and
 * the references of their own deposits only: what staff wrote, and other people's payments and
 * numbers, are not theirs to read.
 */
@Injectable()
export class StatementService {
  constructor(
    private readonly prisoners: PrisonerRegistryService,
    private readonly facilities: FacilitiesService,
    private readonly ledger: LedgerService,
    private readonly deposits: DepositsRepository,
    private readonly access: AccessService,
    private readonly clock: Clock,
  ) {}

  async statement(
    prisonerId: string,
    q: StatementQueryDto,
    actor: Principal,
  ): Promise<StatementDto> {
    // staff within their facilities; relatives through an approved link; 404 otherwise
    const p = await this.prisoners.require(prisonerId, actor);
    const now = this.clock.now();
    const zone = (await this.facilities.require(p.facilityId)).timeZone;
    const from = q.from ? new Date(q.from) : monthOf(now, zone).start;
    const to = q.to ? new Date(q.to) : new Date(now.getTime() + 1);
    const limit = pageLimit(q);
    // bound to what the caller asked for (the defaults move with the clock between pages)
    const list = listScope('statement', p.id, q.from, q.to);
    const cursor = decodeCursor(q.cursor, list);
    if (cursor && !/^[1-9][0-9]{0,15}$/.test(cursor.k)) throw invalidCursor();
    const lines = await this.ledger.statement(
      p.id,
      CURRENCY,
      from,
      to,
      cursor ? Number(cursor.k) : null,
      limit + 1,
    );
    const staff = this.access.inFacility(actor, p.facilityId);
    const reader = this.access.relativeOf(actor);
    const depositIds = lines.filter((l) => DEPOSIT_KINDS.has(l.kind)).map((l) => l.referenceId);
    const deposits = new Map(
      (depositIds.length ? await this.deposits.findMany(depositIds) : []).map((d) => [d.id, d]),
    );
    const view = (l: StatementLine): StatementLineDto => {
      const line: StatementLineDto = {
        kind: l.kind,
        amountMinor: l.amountMinor,
        balanceAfterMinor: l.balanceAfterMinor,
        createdAt: l.createdAt.toISOString(),
      };
      const d = DEPOSIT_KINDS.has(l.kind) ? deposits.get(l.referenceId) : undefined;
      if (staff) {
        line.entryId = l.entryId;
        line.description = l.description;
      }
      if (d && (staff || (reader !== null && d.relativeId === reader))) {
        line.depositId = d.id;
        if (d.method === 'stripe') line.paymentIntentId = d.paymentIntentId;
      }
      return line;
    };
    const page = toPage(
      lines,
      limit,
      (l) => ({ k: String(l.postingId), id: l.entryId }),
      view,
      list,
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
