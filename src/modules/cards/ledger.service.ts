import { Injectable } from '@nestjs/common';
import { Row } from '../../common/database/sql-repository';
import { Currency, Money } from '../../common/money';
import { Clock } from '../../common/time/clock';
import { House, LedgerBook, Movement, WalletFigures } from './ledger-book';
import { HoldPlaced, HoldSettled, LedgerHoldsService } from './ledger-holds.service';
import { LedgerRepository, StatementLine, WalletOwnerLookup } from './ledger.repository';

export type { House, Movement, WalletFigures } from './ledger-book';
export type { StatementLine } from './ledger.repository';
export type { HoldPlaced, HoldSettled } from './ledger-holds.service';

export interface Moved {
  entryId: string;
  balanceAfter: Money;
}

/**
 * The only writer of money. Every movement is an entry of postings that sum to zero; a wallet is
 * locked by the ledger itself before anything reads or moves it (wallets locked together in the
 * order of their account ids), its figures are then known to the end of the transaction, and what
 * the transaction writes goes in one statement just before COMMIT (two entries on one wallet both
 * count: the wallet moves by their sum, each posting carries its running balance). A wallet never
 * goes below zero nor holds more than it has (available = balance − open holds); nothing is ever
 * updated or deleted (a correction is another entry; a hold ends with a settlement row). The
 * database checks the same: balanced entries and whole settlements at COMMIT, balance ≥ held ≥ 0,
 * append-only tables.
 */
@Injectable()
export class LedgerService {
  constructor(
    private readonly book: LedgerBook,
    private readonly holds: LedgerHoldsService,
    private readonly repo: LedgerRepository,
    private readonly clock: Clock,
  ) {}

  // ---- reading

  /** A wallet's figures as a reader sees them now (the transaction's own, inside one). */
  async figures(prisonerId: string, currency: Currency): Promise<WalletFigures> {
    const known = this.book.known(prisonerId, currency);
    if (known) return this.book.figuresOf(await this.book.withHolds(known));
    const f = await this.repo.walletFigures(prisonerId, currency, this.clock.now());
    return {
      balance: Money.of(f.balanceMinor, currency),
      held: Money.of(f.heldMinor, currency),
      available: Money.of(f.balanceMinor - f.heldMinor, currency),
    };
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

  // ---- locking

  /**
   * Locks the prisoners' wallets for the rest of the transaction, in the order of their account
   * ids, and gives their figures. A use case that moves several wallets locks them here first,
   * together.
   */
  async lock(prisonerIds: string[], currency: Currency): Promise<Map<string, WalletFigures>> {
    this.book.assertInTransaction();
    const missing = [...new Set(prisonerIds)].filter((id) => !this.book.known(id, currency));
    if (missing.length) {
      const rows = await this.repo.lockWallets(missing, currency, false);
      for (const id of missing) {
        const row = rows.find((r) => r.prisonerId === id);
        this.book.adopt(row ?? null, id, currency);
      }
    }
    const out = new Map<string, WalletFigures>();
    for (const id of prisonerIds) {
      const w = this.book.known(id, currency)!;
      out.set(id, this.book.figuresOf(await this.book.withHolds(w)));
    }
    return out;
  }

  /** Locks one prisoner's wallet (see `lock`) and gives its figures. */
  async wallet(prisonerId: string, currency: Currency): Promise<WalletFigures> {
    const w = await this.book.locked(prisonerId, currency, false);
    return this.book.figuresOf(await this.book.withHolds(w));
  }

  /**
   * Runs a lookup that finds a wallet's owner (its `prisoner_id` column) and locks that wallet in
   * the same statement, for a hot path that would otherwise spend a round trip on each. Returns
   * the lookup's row, or null when it found nothing. The lookup's own locks come first.
   */
  async lockWalletOf(lookup: WalletOwnerLookup, currency: Currency): Promise<Row | null> {
    this.book.assertInTransaction();
    const found = await this.repo.lockWalletOf(lookup, currency);
    if (!found) return null;
    const prisonerId = found.row.prisoner_id as string;
    if (!this.book.known(prisonerId, currency)) this.book.adopt(found.wallet, prisonerId, currency);
    return found.row;
  }

  // ---- moving money

  /** Takes money from a wallet (never more than is available) to a house account. */
  async debit(op: Movement & { wallet: string; amount: Money; to: House }): Promise<Moved> {
    this.book.assertPositive(op.amount);
    const w = await this.book.withHolds(
      await this.book.locked(op.wallet, op.amount.currency, false),
    );
    this.book.assertAvailable(w, op.amount);
    const entryId = await this.book.entry(op, op.amount.currency, [
      { wallet: w, amountMinor: -op.amount.minor },
      { ...op.to, amountMinor: op.amount.minor },
    ]);
    return { entryId, balanceAfter: Money.of(w.balance, w.currency) };
  }

  /** Puts money into a wallet (created if it has none) from a house account. */
  async credit(op: Movement & { wallet: string; amount: Money; from: House }): Promise<Moved> {
    this.book.assertPositive(op.amount);
    const w = await this.book.locked(op.wallet, op.amount.currency, true);
    const entryId = await this.book.entry(op, op.amount.currency, [
      { wallet: w, amountMinor: op.amount.minor },
      { ...op.from, amountMinor: -op.amount.minor },
    ]);
    return { entryId, balanceAfter: Money.of(w.balance, w.currency) };
  }

  // ---- holds (LedgerHoldsService)

  /** See LedgerHoldsService.hold. */
  hold(op: Parameters<LedgerHoldsService['hold']>[0]): Promise<HoldPlaced> {
    return this.holds.hold(op);
  }

  /** See LedgerHoldsService.capture. */
  capture(op: Movement & { holdId: string; amount: Money; to: House }): Promise<HoldSettled> {
    return this.holds.capture(op);
  }

  /** See LedgerHoldsService.release. */
  release(holdId: string): Promise<HoldSettled> {
    return this.holds.release(holdId);
  }
}
