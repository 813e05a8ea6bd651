import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, afterEach, beforeAll } from 'vitest';
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { launchChromium } from './browser.ts';
import { startConcord } from './concord.ts';
import type { Concord } from './concord.ts';
import { logIn, STEP_MS } from './pages.ts';

export const ROOT = resolve(import.meta.dirname, '../../..');
/** Where failing tests leave a picture of every open page (gitignored). */
export const FAILURE_DIR = join(ROOT, 'test-results/e2e');
/**
 * Where the README's pictures go: `npm run screenshots` (the same suite) sets
 * CONCORD_SCREENSHOTS=docs/screenshots; a plain `npm run test:e2e` leaves them in test-results.
 */
export const SCREENSHOT_DIR = resolve(ROOT, process.env.CONCORD_SCREENSHOTS || 'test-results/e2e/screenshots');
/** The laptop screen the interface is designed for, and the size of the README's pictures. */
export const VIEWPORT = { width: 1280, height: 800 };

export interface E2E {
  concord: Concord;
  browser: Browser;
  /**
   * A page in a browser context of its own, logged in as `username` (through the login form the
   * first time; later contexts of the same user reuse its session cookie, since the server allows
   * few logins a minute). Page errors and console errors are collected and fail the test.
   */
  open(username: string, options?: BrowserContextOptions): Promise<Page>;
  /** A page with nobody logged in. */
  anonymous(): Promise<Page>;
  /** Saves one of the README's pictures (docs/screenshots/<name>.png under `npm run screenshots`). */
  screenshot(page: Page, name: string): Promise<void>;
  /** Errors reported by the pages so far. */
  problems: string[];
}

/**
 * Per test file: the real server on a fresh data folder, one Chromium, and pages that report their
 * errors. On failure, every open page is saved to test-results/e2e/<test name>-<n>.png.
 */
export function e2e(): E2E {
  const state = {} as E2E;
  const contexts: { who: string; context: BrowserContext }[] = [];
  const sessions = new Map<string, BrowserContextOptions['storageState']>();
  state.problems = [];

  const newContext = async (who: string, options: BrowserContextOptions = {}): Promise<{ context: BrowserContext; page: Page }> => {
    const context = await state.browser.newContext({ viewport: VIEWPORT, deviceScaleFactor: 1, locale: 'en-GB', timezoneId: 'Europe/Zurich', acceptDownloads: true, ...options });
    context.setDefaultTimeout(STEP_MS);
    contexts.push({ who, context });
    const page = await context.newPage();
    watch(page, who, state.problems);
    context.on('page', (other) => watch(other, who, state.problems));
    return { context, page };
  };

  state.open = async (username, options = {}) => {
    const storageState = sessions.get(username);
    const { context, page } = await newContext(username, { ...options, ...(storageState ? { storageState } : {}) });
    if (storageState) {
      await page.goto(`${state.concord.url}/groups/cwg-ai`);
      await page.getByRole('heading', { level: 1 }).waitFor();
    } else {
      await logIn(page, state.concord.url, state.concord.login(username));
      sessions.set(username, await context.storageState());
    }
    return page;
  };
  state.anonymous = async () => (await newContext('anonymous')).page;
  state.screenshot = async (page, name) => {
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`) });
  };

  beforeAll(async () => {
    state.concord = await startConcord();
    state.browser = await launchChromium();
  });
  afterEach(async (context) => {
    if (context.task.result?.state === 'fail') {
      mkdirSync(FAILURE_DIR, { recursive: true });
      const base = context.task.name.replace(/[^a-z0-9]+/gi, '-').slice(0, 80);
      let n = 0;
      for (const { who, context: browserContext } of contexts) {
        for (const page of browserContext.pages()) {
          n += 1;
          const path = join(FAILURE_DIR, `${base}-${n}-${who}.png`);
          await page.screenshot({ path, fullPage: true }).catch(() => undefined);
          process.stderr.write(`e2e: "${context.task.name}" failed; ${who}'s page (${page.url()}) saved to ${path}\n`);
        }
      }
    }
    for (const { context: browserContext } of contexts.splice(0)) await browserContext.close().catch(() => undefined);
    state.problems.length = 0;
  });
  afterAll(async () => {
    await state.browser?.close().catch(() => undefined);
    if (state.concord) {
      await state.concord.stop();
    }
  });
  return state;
}

/** Collects uncaught page errors and console errors (CSP violations are reported there). */
function watch(page: Page, who: string, problems: string[]): void {
  // (E2E_STACKS=1 adds the page's stack trace: positions in the built bundle, which has source maps)
  page.on('pageerror', (error) => problems.push(`${who}: page error: ${error.message}${process.env.E2E_STACKS ? `\n${error.stack}` : ''}`));
  page.on('console', (message) => {
    // A 401 before logging in, and a failed load while a page is offline, are the browser's own lines.
    if (message.type() === 'error' && !/status of 401|net::ERR_INTERNET_DISCONNECTED|WebSocket connection to/.test(message.text())) {
      problems.push(`${who}: console error: ${message.text()}`);
    }
  });
  page.on('dialog', (dialog) => {
    problems.push(`${who}: a dialog opened: ${dialog.message()}`);
    void dialog.dismiss();
  });
}
