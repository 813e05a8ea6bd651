import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { e2e } from './support/harness.ts';
import { expectVisible, openDocument, placeCaret, provisionText } from './support/pages.ts';

/** Provisions a) and b) of the preamble of the draft resolution CWG-AI/2, which both delegations write into. */
const PROVISION = 'Resolution 70/1 of the United Nations General Assembly';
const OTHER = 'Resolution 70/125 of the UNGA';

describe('two delegations in one text', () => {
  const t = e2e();

  async function bothIn(): Promise<{ brazil: Page; kenya: Page }> {
    const [brazil, kenya] = await Promise.all([t.open('brazil'), t.open('kenya')]);
    await Promise.all([openDocument(brazil, t.concord.url), openDocument(kenya, t.concord.url)]);
    return { brazil, kenya };
  }

  it('types in the same provision at the same time, and both pages converge on both texts', async () => {
    const { brazil, kenya } = await bothIn();
    const brazilWords = 'the relevant parts of ';
    const kenyaWords = ', in particular Goal 9 on resilient infrastructure and innovation';
    await placeCaret(brazil, PROVISION, 'before');
    await placeCaret(kenya, PROVISION, 'end');
    await Promise.all([brazil.keyboard.type(brazilWords, { delay: 15 }), kenya.keyboard.type(kenyaWords, { delay: 15 })]);

    const expected = `${brazilWords}${PROVISION}`;
    for (const page of [brazil, kenya]) {
      await expect.poll(() => provisionText(page, PROVISION)).toContain(expected);
      await expect.poll(() => provisionText(page, PROVISION)).toContain(`${kenyaWords};`);
    }
    expect(await provisionText(brazil, PROVISION)).toBe(await provisionText(kenya, PROVISION));

    // each sees the other's labelled caret, and both in the Present list
    await expectVisible(brazil, '.ProseMirror-yjs-cursor .cursor-label', 'Kenya', "Brazil's page shows Kenya's caret");
    await expectVisible(kenya, '.ProseMirror-yjs-cursor .cursor-label', 'Brazil', "Kenya's page shows Brazil's caret");
    for (const page of [brazil, kenya]) {
      for (const name of ['Brazil', 'Kenya']) await expectVisible(page, '.presence-list', name, `the Present list names ${name}`);
    }
    await brazil.mouse.move(0, 0); // no hover effects in the picture
    await brazil.evaluate(() => window.scrollTo(0, 0));
    await t.screenshot(brazil, 'editor-two-delegations');

    // The group page, in a second tab of Brazil's, shows who is in the document now.
    const group = await brazil.context().newPage();
    await group.goto(`${t.concord.url}/groups/cwg-ai`);
    const row = group.locator('tr', { has: group.getByRole('link', { name: 'CWG-AI/2', exact: true }) });
    await row.locator('.chip', { hasText: 'Kenya' }).waitFor();
    await row.locator('.chip', { hasText: 'Brazil' }).waitFor();
    await t.screenshot(group, 'group-page');
    expect(t.problems).toEqual([]);
  });

  it("folds another delegation's caret label off the line above after a few seconds, and writes it in full again when it types", async () => {
    const { brazil, kenya } = await bothIn();
    await placeCaret(kenya, OTHER, 'end');
    await kenya.keyboard.type(' (2015)', { delay: 15 });
    const label = brazil.locator('.ProseMirror-yjs-cursor .cursor-label', { hasText: 'Kenya' });
    await label.waitFor();
    const full = (await label.boundingBox())!.width;
    await expect.poll(async () => (await label.boundingBox())!.width, { timeout: 8000 }).toBeLessThan(full / 2);
    expect(await label.textContent(), 'the folded label still names the delegation for screen readers').toContain('Kenya');
    await kenya.keyboard.type(',', { delay: 15 });
    await expect.poll(async () => (await label.boundingBox())!.width).toBeGreaterThan(full * 0.9);
  });

  it('keeps what a delegation types with its network cut, and merges it when the network returns', async () => {
    const { brazil, kenya } = await bothIn();
    const documentId = new URL(kenya.url()).pathname.split('/').pop()!;
    const chair = await t.concord.api('chair');
    const serverText = async () => (await chair(`/api/documents/${documentId}/export?format=txt&mode=negotiation`)).text();

    await kenya.context().setOffline(true);
    await expectVisible(kenya, '.connection[data-state="offline"]', 'your edits are kept', 'Kenya is told it is offline and its edits are kept');
    await placeCaret(kenya, OTHER, 'end');
    await kenya.keyboard.type(', typed on the train', { delay: 10 });
    // Brazil goes on meanwhile; the server stores Brazil's words and not Kenya's
    await placeCaret(brazil, OTHER, 'before');
    await brazil.keyboard.type('operative paragraph 5 of ', { delay: 10 });
    await expect.poll(serverText).toContain('operative paragraph 5 of');
    expect(await serverText()).not.toContain('typed on the train');
    expect(await provisionText(brazil, OTHER)).not.toContain('typed on the train');
    expect(await provisionText(kenya, OTHER)).not.toContain('operative paragraph 5 of');
    expect(await provisionText(kenya, OTHER)).toContain('typed on the train');

    await kenya.context().setOffline(false);
    await kenya.locator('.connection[data-state="connected"]').waitFor();
    const merged = `operative paragraph 5 of ${OTHER}`;
    for (const page of [brazil, kenya]) {
      await expect.poll(() => provisionText(page, OTHER)).toContain(merged);
      await expect.poll(() => provisionText(page, OTHER)).toContain(', typed on the train;');
    }
    expect(await provisionText(brazil, OTHER)).toBe(await provisionText(kenya, OTHER));
    await expect.poll(serverText).toContain('typed on the train');
    expect(t.problems).toEqual([]);
  });
});
