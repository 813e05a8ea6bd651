import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';
import type { Browser } from 'playwright-core';

/**
 * Debian's Chromium, driven by playwright-core (whose own browser download cannot work here).
 * playwright gives each launch a fresh temporary profile (user data directory) of its own.
 */
export const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'];

export const hasChromium = (): boolean => existsSync(CHROMIUM);

export async function launchChromium(): Promise<Browser> {
  if (!hasChromium()) throw new Error(`no Chromium at ${CHROMIUM}: install Debian's chromium package (.ci/run does) or set CHROMIUM`);
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}
