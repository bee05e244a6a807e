import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DomainError, NotFoundError } from '../../common/errors/domain-error';
import { Currency, Money } from '../../common/money';
import { Clock } from '../../common/time/clock';
import { House, LedgerBook, Movement, WalletState } from './ledger-book';
import { HoldKind, LedgerRepository, OpenHoldRow } from './ledger.repository';

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

/**
 * Holds on a wallet: money set aside (a call under way), then captured, released or let expire.
 * Reached through LedgerService, the ledger's one API.
 */
@Injectable()
export class LedgerHoldsService {
  constructor(
    private readonly book: LedgerBook,
    private readonly repo: LedgerRepository,
    private readonly clock: Clock,
  ) {}

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
    this.book.assertPositive(op.amount);
    const now = this.clock.now();
    if (op.expiresAt.getTime() <= now.getTime())
      throw new DomainError('RULE_VIOLATION', 'A hold must expire after it is placed');
    const w = await this.book.withHolds(
      await this.book.locked(op.wallet, op.amount.currency, false),
    );
    this.book.assertAvailable(w, op.amount);
    const id = randomUUID();
    this.book.queueHold(w, {
      id,
      accountId: w.id!,
      kind: op.kind,
      referenceId: op.referenceId,
      facilityId: op.facilityId,
      amountMinor: op.amount.minor,
      currency: w.currency,
      description: op.description?.slice(0, 500) ?? null,
      createdAt: now,
      expiresAt: op.expiresAt,
    });
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
    this.book.closeHold(w, hold);
    const entryId = op.amount.isZero()
      ? null
      : await this.book.entry(op, w.currency, [
          { wallet: w, amountMinor: -op.amount.minor },
          { ...op.to, amountMinor: op.amount.minor },
        ]);
    return this.settle(w, hold, op.amount.minor, entryId);
  }

  /** Releases a hold whole: nothing is captured. */
  async release(holdId: string): Promise<HoldSettled> {
    const { w, hold } = await this.openHold(holdId);
    this.book.closeHold(w, hold);
    return this.settle(w, hold, 0, null);
  }

  /** The hold, open, and its wallet, locked (now, if this transaction has not yet). */
  private async openHold(holdId: string): Promise<{ w: WalletState; hold: OpenHoldRow }> {
    this.book.assertInTransaction();
    let w = this.book.holding(holdId);
    if (!w) {
      const row = await this.repo.lockWalletOfHold(holdId);
      if (!row) throw new NotFoundError('Hold');
      w =
        this.book.known(row.prisonerId, row.currency) ??
        this.book.adopt(row, row.prisonerId, row.currency as Currency);
    }
    const hold = (await this.book.withHolds(w)).holds!.get(holdId);
    if (!hold) throw new DomainError('HOLD_CLOSED', 'The hold was captured, released or expired');
    return { w, hold };
  }

  private settle(
    w: WalletState,
    hold: OpenHoldRow,
    capturedMinor: number,
    entryId: string | null,
  ): HoldSettled {
    const releasedMinor = hold.amountMinor - capturedMinor;
    this.book.queueSettlement(
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
}
