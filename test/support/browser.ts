import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';

/** Debian's Chromium (Playwright cannot download browsers here); CHROMIUM_PATH overrides. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

/**
 * Where the browser tests save their screenshots: a git-ignored folder by default, so `npm test`
 * leaves the checkout clean; `npm run screenshots` points it at docs/screenshots (the README's).
 */
export const SHOTS = process.env.SCREENSHOTS_DIR ?? 'test/.screenshots';

export async function shot(page: Page, name: string, { fullPage = false } = {}) {
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage });
}

/** Ids of the event rows on the Live page, top to bottom. */
export function feedIds(p: Page): Promise<string[]> {
  return p.$$eval('[data-testid=feed] .event', (els) => els.map((e) => (e as HTMLElement).dataset.id!));
}
