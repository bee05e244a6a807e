import databaseSetup from '../setup/global-setup';
import { ensureChromium } from './chromium';

/** Chromium (installed if missing and root), then the throwaway PostgreSQL every e2e run gets. */
export default async function browserSetup(): Promise<void> {
  const skip = ensureChromium();
  if (skip) {
    process.env.BROWSER_TESTS_SKIPPED = skip;
    console.warn(`\n\n*** BROWSER TESTS SKIPPED: ${skip} ***\n`);
    return;
  }
  await databaseSetup();
}
