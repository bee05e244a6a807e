/** Currencies this ledger keeps. Amounts are integer minor units (tiyn for KZT), never floats. */
export const CURRENCIES = ['KZT'] as const;
export type Currency = (typeof CURRENCIES)[number];

/** The most a single amount may be in this API: far above any real sum, well inside safe integers. */
export const MAX_AMOUNT_MINOR = 1_000_000_000_00;

/** Minor units from JSON or the database (bigint columns arrive as strings), checked to be exact. */
export function toMinor(v: string | number | bigint): number {
  const n = typeof v === 'number' ? v : Number(v);
  if (!Number.isSafeInteger(n)) throw new Error(`not an exact amount in minor units: ${String(v)}`);
  return n;
}

export function isCurrency(v: string): v is Currency {
  return (CURRENCIES as readonly string[]).includes(v);
}

/**
 * An amount of money: integer minor units and their currency, always together. Arithmetic is exact
 * (through bigint, checked back to a safe integer) and refuses to mix currencies.
 */
export class Money {
  private constructor(
    readonly minor: number,
    readonly currency: Currency,
  ) {}

  static of(minor: string | number | bigint, currency: string): Money {
    if (!isCurrency(currency)) throw new Error(`not a currency this ledger keeps: ${currency}`);
    return new Money(toMinor(minor), currency);
  }

  static zero(currency: Currency): Money {
    return new Money(0, currency);
  }

  plus(o: Money): Money {
    return new Money(toMinor(BigInt(this.minor) + BigInt(this.same(o).minor)), this.currency);
  }

  minus(o: Money): Money {
    return new Money(toMinor(BigInt(this.minor) - BigInt(this.same(o).minor)), this.currency);
  }

  negated(): Money {
    return new Money(this.minor === 0 ? 0 : -this.minor, this.currency);
  }

  isZero(): boolean {
    return this.minor === 0;
  }

  isPositive(): boolean {
    return this.minor > 0;
  }

  isNegative(): boolean {
    return this.minor < 0;
  }

  /** Negative, zero or positive as this is less than, equal to or more than `o`. */
  compare(o: Money): number {
    return Math.sign(this.minor - this.same(o).minor);
  }

  greaterThan(o: Money): boolean {
    return this.compare(o) > 0;
  }

  equals(o: Money): boolean {
    return this.currency === o.currency && this.minor === o.minor;
  }

  toString(): string {
    return `${this.minor} ${this.currency}`;
  }

  private same(o: Money): Money {
    if (o.currency !== this.currency)
      throw new Error(`cannot mix ${this.currency} and ${o.currency}`);
    return o;
  }
}

/** A limit of `multiplier` MCI, exactly: the multiplier has at most two decimals. */
export function mciLimitMinor(multiplier: number, mciMinor: number): number {
  const hundredths = BigInt(Math.round(multiplier * 100));
  return toMinor((hundredths * BigInt(mciMinor)) / 100n);
}
