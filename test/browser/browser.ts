import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { chromium, Browser, BrowserContext, Page } from 'playwright-core';
import { CHROMIUM } from './chromium';

export const ARTIFACTS = path.resolve(__dirname, '../../test-artifacts/browser');
const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/** What each page's axe run found, for the report at the end. */
export const axeReport: { page: string; violations: { id: string; impact: string | null }[] }[] =
  [];
/** Content-Security-Policy refusals the browser reported (the page must need none). */
export const cspViolations: string[] = [];

export function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    // as root in a container Chromium's sandbox cannot start
    args: process.getuid?.() === 0 ? ['--no-sandbox'] : [],
  });
}

/** A phone: small screen, touch, the given browser language. */
export async function phone(browser: Browser, locale: string): Promise<BrowserContext> {
  const context = await browser.newContext({
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 1,
    isMobile: true,
    hasTouch: true,
    locale,
  });
  context.on('console', (msg) => {
    if (/Content[- ]Security[- ]Policy/i.test(msg.text())) cspViolations.push(msg.text());
  });
  return context;
}

let shots = 0;
/** A full-page screenshot under test-artifacts/browser, numbered in the order of the steps. */
export async function shot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS, { recursive: true });
  shots += 1;
  const file = path.join(ARTIFACTS, `${String(shots).padStart(2, '0')}-${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/**
 * axe-core on the page as it is (WCAG 2.0/2.1 A and AA rules and best practices); evaluated over
 * the DevTools protocol, so the page's own CSP (no inline script) need not be loosened for it.
 */
export async function axe(page: Page, name: string): Promise<AxeViolation[]> {
  await page.evaluate(AXE);
  // a string: it runs in the page, where the DOM's types are (the tests are type-checked for Node)
  const violations = (await page.evaluate(`(async () => {
    const r = await window.axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
    });
    return r.violations.map((v) => ({
      id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target })),
    }));
  })()`)) as AxeViolation[];
  axeReport.push({
    page: name,
    violations: violations.map((v) => ({ id: v.id, impact: v.impact })),
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/** Presses Tab until the focused element matches `selector` (keyboard only: no clicks). */
export async function tabTo(page: Page, selector: string, max = 80): Promise<void> {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    const at = `!!document.activeElement && document.activeElement.matches(${JSON.stringify(selector)})`;
    if (await page.evaluate(at)) return;
  }
  throw new Error(`Tab never reached ${selector}`);
}

/**
 * Bytes over the wire (headers and bodies as sent, compressed) for loading `url` with an empty
 * cache: every request the page made, counted by the browser (DevTools protocol).
 */
export async function coldWeight(
  context: BrowserContext,
  page: Page,
  url: string,
): Promise<{ bytes: number; requests: number }> {
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.clearBrowserCache');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  let bytes = 0;
  let requests = 0;
  cdp.on('Network.loadingFinished', (e: { encodedDataLength: number }) => {
    bytes += e.encodedDataLength;
    requests += 1;
  });
  await page.goto(url, { waitUntil: 'load' });
  await page.waitForLoadState('networkidle');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: false });
  await cdp.detach();
  return { bytes, requests };
}
