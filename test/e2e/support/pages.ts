import type { Locator, Page } from 'playwright-core';
import type { Login } from './concord.ts';

/** One wait for one thing to appear in a page (never an assertion about speed: a generous bound). */
export const STEP_MS = 15_000;

/** Logs in through the login form, as a person would, and waits for the working group's page. */
export async function logIn(page: Page, base: string, login: Login): Promise<void> {
  await page.goto(`${base}/`);
  await page.waitForURL(/\/login/);
  await page.getByLabel('Username').fill(login.username);
  await page.getByLabel('Password').fill(login.password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.waitForURL(/\/groups\/cwg-ai$/);
  await page.getByRole('heading', { level: 1 }).waitFor();
}

/** Opens a document from the group page by its symbol and waits until its text is live. */
export async function openDocument(page: Page, base: string, symbol = 'CWG-AI/2'): Promise<void> {
  if (!/\/groups\/cwg-ai$/.test(page.url())) await page.goto(`${base}/groups/cwg-ai`);
  await page.getByRole('link', { name: symbol, exact: true }).click();
  await page.waitForURL(/\/documents\//);
  await waitForLiveText(page);
}

/** The editor has the server's text and the connection is up. */
export async function waitForLiveText(page: Page): Promise<void> {
  await page.locator('.paper:not(.is-loading) .itu-text').waitFor();
  await page.locator('.connection[data-state="connected"]').waitFor();
}

/** The provision (its paragraph) whose text contains `words`. */
export function provision(page: Page, words: string): Locator {
  return page.locator('.itu-text .provision', { hasText: words }).first();
}

/**
 * The text of the provision containing `words`, without the other delegations' caret labels
 * (which y-prosemirror puts inside the text as widgets).
 */
export async function provisionText(page: Page, words: string): Promise<string> {
  return provision(page, words)
    .locator('p')
    .first()
    .evaluate((p) => {
      const copy = p.cloneNode(true) as HTMLElement;
      for (const widget of copy.querySelectorAll('.ProseMirror-yjs-cursor, .ProseMirror-widget')) widget.remove();
      return (copy.textContent ?? '').replace(/\u00a0/g, ' ');
    });
}

/** Selects `phrase` in the text (the first occurrence), as a mouse would: a DOM range ProseMirror reads. */
export async function selectText(page: Page, phrase: string): Promise<void> {
  await focusEditor(page);
  const found = await page.locator('.itu-text').evaluate((root, wanted) => {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const at = (node as Text).data.indexOf(wanted);
      if (at < 0) continue;
      (node.parentElement as HTMLElement).scrollIntoView({ block: 'center' });
      const range = document.createRange();
      range.setStart(node, at);
      range.setEnd(node, at + wanted.length);
      window.getSelection()!.removeAllRanges();
      window.getSelection()!.addRange(range);
      return true;
    }
    return false;
  }, phrase);
  if (!found) throw new Error(`no "${phrase}" in the text of ${page.url()}`);
  await settle(page);
}

/**
 * Puts the caret in the provision containing `words`: at its end before the closing punctuation
 * (`'end'`), or just before `words` (`'before'`).
 */
export async function placeCaret(page: Page, words: string, where: 'end' | 'before'): Promise<void> {
  await focusEditor(page);
  const paragraph = provision(page, words).locator('p').first();
  await paragraph.scrollIntoViewIfNeeded();
  await paragraph.evaluate(
    (element, { words, where }) => {
      const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT, {
        acceptNode: (node) => (node.parentElement?.closest('.ProseMirror-yjs-cursor, .ProseMirror-widget') ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT),
      });
      const texts: Text[] = [];
      for (let node = walker.nextNode(); node; node = walker.nextNode()) texts.push(node as Text);
      if (where === 'before') {
        const node = texts.find((t) => t.data.includes(words));
        if (!node) throw new Error(`"${words}" is not within one text node`);
        window.getSelection()!.collapse(node, node.data.indexOf(words));
        return;
      }
      const last = texts.at(-1);
      if (!last) throw new Error('the provision has no text');
      window.getSelection()!.collapse(last, /[;,.:]$/.test(last.data) ? last.data.length - 1 : last.data.length);
    },
    { words, where },
  );
  await settle(page);
}

/**
 * Gives the editor the focus, as a click would: ProseMirror reads a selection made through the DOM
 * only while it has the focus, and just after gaining it (20 ms, in its focus handler) it puts back
 * its own selection, so selecting waits for that to have passed.
 */
async function focusEditor(page: Page): Promise<void> {
  await page.bringToFront();
  const editor = page.locator('.itu-text').first();
  // (an observer's text cannot take the focus: there is nothing to select for)
  if (await editor.evaluate((element) => element.contains(document.activeElement) || !(element as HTMLElement).isContentEditable)) return;
  await editor.evaluate((element: HTMLElement) => element.focus({ preventScroll: true }));
  await page.locator('.itu-text.ProseMirror-focused').waitFor();
  await page.waitForTimeout(60);
}

/** Lets ProseMirror read a selection set through the DOM before keys are pressed. */
export async function settle(page: Page): Promise<void> {
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
}

/** Waits for a visible `selector` containing `text`; the error says what was expected. */
export async function expectVisible(page: Page, selector: string, text: string | RegExp, what: string): Promise<void> {
  try {
    await page.locator(selector, { hasText: text }).first().waitFor({ state: 'visible', timeout: STEP_MS });
  } catch {
    throw new Error(`${what}: no visible ${selector} containing ${JSON.stringify(String(text))} in ${page.url()}`);
  }
}
