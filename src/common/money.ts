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

/** A limit of `multiplier` MCI, exactly: the multiplier has at most two decimals. */
export function mciLimitMinor(multiplier: number, mciMinor: number): number {
  const hundredths = BigInt(Math.round(multiplier * 100));
  return toMinor((hundredths * BigInt(mciMinor)) / 100n);
}
