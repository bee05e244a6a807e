import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Row } from '../../common/database/sql-repository';
import { UnitOfWork } from '../../common/database/unit-of-work';
import { DomainError, NotFoundError } from '../../common/errors/domain-error';
import { RequestContext } from '../../common/http/request-context';
import { Currency, Money } from '../../common/money';
import { Clock } from '../../common/time/clock';
import {
  EntryKind,
  HoldKind,
  HouseKind,
  LedgerBatch,
  LedgerRepository,
  OpenHoldRow,
  StatementLine,
  WalletOwnerLookup,
  WalletRow,
} from './ledger.repository';

/** A house account: a facility's shop or phone revenue, its cash clearing, the Stripe clearing. */
export interface House {
  house: HouseKind;
  facilityId: string | null;
}

/** What a movement is, for the entry that records it. */
export interface Movement {
  kind: EntryKind;
  /** The charge, refund, deposit or call it records: one entry per (kind, reference) at most. */
  referenceId: string;
  facilityId: string | null;
  description?: string;
}

export interface WalletFigures {
  balance: Money;
  /** Open holds that have not expired. */
  held: Money;
  /** What may be spent or held: balance − held. */
  available: Money;
}

export interface Moved {
  entryId: string;
  balanceAfter: Money;
}

export interface HoldPlaced {
  holdId: string;
  expiresAt: Date;
  availableAfter: Money;
}

export interface HoldSettled {
  /** The capture's entry (null when nothing was captured). */
  entryId: string | null;
  captured: Money;
  released: Money;
  balanceAfter: Money;
}

/** A wallet as this transaction knows it, from its lock on: figures include its queued writes. */
interface WalletState {
  /** null: the prisoner has no wallet in this currency (nothing to spend; a credit creates it). */
  id: string | null;
  prisonerId: string;
  currency: Currency;
  balance: number;
  /** Unsettled holds (expired ones until they are settled). */
  held: number;
  lockedBalance: number;
  lockedHeld: number;
  /** Unsettled, unexpired holds, once read. */
  holds?: Map<string, OpenHoldRow>;
}

interface TxLedger {
  wallets: Map<string, WalletState>;
  batch: LedgerBatch;
  deferred: boolean;
}

const walletKey = (prisonerId: string, currency: string) => `${prisonerId}|${currency}`;

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
  private readonly houseIds = new Map<string, string>();

  constructor(
    private readonly uow: UnitOfWork,
    private readonly repo: LedgerRepository,
    private readonly clock: Clock,
  ) {}

  // ---- reading

  /** A wallet's figures as a reader sees them now (the transaction's own, inside one). */
  async figures(prisonerId: string, currency: Currency): Promise<WalletFigures> {
    const known = this.uow.inTransaction()
      ? this.tx().wallets.get(walletKey(prisonerId, currency))
      : undefined;
    if (known) return this.figuresOf(await this.withHolds(known));
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
    this.assertInTransaction();
    const tx = this.tx();
    const missing = [...new Set(prisonerIds)].filter(
      (id) => !tx.wallets.has(walletKey(id, currency)),
    );
    if (missing.length) {
      const rows = await this.repo.lockWallets(missing, currency, false);
      for (const id of missing) {
        const row = rows.find((r) => r.prisonerId === id);
        this.adopt(row ?? null, id, currency);
      }
    }
    const out = new Map<string, WalletFigures>();
    for (const id of prisonerIds) {
      const w = tx.wallets.get(walletKey(id, currency))!;
      out.set(id, this.figuresOf(await this.withHolds(w)));
    }
    return out;
  }

  /** Locks one prisoner's wallet (see `lock`) and gives its figures. */
  async wallet(prisonerId: string, currency: Currency): Promise<WalletFigures> {
    return (await this.lock([prisonerId], currency)).get(prisonerId)!;
  }

  /**
   * Runs a lookup that finds a wallet's owner (its `prisoner_id` column) and locks that wallet in
   * the same statement, for a hot path that would otherwise spend a round trip on each. Returns
   * the lookup's row, or null when it found nothing. The lookup's own locks come first.
   */
  async lockWalletOf(lookup: WalletOwnerLookup, currency: Currency): Promise<Row | null> {
    this.assertInTransaction();
    const found = await this.repo.lockWalletOf(lookup, currency);
    if (!found) return null;
    const prisonerId = found.row.prisoner_id as string;
    if (!this.tx().wallets.has(walletKey(prisonerId, currency)))
      this.adopt(found.wallet, prisonerId, currency);
    return found.row;
  }

  // ---- moving money

  /** Takes money from a wallet (never more than is available) to a house account. */
  async debit(op: Movement & { wallet: string; amount: Money; to: House }): Promise<Moved> {
    this.assertPositive(op.amount);
    const w = await this.withHolds(await this.locked(op.wallet, op.amount.currency, false));
    this.assertAvailable(w, op.amount);
    const entryId = await this.entry(op, op.amount.currency, [
      { wallet: w, amountMinor: -op.amount.minor },
      { ...op.to, amountMinor: op.amount.minor },
    ]);
    return { entryId, balanceAfter: Money.of(w.balance, w.currency) };
  }

  /** Puts money into a wallet (created if it has none) from a house account. */
  async credit(op: Movement & { wallet: string; amount: Money; from: House }): Promise<Moved> {
    this.assertPositive(op.amount);
    const w = await this.locked(op.wallet, op.amount.currency, true);
    const entryId = await this.entry(op, op.amount.currency, [
      { wallet: w, amountMinor: op.amount.minor },
      { ...op.from, amountMinor: -op.amount.minor },
    ]);
    return { entryId, balanceAfter: Money.of(w.balance, w.currency) };
  }

  /**
   * Sets money aside on a wallet until `expiresAt` (never more than is available): it stays in the
   * balance but cannot be spent or held again. It ends captured (in part, the rest released),
   * released, or — past its expiry — expired, when the wallet is next locked; an expired hold
   * counts for nothing and cannot be captured.
   */
  async hold(op: {
    wallet: string;
    amount: Money;
    kind: HoldKind;
    referenceId: string;
    facilityId: string | null;
    expiresAt: Date;
    description?: string;
  }): Promise<HoldPlaced> {
    this.assertPositive(op.amount);
    const now = this.clock.now();
    if (op.expiresAt.getTime() <= now.getTime())
      throw new DomainError('RULE_VIOLATION', 'A hold must expire after it is placed');
    const w = await this.withHolds(await this.locked(op.wallet, op.amount.currency, false));
    this.assertAvailable(w, op.amount);
    const id = randomUUID();
    this.tx().batch.holds.push({
      id,
      accountId: w.id!,
      kind: op.kind,
      referenceId: op.referenceId,
      facilityId: op.facilityId,
      amountMinor: op.amount.minor,
      currency: w.currency,
      description: op.description?.slice(0, 500) ?? null,
      requestId: requestId(),
      createdAt: now,
      expiresAt: op.expiresAt,
    });
    w.holds!.set(id, { id, amountMinor: op.amount.minor, expiresAt: op.expiresAt });
    w.held += op.amount.minor;
    this.touched(w);
    this.deferBatch();
    return {
      holdId: id,
      expiresAt: op.expiresAt,
      availableAfter: Money.of(w.balance - w.held, w.currency),
    };
  }

  /**
   * Takes `amount` (at most what the hold holds) from the wallet to a house account and releases
   * the rest: the hold ends.
   */
  async capture(op: Movement & { holdId: string; amount: Money; to: House }): Promise<HoldSettled> {
    const { w, hold } = await this.openHold(op.holdId);
    if (op.amount.currency !== w.currency || op.amount.isNegative())
      throw new Error(`cannot capture ${op.amount.toString()} from a ${w.currency} hold`);
    if (op.amount.minor > hold.amountMinor) {
      throw new DomainError(
        'CAPTURE_EXCEEDS_HOLD',
        `The hold is ${hold.amountMinor}; ${op.amount.minor} cannot be captured from it`,
        [{ field: 'amountMinor', message: `at most ${hold.amountMinor}` }],
      );
    }
    this.closeHold(w, hold);
    const entryId = op.amount.isZero()
      ? null
      : await this.entry(op, w.currency, [
          { wallet: w, amountMinor: -op.amount.minor },
          { ...op.to, amountMinor: op.amount.minor },
        ]);
    return this.settle(w, hold, op.amount.minor, entryId);
  }

  /** Releases a hold whole: nothing is captured. */
  async release(holdId: string): Promise<HoldSettled> {
    const { w, hold } = await this.openHold(holdId);
    this.closeHold(w, hold);
    return this.settle(w, hold, 0, null);
  }

  // ---- inside

  private tx(): TxLedger {
    return this.uow.txState<TxLedger>('ledger', () => ({
      wallets: new Map(),
      batch: { entries: [], postings: [], wallets: [], holds: [], settlements: [] },
      deferred: false,
    }));
  }

  private adopt(row: WalletRow | null, prisonerId: string, currency: Currency): WalletState {
    const w: WalletState = {
      id: row?.id ?? null,
      prisonerId,
      currency,
      balance: row?.balanceMinor ?? 0,
      held: row?.heldMinor ?? 0,
      lockedBalance: row?.balanceMinor ?? 0,
      lockedHeld: row?.heldMinor ?? 0,
    };
    this.tx().wallets.set(walletKey(prisonerId, currency), w);
    return w;
  }

  /** The wallet, locked by this transaction (now, if not yet); created if missing when `create`. */
  private async locked(
    prisonerId: string,
    currency: Currency,
    create: boolean,
  ): Promise<WalletState> {
    this.assertInTransaction();
    const known = this.tx().wallets.get(walletKey(prisonerId, currency));
    if (known && (known.id !== null || !create)) return known;
    const [row] = await this.repo.lockWallets([prisonerId], currency, create);
    return this.adopt(row ?? null, prisonerId, currency);
  }

  /**
   * Reads the locked wallet's open holds once (only when it has any: none is the common case and
   * costs nothing). Holds past their expiry are settled as expired here, in this transaction.
   */
  private async withHolds(w: WalletState): Promise<WalletState> {
    if (w.holds) return w;
    w.holds = new Map();
    if (w.id === null || w.held === 0) return w;
    const now = this.clock.now().getTime();
    for (const h of await this.repo.openHolds(w.id)) {
      if (h.expiresAt.getTime() > now) {
        w.holds.set(h.id, h);
      } else {
        w.held -= h.amountMinor;
        this.queueSettlement(h.id, 'expired', 0, h.amountMinor, null);
      }
    }
    this.touched(w);
    return w;
  }

  private async openHold(holdId: string): Promise<{ w: WalletState; hold: OpenHoldRow }> {
    this.assertInTransaction();
    const tx = this.tx();
    let w = [...tx.wallets.values()].find((x) => x.holds?.has(holdId));
    if (!w) {
      const row = await this.repo.lockWalletOfHold(holdId);
      if (!row) throw new NotFoundError('Hold');
      w =
        tx.wallets.get(walletKey(row.prisonerId, row.currency)) ??
        this.adopt(row, row.prisonerId, row.currency as Currency);
    }
    const hold = (await this.withHolds(w)).holds!.get(holdId);
    if (!hold) throw new DomainError('HOLD_CLOSED', 'The hold was captured, released or expired');
    return { w, hold };
  }

  private closeHold(w: WalletState, hold: OpenHoldRow): void {
    w.holds!.delete(hold.id);
    w.held -= hold.amountMinor;
    this.touched(w);
  }

  private settle(
    w: WalletState,
    hold: OpenHoldRow,
    capturedMinor: number,
    entryId: string | null,
  ): HoldSettled {
    const releasedMinor = hold.amountMinor - capturedMinor;
    this.queueSettlement(
      hold.id,
      capturedMinor > 0 ? 'captured' : 'released',
      capturedMinor,
      releasedMinor,
      entryId,
    );
    return {
      entryId,
      captured: Money.of(capturedMinor, w.currency),
      released: Money.of(releasedMinor, w.currency),
      balanceAfter: Money.of(w.balance, w.currency),
    };
  }

  private queueSettlement(
    holdId: string,
    outcome: 'captured' | 'released' | 'expired',
    capturedMinor: number,
    releasedMinor: number,
    entryId: string | null,
  ): void {
    this.tx().batch.settlements.push({
      holdId,
      outcome,
      capturedMinor,
      releasedMinor,
      entryId,
      requestId: requestId(),
      createdAt: this.clock.now(),
    });
    this.deferBatch();
  }

  /** Queues an entry; wallet legs move their (locked) wallets now, in this transaction's figures. */
  private async entry(
    m: Movement,
    currency: Currency,
    legs: Array<{ wallet: WalletState; amountMinor: number } | (House & { amountMinor: number })>,
  ): Promise<string> {
    const accounts: Array<string> = [];
    for (const leg of legs) {
      if ('wallet' in leg) {
        if (leg.wallet.id === null) throw new Error('a wallet leg needs a wallet');
        accounts.push(leg.wallet.id);
      } else {
        accounts.push(await this.houseAccount(leg.house, leg.facilityId, currency));
      }
    }
    const batch = this.tx().batch;
    const id = randomUUID();
    const createdAt = this.clock.now();
    batch.entries.push({
      id,
      kind: m.kind,
      facilityId: m.facilityId,
      referenceId: m.referenceId,
      description: m.description?.slice(0, 500) ?? null,
      requestId: requestId(),
      createdAt,
    });
    legs.forEach((leg, i) => {
      let balanceAfter: number | null = null;
      if ('wallet' in leg) {
        leg.wallet.balance += leg.amountMinor;
        if (leg.wallet.balance < leg.wallet.held) throw new Error('a wallet went below its holds');
        balanceAfter = leg.wallet.balance;
        this.touched(leg.wallet);
      }
      batch.postings.push({
        entryId: id,
        accountId: accounts[i],
        amountMinor: leg.amountMinor,
        currency,
        balanceAfterMinor: balanceAfter,
        createdAt,
      });
    });
    this.deferBatch();
    return id;
  }

  /** Keeps the batch's line for a wallet in step with what this transaction did to it. */
  private touched(w: WalletState): void {
    if (w.id === null) return;
    const wallets = this.tx().batch.wallets;
    const line = {
      id: w.id,
      balanceDelta: w.balance - w.lockedBalance,
      heldDelta: w.held - w.lockedHeld,
      balanceAfter: w.balance,
      heldAfter: w.held,
    };
    const i = wallets.findIndex((x) => x.id === w.id);
    if (i >= 0) wallets[i] = line;
    else if (line.balanceDelta !== 0 || line.heldDelta !== 0) wallets.push(line);
  }

  private deferBatch(): void {
    const tx = this.tx();
    if (tx.deferred) return;
    tx.deferred = true;
    this.uow.defer(this.repo.batchWrite(tx.batch));
  }

  private figuresOf(w: WalletState): WalletFigures {
    return {
      balance: Money.of(w.balance, w.currency),
      held: Money.of(w.held, w.currency),
      available: Money.of(w.balance - w.held, w.currency),
    };
  }

  private assertAvailable(w: WalletState, amount: Money): void {
    const available = w.balance - w.held;
    if (amount.minor > available) {
      throw new DomainError(
        'INSUFFICIENT_FUNDS',
        `${available} is available (balance ${w.balance}, held ${w.held}); ${amount.minor} is more`,
        [{ field: 'amountMinor', message: `at most ${available}` }],
      );
    }
  }

  private assertPositive(amount: Money): void {
    if (!amount.isPositive()) throw new Error(`a movement of ${amount.toString()}`);
  }

  private async houseAccount(kind: HouseKind, facilityId: string | null, currency: string) {
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

function requestId(): string | null {
  return RequestContext.current()?.requestId ?? null;
}
