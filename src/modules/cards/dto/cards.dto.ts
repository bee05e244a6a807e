import { IsIn, IsInt, Matches, Max, Min } from 'class-validator';
import { CURRENCIES, Currency, MAX_AMOUNT_MINOR } from '../../../common/money';
import {
  ArrayOf,
  IsId,
  IsInstant,
  IsText,
  NotBefore,
  Omittable,
} from '../../../common/http/validators';
import { PageQueryDto } from '../../../common/http/pagination';
import type { CardRow } from '../cards.repository';
import { ApiInstant, ApiLocalMonth } from '../../../common/openapi/formats';

/** An amount in minor units: a whole, positive number within safe bounds. */
class Amount {
  @IsInt({ message: 'amountMinor must be a whole number of minor units (tiyn)' })
  @Min(1)
  @Max(MAX_AMOUNT_MINOR)
  amountMinor: number;
}

export class ChargeItemDto {
  @IsText(200)
  description: string;

  @IsInt()
  @Min(1)
  @Max(10_000)
  quantity: number;

  @IsInt()
  @Min(0)
  @Max(MAX_AMOUNT_MINOR)
  unitPriceMinor: number;
}

export class CreateChargeDto extends Amount {
  /** The 16 digits on the card. */
  @Matches(/^[0-9]{16}$/, { message: 'cardNumber must be 16 digits' })
  cardNumber: string;

  @IsIn(CURRENCIES)
  currency: Currency;

  /** What is bought; the lines must add up to amountMinor. */
  @ArrayOf(() => ChargeItemDto, { min: 1, max: 200 })
  items: ChargeItemDto[];
}

export class CreateRefundDto extends Amount {
  @IsText(1000, { multiline: true })
  reason: string;
}

export class CashDepositDto extends Amount {
  @IsIn(CURRENCIES)
  currency: Currency;

  /** The number on the paper receipt, unique in the facility. */
  @Matches(/^[A-Za-z0-9][A-Za-z0-9/-]{0,63}$/, {
    message: 'receiptNumber must be 1-64 letters, digits, / or -',
  })
  receiptNumber: string;
}

export class CreateDepositDto extends Amount {
  @IsId()
  prisonerId: string;

  @IsIn(CURRENCIES)
  currency: Currency;
}

export class BlockCardDto {
  @Omittable()
  @IsText(500, { multiline: true })
  reason?: string;
}

export class StatementQueryDto extends PageQueryDto {
  /** From this instant (default: the start of the current month in the facility). */
  @ApiInstant()
  @Omittable()
  @IsInstant()
  from?: string;

  /** Up to this instant, exclusive (default: now); not before `from`. */
  @ApiInstant()
  @Omittable()
  @IsInstant()
  @NotBefore('from')
  to?: string;
}

export class CardDto {
  id: string;
  prisonerId: string;
  last4: string;
  status: 'active' | 'blocked';
  blockedReason: string | null;
  issuedAt: string;

  static from(c: CardRow): CardDto {
    return {
      id: c.id,
      prisonerId: c.prisonerId,
      last4: c.last4,
      status: c.status,
      blockedReason: c.blockedReason,
      issuedAt: c.issuedAt.toISOString(),
    };
  }
}

export class IssuedCardDto extends CardDto {
  /** Shown this once; only an HMAC of it is stored. */
  cardNumber: string;
}

export class ChargeReasonDto {
  code: string;
  message: string;
}

export class ChargeDecisionDto {
  id: string;
  outcome: 'approved' | 'declined';
  reasons: ChargeReasonDto[];
  amountMinor: number;
  currency: string;
  /** The wallet's balance after the decision (null for a card unknown here). */
  balanceAfterMinor: number | null;
  cardLast4: string | null;
  policyVersionIds: string[];
  createdAt: string;
}

export class RefundDto {
  id: string;
  chargeId: string;
  amountMinor: number;
  currency: string;
  refundedTotalMinor: number;
  remainingMinor: number;
  /** The wallet's balance after the refund; null when the prisoner is now held where the caller has no access. */
  balanceAfterMinor: number | null;
  createdAt: string;
}

export class DepositDto {
  id: string;
  prisonerId: string;
  method: 'stripe' | 'cash';
  amountMinor: number;
  currency: string;
  /** `amount-mismatch`: Stripe took another amount or currency; nothing was credited (see the reconciliation). */
  status: 'creating' | 'pending' | 'succeeded' | 'failed' | 'canceled' | 'amount-mismatch';
  paymentIntentId: string | null;
  receiptNumber: string | null;
  createdAt: string;
}

export class CreatedDepositDto extends DepositDto {
  /** For Stripe.js in the relative's browser to confirm the payment. */
  clientSecret: string;
}

export class AccountDto {
  prisonerId: string;
  balanceMinor: number;
  /** Set aside by open holds (a payphone call under way), not yet captured or released. */
  heldMinor: number;
  /** What may be spent now: balance less open holds. */
  availableMinor: number;
  currency: string;
  /** Net spending in the shop this calendar month (facility time). */
  spentThisMonthMinor: number;
  /** This month's limit: cards.monthlySpendingLimitMci × finance.mciMinor for the prisoner's level and conditions. */
  monthlyLimitMinor: number;
  /** The calendar month in the facility's zone. */
  @ApiLocalMonth()
  month: string;
  policyVersionIds: string[];
}

/**
 * A line of a statement. Every reader gets kind, amount, balance after and time; `entryId` and
 * `description` are for staff of the facility only; `depositId` and `paymentIntentId` name the
 * deposit behind a deposit line, for staff, and for the relative who made it.
 */
export class StatementLineDto {
  /** The ledger entry (staff of the facility only). */
  entryId?: string;
  kind: string;
  amountMinor: number;
  balanceAfterMinor: number;
  /** What the entry records, as staff wrote it (staff of the facility only). */
  description?: string | null;
  /** The deposit behind a deposit line (staff; a relative: their own deposits only). */
  depositId?: string;
  /** A card deposit's Stripe PaymentIntent (staff; a relative: their own deposits only). */
  paymentIntentId?: string | null;
  createdAt: string;
}

export class StatementDto {
  prisonerId: string;
  currency: string;
  @ApiInstant()
  from: string;
  @ApiInstant()
  to: string;
  items: StatementLineDto[];
  /** For the next page (`?cursor=`), or null on the last. */
  nextCursor: string | null;
}

export class MismatchDto {
  /** Which invariant: entry-balances, wallet-balance, wallet-negative, running-balance, deposit-credited-once, … */
  check: string;
  id: string;
  detail: string;
}

export class ReconciliationDto {
  ok: boolean;
  entriesChecked: number;
  accountsChecked: number;
  mismatches: MismatchDto[];
}

export class DepositReconcileResultDto {
  checked: number;
  changed: number;
}
