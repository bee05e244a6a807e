import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Debian's Chromium for the browser tests, and nothing downloaded from anywhere else: installed
 * with apt-get when missing and we run as root (as CI does); otherwise the reason the tests are
 * skipped, said once and loudly.
 */
export function ensureChromium(): string | null {
  if (existsSync(CHROMIUM)) return null;
  if (process.platform !== 'linux' || process.getuid?.() !== 0 || !existsSync('/usr/bin/apt-get')) {
    return `${CHROMIUM} is missing and this is not root on Debian/Ubuntu (apt-get install -y chromium to run them)`;
  }
  const apt = (args: string[]) =>
    execFileSync('apt-get', args, {
      stdio: ['ignore', 'ignore', 'inherit'],
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
      timeout: 15 * 60_000,
    });
  console.warn(`\n[browser tests] ${CHROMIUM} is missing: apt-get install -y chromium`);
  try {
    apt(['install', '-y', 'chromium']);
  } catch {
    // an old or empty package list: refresh it once
    try {
      apt(['update']);
      apt(['install', '-y', 'chromium']);
    } catch (err) {
      return `apt-get could not install chromium (${(err as Error).message.split('\n')[0]})`;
    }
  }
  return existsSync(CHROMIUM) ? null : `apt-get installed chromium, but ${CHROMIUM} is not there`;
}
