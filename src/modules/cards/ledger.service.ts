import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { UnitOfWork } from '../../common/database/unit-of-work';
import { DomainError } from '../../common/errors/domain-error';
import { RequestContext } from '../../common/http/request-context';
import { Clock } from '../../common/time/clock';
import { AccountKind, EntryKind, LedgerRepository, StatementLine } from './ledger.repository';

export type Leg =
  | { wallet: string; amountMinor: number }
  | {
      house: Exclude<AccountKind, 'prisoner-wallet'>;
      facilityId: string | null;
      amountMinor: number;
    };

export interface EntryRequest {
  kind: EntryKind;
  facilityId: string | null;
  /** The charge, refund or deposit this entry records; an entry per (kind, reference) at most. */
  referenceId: string;
  currency: string;
  description?: string;
  legs: Leg[];
}

export interface PostedEntry {
  entryId: string;
  /** Wallet balances after the entry, by prisoner id. */
  walletBalances: Map<string, number>;
}

/**
 * The only writer of money. Every entry is a set of postings that sum to zero, written in the
 * caller's transaction; wallets move with a conditional update that cannot take them below zero;
 * nothing is ever updated or deleted (a correction is another entry). The database checks the
 * same: balanced entries at COMMIT, non-negative wallets, append-only tables.
 */
@Injectable()
export class LedgerService {
  private readonly houseIds = new Map<string, string>();

  constructor(
    private readonly uow: UnitOfWork,
    private readonly repo: LedgerRepository,
    private readonly clock: Clock,
  ) {}

  /** Locks the prisoner's wallet to the end of the transaction; returns its balance. */
  async lockWallet(prisonerId: string, currency: string): Promise<number> {
    this.assertInTransaction();
    const w = await this.repo.lockWallet(prisonerId, currency);
    this.walletIds().set(`${prisonerId}|${currency}`, w.id);
    return w.balanceMinor;
  }

  private walletIds(): Map<string, string> {
    return this.uow.txState('ledger:wallets', () => new Map<string, string>());
  }

  walletBalance(prisonerId: string, currency: string): Promise<number> {
    return this.repo.walletBalance(prisonerId, currency);
  }

  statement(
    prisonerId: string,
    currency: string,
    from: Date,
    to: Date,
    limit: number,
  ): Promise<StatementLine[]> {
    return this.repo.statement(prisonerId, currency, from, to, limit);
  }

  async post(req: EntryRequest): Promise<PostedEntry> {
    this.assertInTransaction();
    const total = req.legs.reduce((s, l) => s + BigInt(l.amountMinor), 0n);
    if (
      total !== 0n ||
      req.legs.length < 2 ||
      req.legs.some((l) => !Number.isSafeInteger(l.amountMinor) || l.amountMinor === 0)
    ) {
      throw new Error(`unbalanced ledger entry ${req.kind} ${req.referenceId}`);
    }
    const entryId = randomUUID();
    // wallets in a fixed order, so two entries touching the same wallets cannot deadlock
    const legs = [...req.legs].sort((a, b) =>
      ('wallet' in a ? a.wallet : '').localeCompare('wallet' in b ? b.wallet : ''),
    );
    const resolved: Array<{
      accountId: string;
      amountMinor: number;
      wallet: boolean;
      prisonerId?: string;
    }> = [];
    for (const leg of legs) {
      if ('wallet' in leg) {
        const key = `${leg.wallet}|${req.currency}`;
        const accountId =
          this.walletIds().get(key) ?? (await this.repo.walletId(leg.wallet, req.currency));
        resolved.push({
          accountId,
          amountMinor: leg.amountMinor,
          wallet: true,
          prisonerId: leg.wallet,
        });
      } else {
        resolved.push({
          accountId: await this.houseAccount(leg.house, leg.facilityId, req.currency),
          amountMinor: leg.amountMinor,
          wallet: false,
        });
      }
    }
    const after = await this.repo.writeEntry(
      {
        id: entryId,
        kind: req.kind,
        facilityId: req.facilityId,
        referenceId: req.referenceId,
        description: req.description ?? null,
        requestId: RequestContext.current()?.requestId ?? null,
        createdAt: this.clock.now(),
        currency: req.currency,
      },
      resolved,
    );
    const walletBalances = new Map<string, number>();
    for (const r of resolved.filter((x) => x.wallet)) {
      const balance = after.get(r.accountId);
      if (balance === null || balance === undefined)
        throw new DomainError('RULE_VIOLATION', 'The wallet would go below zero');
      walletBalances.set(r.prisonerId!, balance);
    }
    return { entryId, walletBalances };
  }

  private async houseAccount(
    kind: Exclude<AccountKind, 'prisoner-wallet'>,
    facilityId: string | null,
    currency: string,
  ) {
    const key = `${kind}|${facilityId}|${currency}`;
    let id = this.houseIds.get(key);
    if (!id) {
      const found = await this.repo.houseAccountId(kind, facilityId, currency);
      id = found.id;
      // an account created by this transaction is cached only once it is known to exist
      if (!found.created) this.houseIds.set(key, id);
    }
    return id;
  }

  private assertInTransaction(): void {
    if (!this.uow.inTransaction())
      throw new Error('the ledger writes only inside a use case transaction');
  }
}
