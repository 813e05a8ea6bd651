import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { audit, describeAll, serious } from './support/axe.ts';
import { e2e } from './support/harness.ts';
import { openDocument, placeCaret, provisionText, selectText } from './support/pages.ts';

/**
 * The screens of a full room at 1280×800: the chair, the secretariat, an observer and the eight
 * delegations of CWG-AI in the draft resolution at once. The chair's tools stay on the screen (the
 * Present list folds, the side column keeps the tabs in the window), a mention's note hides nothing
 * of the side column, and a delegate far down the text sees at once that it is offline.
 */
const EVERYONE = ['chair', 'secretariat', 'observer', 'brazil', 'canada', 'china', 'france', 'kenya', 'saudi-arabia', 'atu', 'cept'];
const LAPTOP = { width: 1280, height: 800 };
const SMALL_LAPTOP = { width: 1024, height: 768 };
/** An operative provision far down the draft resolution. */
const OPERATIVE = 'to share their experiences and contribute to international multistakeholder discussions';

type Box = { x: number; y: number; width: number; height: number };

async function box(page: Page, selector: string): Promise<Box> {
  const found = await page.locator(selector).first().boundingBox();
  if (!found) throw new Error(`${selector} is not shown in ${page.url()}`);
  return found;
}

async function expectAccessible(page: Page, what: string): Promise<void> {
  const violations = await audit(page);
  if (violations.length) process.stdout.write(`axe, ${what}:\n${describeAll(violations)}\n`);
  expect(serious(violations), `serious or critical axe violations on ${what}`).toEqual([]);
}

const overlap = (a: Box, b: Box) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

describe('a full room', () => {
  const t = e2e();

  it('keeps the chair’s tabs and first proposal on the screen with eleven present, for every role and on a smaller laptop; a mention’s note hides none of it', async () => {
    const pages = new Map<string, Page>();
    for (let i = 0; i < EVERYONE.length; i += 4) {
      const batch = EVERYONE.slice(i, i + 4);
      const opened = await Promise.all(batch.map((who) => t.open(who)));
      await Promise.all(opened.map((page) => openDocument(page, t.concord.url)));
      batch.forEach((who, n) => pages.set(who, opened[n]!));
    }
    const [chair, brazil, kenya] = ['chair', 'brazil', 'kenya'].map((who) => pages.get(who)!) as [Page, Page, Page];

    // Something for the chair to decide, and delegations at work in the preamble.
    await selectText(kenya, 'and annually to Council');
    await kenya.getByRole('button', { name: /^Bracket the selection/ }).click();
    for (const [who, words] of [
      ['canada', 'Resolution 70/125 of the UNGA'],
      ['france', 'Resolution 139 (Rev. Busan, 2014)'],
      ['atu', 'Resolution 140 (Rev. Dubai, 2018)'],
    ] as const) {
      await placeCaret(pages.get(who)!, words, 'end');
    }

    // The chair works in the text: the caret in a provision of the preamble, the page at its top.
    await placeCaret(chair, 'Resolution 70/1 of the United Nations General Assembly', 'end');
    await chair.evaluate(() => window.scrollTo(0, 0));
    const toggle = chair.locator('.presence-toggle');
    await expect.poll(() => toggle.textContent()).toBe('11 present');
    expect(await toggle.getAttribute('aria-expanded')).toBe('false');
    expect(await chair.locator('.presence-list').isVisible()).toBe(false);
    expect(await chair.locator('.presence-face').count()).toBe(11);

    // The tabs and the first proposal, without scrolling.
    await chair.getByRole('tab', { name: 'Proposals' }).click();
    const first = chair.locator('.proposal-entry', { hasText: 'and annually to Council' });
    await first.waitFor();
    expect(await chair.evaluate(() => window.scrollY)).toBe(0);
    expect((await box(chair, '.side-tabs .tabs-list')).y).toBeLessThan(LAPTOP.height / 2);
    const entry = (await first.boundingBox())!;
    expect(entry.y + entry.height).toBeLessThanOrEqual(LAPTOP.height);
    await chair.mouse.move(0, 0);
    await t.screenshot(chair, 'full-room-chair');
    await expectAccessible(chair, "the chair's page in a full room (Present folded)");

    // The whole list opens, scrolls within its panel, and still leaves the tabs on the screen.
    await toggle.click();
    expect(await toggle.getAttribute('aria-expanded')).toBe('true');
    const list = chair.locator('.presence-list');
    await list.waitFor();
    expect(await list.locator('li').count()).toBe(11);
    expect(await list.evaluate((l) => l.scrollHeight > l.clientHeight)).toBe(true);
    await list.evaluate((l) => l.scrollTo(0, l.scrollHeight));
    expect(await list.locator('li').last().isVisible()).toBe(true);
    expect((await box(chair, '.side-tabs .tabs-list')).y + 40).toBeLessThan(LAPTOP.height);
    await expectAccessible(chair, "the chair's page in a full room (Present open)");
    await toggle.click();
    await list.waitFor({ state: 'hidden' });

    // Far down the text the side column is still there, tabs at the top of the window; a delegate
    // following the chair has the chair's provision in view, clear of the (two-row) toolbar.
    await brazil.getByLabel('Follow the chair').check();
    await placeCaret(chair, OPERATIVE, 'end');
    await expect.poll(() => brazil.locator('.itu-text .is-chair-current').textContent()).toContain(OPERATIVE);
    await expect
      .poll(async () => {
        const place = await box(brazil, '.itu-text .is-chair-current');
        const covered = await box(brazil, '.document-sticky');
        return place.y >= covered.y + covered.height && place.y + place.height <= LAPTOP.height;
      })
      .toBe(true);
    expect(await chair.evaluate(() => window.scrollY)).toBeGreaterThan(400);
    const tabsThere = await box(chair, '.side-tabs .tabs-list');
    expect(tabsThere.y).toBeGreaterThan(56);
    expect(tabsThere.y).toBeLessThan(LAPTOP.height / 2);

    // Every role, on both laptops: the tabs in the top part of the window and a panel to read.
    for (const who of ['chair', 'secretariat', 'observer', 'brazil']) {
      const page = pages.get(who)!;
      await page.bringToFront();
      for (const size of [LAPTOP, SMALL_LAPTOP]) {
        await page.setViewportSize(size);
        await page.evaluate(() => window.scrollTo(0, 0));
        const tabs = await box(page, '.side-tabs .tabs-list');
        const panel = await box(page, '.side-tabs [role="tabpanel"]:not([hidden])');
        expect(tabs.y, `${who} at ${size.width}×${size.height}`).toBeLessThan(size.height * 0.6);
        expect(panel.height, `${who} at ${size.width}×${size.height}`).toBeGreaterThan(150);
        // and further down the text, the same side column at the top of the window
        await page.evaluate(() => window.scrollTo(0, 1500));
        const below = await box(page, '.side-tabs .tabs-list');
        expect(below.y, `${who} at ${size.width}×${size.height}, scrolled`).toBeGreaterThan(56);
        expect(below.y, `${who} at ${size.width}×${size.height}, scrolled`).toBeLessThan(size.height * 0.6);
        // and at the end of the page the outline, which the side column never covers
        await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
        expect(overlap(await box(page, '.document-outline'), await box(page, '.document-side')), `${who} at ${size.width}×${size.height}, at the end`).toBe(false);
      }
      await page.setViewportSize(LAPTOP);
    }

    // Kenya mentions Brazil: the note is clear of Brazil's side column, and opens the thread.
    await placeCaret(brazil, 'Resolution 70/1 of the United Nations General Assembly', 'end');
    await brazil.getByRole('tab', { name: 'Proposals' }).click();
    await selectText(kenya, 'capacity building on AI technologies');
    await kenya.getByRole('tab', { name: /^Comments/ }).click();
    await kenya.getByRole('button', { name: 'Comment on the selection' }).click();
    await kenya.getByLabel('Your comment').fill('@Brazil could you live with "in particular for developing countries"?');
    await kenya.getByRole('button', { name: 'Post', exact: true }).click();
    const note = brazil.locator('.mention-note');
    await note.waitFor();
    expect(await brazil.locator('.mention-notes').getAttribute('aria-live')).toBe('polite');
    expect(overlap(await box(brazil, '.mention-note'), await box(brazil, '.document-side'))).toBe(false);
    await expectAccessible(brazil, "Brazil's page with a mention's note");
    await note.getByRole('button', { name: /Kenya mentioned Brazil/ }).click();
    await note.waitFor({ state: 'detached' });
    await brazil.locator('.thread.is-active', { hasText: 'in particular for developing countries' }).waitFor();
    expect(await brazil.getByRole('tab', { name: /^Comments/ }).getAttribute('aria-selected')).toBe('true');

    // Escape takes a note away; left alone, one goes by itself after about ten seconds.
    const kenyaApi = await t.concord.api('kenya');
    const documentId = new URL(brazil.url()).pathname.split('/').pop()!;
    const { threads } = (await (await kenyaApi(`/api/documents/${documentId}/threads`)).json()) as { threads: { id: number }[] };
    const reply = (body: string) => kenyaApi(`/api/threads/${threads[0]!.id}/comments`, { method: 'POST', body: JSON.stringify({ body }) });
    expect((await reply('@Brazil or "especially for developing countries"?')).ok).toBe(true);
    await note.waitFor();
    await brazil.keyboard.press('Escape');
    await note.waitFor({ state: 'detached' });
    expect((await reply('@Brazil we can wait for your capital.')).ok).toBe(true);
    await note.waitFor();
    await brazil.mouse.move(640, 300);
    const shownAt = Date.now();
    await note.waitFor({ state: 'detached', timeout: 15_000 });
    expect(Date.now() - shownAt).toBeGreaterThan(7_000);
    expect(t.problems).toEqual([]);
  }, 240_000);

  it('tells a delegate working far down the text that it is offline and its edits are kept, then that they were sent, and that it was signed out', async () => {
    const brazil = await t.open('brazil');
    await openDocument(brazil, t.concord.url);
    await placeCaret(brazil, OPERATIVE, 'end');
    expect(await brazil.evaluate(() => window.scrollY)).toBeGreaterThan(400);

    await brazil.context().setOffline(true);
    const banner = brazil.locator('.connection-banner');
    await banner.locator('.connection-banner-text', { hasText: 'your edits are kept' }).waitFor();
    expect(await banner.getAttribute('aria-live')).toBe('polite');
    const shown = await box(brazil, '.connection-banner-text');
    expect(shown.y).toBeGreaterThanOrEqual(56);
    expect(shown.y + shown.height).toBeLessThanOrEqual(LAPTOP.height);
    await brazil.keyboard.type(', typed offline', { delay: 10 });

    // A projector that lost the network says so too, below its screen bar.
    await brazil.getByRole('button', { name: 'Screen mode' }).click();
    await brazil.locator('.screen-bar').waitFor();
    await brazil.waitForTimeout(300);
    const projected = await box(brazil, '.connection-banner-text');
    const bar = await box(brazil, '.screen-bar');
    expect(projected.y).toBeGreaterThanOrEqual(bar.y + bar.height);
    expect(projected.y + projected.height).toBeLessThanOrEqual(LAPTOP.height);
    await brazil.getByRole('button', { name: 'Leave screen mode' }).click();

    await brazil.context().setOffline(false);
    await banner.locator('.connection-banner-text', { hasText: 'Back online — your edits have been sent' }).waitFor();
    await banner.locator('.connection-banner-text').waitFor({ state: 'hidden' });
    expect(await provisionText(brazil, OPERATIVE)).toContain(', typed offline');

    // Signed out everywhere (from another device): said there too, and for good.
    const elsewhere = await t.concord.api('brazil');
    expect((await elsewhere('/api/auth/logout-everywhere', { method: 'POST', body: '{}' })).ok).toBe(true);
    await banner.locator('.connection-banner-text', { hasText: 'You were signed out' }).waitFor();
    const stopped = await box(brazil, '.connection-banner-text');
    expect(stopped.y).toBeGreaterThanOrEqual(56);
    expect(stopped.y + stopped.height).toBeLessThanOrEqual(LAPTOP.height);
    expect(t.problems).toEqual([]);
  });
});
