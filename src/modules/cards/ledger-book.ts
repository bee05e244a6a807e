import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { UnitOfWork } from '../../common/database/unit-of-work';
import { DomainError } from '../../common/errors/domain-error';
import { RequestContext } from '../../common/http/request-context';
import { Currency, Money } from '../../common/money';
import { Clock } from '../../common/time/clock';
import {
  EntryKind,
  HoldOutcome,
  HouseKind,
  LedgerBatch,
  LedgerRepository,
  OpenHoldRow,
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

/** A wallet as this transaction knows it, from its lock on: figures include its queued writes. */
export interface WalletState {
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

type Leg = { wallet: WalletState; amountMinor: number } | (House & { amountMinor: number });

interface TxLedger {
  wallets: Map<string, WalletState>;
  batch: LedgerBatch;
  deferred: boolean;
}

const walletKey = (prisonerId: string, currency: string) => `${prisonerId}|${currency}`;

/**
 * The ledger's book for the open transaction: the wallets it has locked, with their figures as
 * its queued writes leave them, and those writes, sent in one statement just before COMMIT (see
 * LedgerRepository.batchWrite). LedgerService and LedgerHoldsService move money through it;
 * nothing else does.
 */
@Injectable()
export class LedgerBook {
  private readonly houseIds = new Map<string, string>();

  constructor(
    private readonly uow: UnitOfWork,
    private readonly repo: LedgerRepository,
    private readonly clock: Clock,
  ) {}

  /** The wallet if this transaction has locked it (always undefined outside a transaction). */
  known(prisonerId: string, currency: string): WalletState | undefined {
    return this.uow.inTransaction()
      ? this.tx().wallets.get(walletKey(prisonerId, currency))
      : undefined;
  }

  /** The locked wallet that has this hold open, if this transaction has read it. */
  holding(holdId: string): WalletState | undefined {
    for (const w of this.tx().wallets.values()) if (w.holds?.has(holdId)) return w;
    return undefined;
  }

  /** Takes a wallet row locked by this transaction (or its absence) as the wallet's state. */
  adopt(row: WalletRow | null, prisonerId: string, currency: Currency): WalletState {
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
  async locked(prisonerId: string, currency: Currency, create: boolean): Promise<WalletState> {
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
  async withHolds(w: WalletState): Promise<WalletState> {
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

  /** Queues an entry; wallet legs move their (locked) wallets now, in this transaction's figures. */
  async entry(m: Movement, currency: Currency, legs: Leg[]): Promise<string> {
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

  /** Queues a new hold on a locked wallet and counts it in the wallet's figures. */
  queueHold(w: WalletState, hold: Omit<LedgerBatch['holds'][number], 'requestId'>): void {
    this.tx().batch.holds.push({ ...hold, requestId: requestId() });
    w.holds!.set(hold.id, {
      id: hold.id,
      amountMinor: hold.amountMinor,
      expiresAt: hold.expiresAt,
    });
    w.held += hold.amountMinor;
    this.touched(w);
    this.deferBatch();
  }

  /** Takes an open hold out of a locked wallet's figures (its settlement is queued apart). */
  closeHold(w: WalletState, hold: OpenHoldRow): void {
    w.holds!.delete(hold.id);
    w.held -= hold.amountMinor;
    this.touched(w);
  }

  queueSettlement(
    holdId: string,
    outcome: HoldOutcome,
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

  figuresOf(w: WalletState): WalletFigures {
    return {
      balance: Money.of(w.balance, w.currency),
      held: Money.of(w.held, w.currency),
      available: Money.of(w.balance - w.held, w.currency),
    };
  }

  assertAvailable(w: WalletState, amount: Money): void {
    const available = w.balance - w.held;
    if (amount.minor > available) {
      throw new DomainError(
        'INSUFFICIENT_FUNDS',
        `${available} is available (balance ${w.balance}, held ${w.held}); ${amount.minor} is more`,
        [{ field: 'amountMinor', message: `at most ${available}` }],
      );
    }
  }

  assertPositive(amount: Money): void {
    if (!amount.isPositive()) throw new Error(`a movement of ${amount.toString()}`);
  }

  assertInTransaction(): void {
    if (!this.uow.inTransaction())
      throw new Error('the ledger writes only inside a use case transaction');
  }

  private tx(): TxLedger {
    return this.uow.txState<TxLedger>('ledger', () => ({
      wallets: new Map(),
      batch: { entries: [], postings: [], wallets: [], holds: [], settlements: [] },
      deferred: false,
    }));
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
}

function requestId(): string | null {
  return RequestContext.current()?.requestId ?? null;
}
