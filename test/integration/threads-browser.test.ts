import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { PASSWORD, startServer } from '../support/server.ts';
import type { TestServer } from '../support/server.ts';
import { seedNegotiation } from '../support/negotiation.ts';
import { ensureClientBuild } from '../../server/client-build.ts';
import { hasChromium, launchChromium } from '../e2e/support/browser.ts';
import { selectText } from '../e2e/support/pages.ts';

/**
 * The comments sidebar in headless Chromium, against the real server and the built client: two
 * delegations and an observer in one document. Brazil opens a public thread (mentioning Kenya) and
 * keeps a private note; Kenya is notified, replies with markup that must stay text, types before
 * the anchored words (the highlight must stay on them), splits the provision before them (the
 * thread follows them into the new provision), then deletes them (the thread is detached, with
 * its quote). Skipped where Chromium is not installed.
 */
const STEP_MS = 15_000;

describe.skipIf(!hasChromium())('comment threads in the browser', () => {
  let server: TestServer;
  let browser: Browser;
  const problems: string[] = [];

  beforeAll(async () => {
    await ensureClientBuild(() => undefined);
    server = await startServer({ serveClient: true });
    server.config.origins.push(server.url);
    seedNegotiation(server);
    browser = await launchChromium();
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  /** A fresh browser context logged in as `username`, on the document's page, Comments tab open. */
  async function open(username: string): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    context.setDefaultTimeout(STEP_MS);
    const page = await context.newPage();
    page.on('pageerror', (error) => problems.push(`${username}: ${error.message}`));
    page.on('dialog', (dialog) => {
      problems.push(`${username}: a dialog opened: ${dialog.message()}`);
      void dialog.dismiss();
    });
    await page.goto(`${server.url}/login`);
    await page.getByLabel('Username').fill(username);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL((url) => !url.pathname.startsWith('/login'));
    await page.goto(`${server.url}/documents/${server.documentId}`);
    await page.locator('.paper:not(.is-loading) .itu-text').waitFor();
    await page.locator('.connection[data-state="connected"]').waitFor();
    await page.getByRole('tab', { name: /^Comments/ }).click();
    return page;
  }

  async function comment(page: Page, phrase: string, body: string, visibility: 'public' | 'private'): Promise<void> {
    await selectText(page, phrase);
    await page.getByRole('button', { name: 'Comment on the selection' }).click();
    await page.getByLabel('Your comment').fill(body);
    await page.getByLabel('Who sees this thread').selectOption(visibility);
    await page.getByRole('button', { name: 'Post', exact: true }).click();
    await page.locator('.thread', { hasText: body.split('\n')[0]! }).waitFor();
  }

  /** The text of each highlighted anchor in the page. */
  const highlighted = (page: Page) => page.locator('.itu-text .comment-anchor').allInnerTexts();

  it('lets two delegations discuss in a public thread, keeps a private note to its delegation, shows markup as text, and follows the words', async () => {
    const brazil = await open('brazil');
    const kenya = await open('kenya');
    const observer = await open('observer');
    expect(await observer.getByRole('button', { name: 'Comment on the selection' }).count()).toBe(0);

    await comment(brazil, 'trusted AI', 'Could we say "trustworthy AI"? @Kenya', 'public');
    await comment(brazil, 'plain text', 'Note for our delegation: capital wants this kept.', 'private');
    const publicThread = (page: Page) => page.locator('.thread', { hasText: 'trustworthy AI' });

    // Kenya sees the public thread live, and a note that Brazil mentioned Kenya
    await publicThread(kenya).waitFor();
    await kenya.locator('.mention-note', { hasText: 'Brazil mentioned Kenya' }).waitFor();
    await expect.poll(() => highlighted(kenya)).toEqual(['trusted AI']);
    await expect.poll(() => highlighted(brazil)).toEqual(expect.arrayContaining(['trusted AI', 'plain text']));

    // Kenya replies with markup: it arrives as text, in both pages
    const markup = 'Fine with us. <img src=x onerror=alert(1)> <b>bold?</b>';
    await publicThread(kenya).getByPlaceholder('Reply…').fill(markup);
    await publicThread(kenya).getByRole('button', { name: 'Reply' }).click();
    for (const page of [brazil, kenya, observer]) {
      await publicThread(page).locator('.comment-body', { hasText: '<img src=x onerror=alert(1)>' }).waitFor();
      expect(await page.locator('.comment-body img, .comment-body b').count()).toBe(0);
      expect(await publicThread(page).locator('.comment-body').last().innerText()).toBe(markup);
    }

    // the private note is Brazil's alone, whatever Kenya or the observer do
    await kenya.getByLabel('Show open or resolved threads').selectOption('');
    await observer.getByLabel('Show open or resolved threads').selectOption('');
    for (const page of [kenya, observer]) {
      expect(await page.locator('.thread').count()).toBe(1);
      expect(await page.locator('.thread.is-private').count()).toBe(0);
      expect(await page.content()).not.toContain('capital wants this kept');
    }
    await brazil.locator('.thread.is-private', { hasText: 'capital wants this kept' }).waitFor();

    // Kenya types before the anchored words, in the same provision: the highlight stays on them
    // in Kenya's own page (a local edit) and in Brazil's (a remote one). (Typed words that begin
    // with the anchored word's first letters — "truly" before "trusted" — are a known limit:
    // y-prosemirror turns each keystroke into a Yjs change by a prefix/suffix diff that ignores
    // the caret, so the anchored first letter can end up as the first letter of the new word.)
    await kenya.locator('.itu-text p', { hasText: 'trusted AI' }).evaluate((p) => {
      const walker = document.createTreeWalker(p, NodeFilter.SHOW_TEXT);
      let last: Text | null = null;
      for (let node = walker.nextNode(); node; node = walker.nextNode()) if ((node as Text).data.includes('trusted AI')) last = node as Text;
      window.getSelection()!.collapse(last!, last!.data.indexOf('trusted AI'));
    });
    await kenya.waitForTimeout(50);
    await kenya.keyboard.type('fully ', { delay: 20 });
    // (Brazil's page shows Kenya's caret, with its label, between "fully" and the anchored words)
    for (const page of [kenya, brazil]) await page.locator('.itu-text p', { hasText: 'fully' }).waitFor();
    await expect.poll(() => highlighted(kenya)).toEqual(['trusted AI']);
    await expect.poll(() => highlighted(brazil)).toEqual(['plain text', 'trusted AI']);

    // Kenya splits the provision before "fully": the words move into a new provision, as new
    // characters; the thread is found there again, and re-attached on the server for everyone
    await kenya.locator('.itu-text p', { hasText: 'fully' }).evaluate((p) => {
      const walker = document.createTreeWalker(p, NodeFilter.SHOW_TEXT);
      let last: Text | null = null;
      for (let node = walker.nextNode(); node; node = walker.nextNode()) if ((node as Text).data.includes('fully')) last = node as Text;
      window.getSelection()!.collapse(last!, last!.data.indexOf('fully'));
    });
    await kenya.waitForTimeout(50);
    await kenya.keyboard.press('Enter');
    await brazil.locator('.itu-text .provision', { hasText: 'fully' }).filter({ hasNotText: 'promote' }).waitFor();
    await expect.poll(() => highlighted(kenya)).toEqual(['trusted AI']);
    await expect.poll(() => highlighted(brazil)).toEqual(['plain text', 'trusted AI']);
    const stored = async () =>
      (
        (await (await fetch(`${server.url}/api/documents/${server.documentId}/threads`, { headers: { authorization: `Bearer ${server.users.observer!.token}` } })).json()) as {
          threads: { provisionId: string | null }[];
        }
      ).threads[0]!.provisionId;
    await expect.poll(stored, { timeout: STEP_MS }).not.toBe('p-b');
    expect(await stored()).toBeTruthy();

    // Kenya deletes the words: the thread stays, detached, with what it was about
    await selectText(kenya, 'trusted AI');
    await kenya.keyboard.press('Backspace');
    await expect.poll(() => brazil.locator('.itu-text').innerText()).not.toContain('trusted AI');
    for (const page of [brazil, kenya]) {
      await publicThread(page).locator('.badge-detached').waitFor();
      expect(await publicThread(page).locator('.thread-quote q').innerText()).toBe('trusted AI');
    }
    await expect.poll(() => highlighted(brazil)).toEqual(['plain text']);

    await brazil.screenshot({ path: join(tmpdir(), 'concord-threads-browser.png') });
    expect(problems).toEqual([]);
  }, 120_000);
});
