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

/** A leg resolved to its account: a prisoner's wallet, or a house account. */
type AccountLeg =
  | { accountId: string; amountMinor: number; wallet: true; prisonerId: string }
  | { accountId: string; amountMinor: number; wallet: false };
type WalletLeg = Extract<AccountLeg, { wallet: true }>;
const isWallet = (leg: AccountLeg): leg is WalletLeg => leg.wallet;

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
    const known = this.wallets().get(`${prisonerId}|${currency}`);
    if (known?.lockedBalance !== undefined) return known.lockedBalance;
    const w = await this.repo.lockWallet(prisonerId, currency);
    this.wallets().set(`${prisonerId}|${currency}`, { id: w.id, lockedBalance: w.balanceMinor });
    return w.balanceMinor;
  }

  /** A wallet the caller locked (`FOR UPDATE`) in this transaction, with its balance then. */
  adoptLockedWallet(
    prisonerId: string,
    currency: string,
    wallet: { id: string; balanceMinor: number },
  ): void {
    this.assertInTransaction();
    this.wallets().set(`${prisonerId}|${currency}`, {
      id: wallet.id,
      lockedBalance: wallet.balanceMinor,
    });
  }

  /** Wallets this transaction has met; a locked one's balance is known to the end of it. */
  private wallets(): Map<string, { id: string; lockedBalance?: number }> {
    return this.uow.txState('ledger:wallets', () => new Map());
  }

  walletBalance(prisonerId: string, currency: string): Promise<number> {
    return this.repo.walletBalance(prisonerId, currency);
  }

  /**
   * A wallet's postings in [from, to), in the order they were written, after a posting (a page's
   * cursor). A wallet's postings are written under its lock, so that order is the order of COMMIT:
   * a reader paging through never misses one that commits later.
   */
  statement(
    prisonerId: string,
    currency: string,
    from: Date,
    to: Date,
    afterPostingId: number | null,
    limit: number,
  ): Promise<StatementLine[]> {
    return this.repo.statement(prisonerId, currency, from, to, afterPostingId, limit);
  }

  /** Writes an entry now. */
  async post(req: EntryRequest): Promise<PostedEntry> {
    const { entry, legs } = await this.prepare(req);
    const write = this.repo.entryWrite(entry, legs);
    const after = write.after(await this.uow.writeNow(write));
    const walletBalances = new Map<string, number>();
    for (const leg of legs.filter(isWallet)) {
      const balance = after.get(leg.accountId);
      if (balance === null || balance === undefined)
        throw new DomainError('RULE_VIOLATION', 'The wallet would go below zero');
      walletBalances.set(leg.prisonerId, balance);
      const known = this.wallets().get(`${leg.prisonerId}|${req.currency}`);
      if (known?.lockedBalance !== undefined) known.lockedBalance = balance;
    }
    return { entryId: entry.id, walletBalances };
  }

  /**
   * Writes an entry with the transaction's last writes, just before COMMIT (one round trip for
   * all of them). Every wallet it moves must be locked by this transaction (`lockWallet`): their
   * balances after are known now, and the write checks the database agrees. Nothing later in the
   * transaction may read the ledger expecting to see this entry.
   */
  async postDeferred(req: EntryRequest): Promise<PostedEntry> {
    const { entry, legs } = await this.prepare(req);
    const expected = new Map<string, number>();
    const walletBalances = new Map<string, number>();
    for (const leg of legs.filter(isWallet)) {
      const known = this.wallets().get(`${leg.prisonerId}|${req.currency}`);
      if (known?.lockedBalance === undefined)
        throw new Error(`a deferred entry moves wallet ${leg.accountId}, which is not locked`);
      const balance = known.lockedBalance + leg.amountMinor;
      if (balance < 0) throw new DomainError('RULE_VIOLATION', 'The wallet would go below zero');
      known.lockedBalance = balance;
      expected.set(leg.accountId, balance);
      walletBalances.set(leg.prisonerId, balance);
    }
    this.uow.defer(
      this.repo.entryWrite(entry, legs, (after) => {
        for (const [account, balance] of expected) {
          if (after.get(account) !== balance)
            throw new Error(`wallet ${account} moved to ${after.get(account)}, not ${balance}`);
        }
      }),
    );
    return { entryId: entry.id, walletBalances };
  }

  private async prepare(req: EntryRequest) {
    this.assertInTransaction();
    const total = req.legs.reduce((s, l) => s + BigInt(l.amountMinor), 0n);
    if (
      total !== 0n ||
      req.legs.length < 2 ||
      req.legs.some((l) => !Number.isSafeInteger(l.amountMinor) || l.amountMinor === 0)
    ) {
      throw new Error(`unbalanced ledger entry ${req.kind} ${req.referenceId}`);
    }
    // wallets in a fixed order, so two entries touching the same wallets cannot deadlock
    const ordered = [...req.legs].sort((a, b) =>
      ('wallet' in a ? a.wallet : '').localeCompare('wallet' in b ? b.wallet : ''),
    );
    const legs: AccountLeg[] = [];
    for (const leg of ordered) {
      if ('wallet' in leg) {
        const key = `${leg.wallet}|${req.currency}`;
        let accountId = this.wallets().get(key)?.id;
        if (!accountId) {
          accountId = await this.repo.walletId(leg.wallet, req.currency);
          this.wallets().set(key, { id: accountId });
        }
        legs.push({
          accountId,
          amountMinor: leg.amountMinor,
          wallet: true,
          prisonerId: leg.wallet,
        });
      } else {
        legs.push({
          accountId: await this.houseAccount(leg.house, leg.facilityId, req.currency),
          amountMinor: leg.amountMinor,
          wallet: false,
        });
      }
    }
    const entry = {
      id: randomUUID(),
      kind: req.kind,
      facilityId: req.facilityId,
      referenceId: req.referenceId,
      description: req.description ?? null,
      requestId: RequestContext.current()?.requestId ?? null,
      createdAt: this.clock.now(),
      currency: req.currency,
    };
    return { entry, legs };
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
