import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

const SYSTEM_CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable'];

/** The flags this machine's closed network needs: nothing may phone home. */
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

/**
 * The browser for end-to-end tests, never downloaded: CHROMIUM_PATH, else a system Chromium, else the one shipped
 * inside the `@sparticuz/chromium` package pinned in package-lock.json (unpacked to the temp directory on first use).
 */
export async function chromiumPath(): Promise<{ path: string; source: string }> {
  if (process.env.CHROMIUM_PATH) return { path: process.env.CHROMIUM_PATH, source: 'CHROMIUM_PATH' };
  const system = SYSTEM_CHROMIUM.find((p) => existsSync(p));
  if (system) return { path: system, source: 'system' };
  const { default: packaged } = await import('@sparticuz/chromium');
  return { path: await packaged.executablePath(), source: '@sparticuz/chromium' };
}

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: (await chromiumPath()).path, args: CHROMIUM_ARGS });
}
