import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Waits for a condition the test cannot be told about (a backend waiting on a lock, readiness
 * turning 503), checking every 25 ms; fails naming it after `limitMs`. A bound, not a timing.
 */
export async function until(
  what: string,
  check: () => Promise<boolean>,
  limitMs = 30_000,
): Promise<void> {
  const end = Date.now() + limitMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > end) throw new Error(`gave up waiting for: ${what}`);
    await sleep(25);
  }
}
