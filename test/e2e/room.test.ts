import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { e2e } from './support/harness.ts';
import { openDocument, placeCaret } from './support/pages.ts';

/** Provisions of the draft resolution CWG-AI/2: one near the top, two far down. */
const NEAR = 'Resolution 70/1 of the United Nations General Assembly';
const FAR = 'to share their experiences and contribute to international multistakeholder discussions';
const FARTHER = 'to report to the next Plenipotentiary Conference';

/** Where the page shows the chair's current provision: its text and whether it is on screen. */
async function chairPlace(page: Page): Promise<{ text: string; onScreen: boolean } | null> {
  return page.evaluate(() => {
    const element = document.querySelector('.itu-text .is-chair-current');
    if (!element) return null;
    const rect = element.getBoundingClientRect();
    return { text: element.textContent ?? '', onScreen: rect.bottom > 60 && rect.top < window.innerHeight - 20 };
  });
}

/** Waits until a (smooth) scroll has come to rest. */
async function settled(page: Page): Promise<void> {
  let last = -1;
  await expect
    .poll(
      async () => {
        const now = await page.evaluate(() => window.scrollY);
        const still = now === last;
        last = now;
        return still;
      },
      { interval: 150 },
    )
    .toBe(true);
}

describe('the room: chair’s screen mode, follow the chair, shortcuts', () => {
  const t = e2e();

  it('shows the chair’s provision on the projector and on a following delegate’s screen, and pauses when the delegate scrolls away', async () => {
    const chair = await t.open('chair');
    await openDocument(chair, t.concord.url);
    const documentUrl = chair.url();

    const brazil = await t.open('brazil');
    await openDocument(brazil, t.concord.url);
    await brazil.getByLabel('Follow the chair').check();

    // The projector laptop opens the screen mode directly, here logged in as the observer.
    const projector = await t.open('observer');
    await projector.goto(`${documentUrl}?screen=1`);
    await projector.locator('.paper:not(.is-loading) .itu-text').waitFor(); // the connection badge is hidden in screen mode
    expect(await projector.locator('.app-header').isVisible()).toBe(false);
    expect(await projector.locator('.document-side').isVisible()).toBe(false);
    expect(await projector.locator('.document-outline').isVisible()).toBe(false);
    const fontSize = await projector.locator('.itu-text').evaluate((e) => parseFloat(getComputedStyle(e).fontSize));
    expect(fontSize).toBeGreaterThanOrEqual(26); // 20 pt or more, against 12.5 pt on the page

    // The chair puts the caret in a provision at the bottom of the text.
    await placeCaret(chair, FAR, 'end');
    for (const page of [brazil, projector]) {
      await expect.poll(async () => (await chairPlace(page))?.text ?? '', { timeout: 15_000 }).toContain(FAR);
      await expect.poll(async () => (await chairPlace(page))?.onScreen, { timeout: 15_000 }).toBe(true);
    }
    await projector.mouse.move(0, 0);
    await settled(projector);
    await t.screenshot(projector, 'chair-screen-mode');

    // Brazil scrolls back to the top by hand: following pauses and says how to resume.
    await brazil.bringToFront();
    await brazil.mouse.move(640, 400);
    for (let i = 0; i < 8; i++) {
      await brazil.mouse.wheel(0, -600);
      await brazil.waitForTimeout(50);
    }
    await expect.poll(() => brazil.evaluate(() => window.scrollY)).toBeLessThan(200);
    const resume = brazil.getByRole('button', { name: 'Follow the chair again' });
    await resume.waitFor();
    const scrolledTo = await brazil.evaluate(() => window.scrollY);

    // The chair moves on; Brazil stays where it scrolled, the projector follows.
    await placeCaret(chair, FARTHER, 'end');
    await expect.poll(async () => (await chairPlace(projector))?.text ?? '').toContain(FARTHER);
    await expect.poll(async () => (await chairPlace(brazil))?.text ?? '').toContain(FARTHER);
    await brazil.waitForTimeout(800);
    expect(await brazil.evaluate(() => window.scrollY)).toBe(scrolledTo);
    expect((await chairPlace(brazil))?.onScreen).toBe(false);
    await brazil.mouse.move(0, 300);
    await t.screenshot(brazil, 'follow-the-chair-paused');

    await resume.click();
    await expect.poll(async () => (await chairPlace(brazil))?.onScreen).toBe(true);
    await resume.waitFor({ state: 'hidden' });

    // The chair comes back to the top: Brazil's view follows again.
    await placeCaret(chair, NEAR, 'end');
    await expect.poll(async () => (await chairPlace(brazil))?.text ?? '').toContain(NEAR);
    await expect.poll(async () => (await chairPlace(brazil))?.onScreen).toBe(true);

    // Escape leaves the screen mode (and the address loses ?screen=1).
    await projector.keyboard.press('Escape');
    await projector.locator('.app-header').waitFor();
    expect(new URL(projector.url()).searchParams.has('screen')).toBe(false);
    expect(t.problems).toEqual([]);
  });

  it('lists the real shortcuts in a dialog opened with ? or Ctrl+/, closed with Escape, focus returned', async () => {
    const kenya = await t.open('kenya');
    await openDocument(kenya, t.concord.url);
    const button = kenya.getByRole('button', { name: 'Shortcuts' });
    await button.focus();
    await kenya.keyboard.press('?');
    const dialog = kenya.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await dialog.waitFor();
    for (const keys of ['Ctrl+Alt+N', 'Ctrl+Alt+B', 'Shift+Tab', 'Ctrl+Z']) {
      expect(await dialog.locator('kbd', { hasText: keys }).count(), keys).toBeGreaterThan(0);
    }
    expect(await dialog.evaluate((d) => d.contains(document.activeElement))).toBe(true);
    await kenya.keyboard.press('Tab');
    await kenya.keyboard.press('Tab');
    expect(await dialog.evaluate((d) => d.contains(document.activeElement))).toBe(true);
    await t.screenshot(kenya, 'keyboard-shortcuts');
    await kenya.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    expect(await button.evaluate((b) => b === document.activeElement)).toBe(true);

    // In the text, ? is a question mark; Ctrl+/ opens the list.
    await placeCaret(kenya, NEAR, 'end');
    await kenya.keyboard.press('Control+/');
    await dialog.waitFor();
    await kenya.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    expect(await kenya.evaluate(() => document.activeElement?.classList.contains('ProseMirror'))).toBe(true);
    expect(t.problems).toEqual([]);
  });
});
