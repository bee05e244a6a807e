/**
 * Every fault test draws its choices (the mix and order of requests, amounts, when to strike) from
 * one seed, printed at the start; `FAULT_SEED=<n>` runs it again with the same choices.
 */
export interface Rng {
  readonly seed: number;
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [min, max]. */
  int(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
  /** A UUID-shaped key drawn from the seed (an Idempotency-Key that replays with it). */
  uuid(): string;
}

export function seededRng(name: string): Rng {
  const given = process.env.FAULT_SEED;
  const seed =
    given !== undefined && /^\d+$/.test(given)
      ? Number(given)
      : Math.floor(Math.random() * 2 ** 31);
  console.log(`${name}: fault seed ${seed} (replay: FAULT_SEED=${seed} npm run test:faults)`);
  // mulberry32
  let a = seed >>> 0;
  const next = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const hex = (n: number): string =>
    Array.from({ length: n }, () => Math.floor(next() * 16).toString(16)).join('');
  return {
    seed,
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    pick: (items) => items[Math.floor(next() * items.length)],
    uuid: () => `${hex(8)}-${hex(4)}-4${hex(3)}-a${hex(3)}-${hex(12)}`,
  };
}
