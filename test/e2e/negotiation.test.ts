import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { e2e } from './support/harness.ts';
import { expectVisible, openDocument, placeCaret, provisionText, selectText } from './support/pages.ts';

/**
 * The negotiation in three pages (Brazil, Kenya, the chair) on the draft resolution CWG-AI/2:
 * brackets and alternatives attributed to their delegation, refusals explained to the delegate who
 * tried, and the chair's decisions reaching every page.
 */
describe('brackets, alternatives and the chair’s decisions', () => {
  const t = e2e();

  async function open(...who: string[]): Promise<Page[]> {
    const pages = await Promise.all(who.map((username) => t.open(username)));
    await Promise.all(pages.map((page) => openDocument(page, t.concord.url)));
    return pages;
  }

  it('brackets and offers alternatives; the chair accepts, rejects, chooses and agrees, in every page; a delegate is told why an edit is refused', async () => {
    const [brazil, kenya, chair] = (await open('brazil', 'kenya', 'chair')) as [Page, Page, Page];

    // Kenya brackets words of operative 6; Brazil offers an alternative in 5, Kenya adds an option;
    // Brazil brackets the whole of operative 4.
    await selectText(kenya, 'and annually to Council');
    await kenya.getByRole('button', { name: /^Bracket the selection/ }).click();
    await expectVisible(brazil, '.itu-text .bracket', 'and annually to Council', "Kenya's bracket reaches Brazil");
    await selectText(brazil, 'relevant stakeholders');
    await brazil.getByRole('button', { name: /offer an alternative to the selected text/ }).click();
    await brazil.getByLabel('Wording of the alternative').fill('all interested stakeholders');
    await brazil.getByLabel('Wording of the alternative').press('Enter');
    await expectVisible(kenya, '.itu-text .bracket-option', 'Alt 2', "Brazil's alternatives reach Kenya");
    await selectText(kenya, 'all interested');
    await kenya.getByRole('button', { name: /offer an alternative to the selected text/ }).click();
    await kenya.getByLabel('Wording of the alternative').fill('stakeholders from developing countries');
    await kenya.getByLabel('Wording of the alternative').press('Enter');
    await selectText(brazil, 'to foster information and advice-sharing');
    await brazil.getByRole('button', { name: 'Bracket the whole provision' }).click();

    // The chair sees all of it in the Proposals tab, with whose each one is.
    await chair.getByRole('tab', { name: 'Proposals' }).click();
    const entry = (text: string) => chair.locator('.proposal-entry', { hasText: text });
    await entry('and annually to Council').filter({ hasText: 'Kenya' }).waitFor();
    await entry('to foster information').filter({ hasText: 'Brazil' }).waitFor();
    await entry('stakeholders from developing countries').waitFor();
    await expectVisible(chair, '.proposals-summary', 'open questions', 'the chair sees the count');
    await expectVisible(chair, '.itu-text .bracket-option', 'Alt 3', "the chair sees Kenya's third option");

    // Kenya may not change Brazil's option: the editor refuses, says why, and the text is unchanged.
    const optionBefore = await provisionText(kenya, 'all interested stakeholders');
    await selectText(kenya, 'all interested');
    await kenya.keyboard.type('x');
    await expectVisible(kenya, '.refusal-note', /Not done: this bracketed text is Brazil's proposal: only Brazil or the chair can change or withdraw it/, 'Kenya is told why the edit was refused');
    expect(await provisionText(kenya, 'all interested stakeholders')).toBe(optionBefore);

    await selectText(chair, 'relevant stakeholders');
    await chair.mouse.move(0, 0);
    await t.screenshot(chair, 'negotiation-before');

    // the chair keeps the state before the decisions as Rev.1
    await chair.getByRole('tab', { name: 'History' }).click();
    await chair.getByLabel('Name of the new version').fill('Rev.1');
    await chair.getByRole('button', { name: 'Take a version' }).click();
    await expectVisible(chair, '.version', 'Rev.1', 'the version is listed');

    await chair.getByRole('tab', { name: 'Proposals' }).click();
    await entry('and annually to Council').getByRole('button', { name: 'Accept' }).click();
    await entry('to foster information').getByRole('button', { name: 'Reject' }).click();
    await entry('stakeholders from developing countries').getByRole('button', { name: 'Choose' }).click();
    for (const page of [brazil, kenya, chair]) {
      await expect.poll(() => provisionText(page, 'with regard')).toContain('stakeholders from developing countries with regard');
      await page.locator('.itu-text .bracket-option').first().waitFor({ state: 'detached' });
      await page.locator('.itu-text .bracket').first().waitFor({ state: 'detached' });
      await expect.poll(() => provisionText(page, 'and annually to Council')).toContain('and annually to Council on any');
      await expect.poll(() => page.locator('.itu-text .provision', { hasText: 'to foster information and advice-sharing' }).count()).toBe(0);
    }

    // The chair marks operative 1 agreed; the delegates see it, and Brazil cannot change it.
    await selectText(chair, 'to coordinate the activities of the Union');
    await chair.locator('.status-buttons').getByRole('button', { name: 'Agreed', exact: true }).click();
    for (const page of [brazil, kenya]) await expectVisible(page, '.itu-text .provision.status-agreed', 'to coordinate the activities', 'the delegates see the provision agreed');
    const agreed = await provisionText(brazil, 'to coordinate the activities');
    await placeCaret(brazil, 'to coordinate the activities', 'end');
    await brazil.keyboard.type(' and more');
    await expectVisible(brazil, '.refusal-note', /this provision is agreed: only the chair can change it/, 'Brazil is told why the agreed provision cannot be edited');
    expect(await provisionText(brazil, 'to coordinate the activities')).toBe(agreed);

    await chair.getByRole('tab', { name: 'History' }).click();
    await expectVisible(chair, '.decision-entry', 'marked provision', 'the decision log shows the status');
    await expect.poll(() => chair.locator('.decision-entry').count()).toBe(4);
    // the decision log at the top of the side panel, in the picture
    await chair.getByRole('heading', { name: 'Decisions' }).evaluate((heading) => heading.scrollIntoView({ block: 'start' }));
    await chair.locator('.itu-text .provision', { hasText: 'to coordinate the activities' }).evaluate((provision) => provision.scrollIntoView({ block: 'center' }));
    await chair.mouse.move(0, 0);
    await t.screenshot(chair, 'negotiation-after');

    // what the decisions changed since Rev.1, word by word
    await chair.locator('.version', { hasText: 'Rev.1' }).getByRole('button', { name: 'Compare with now' }).click();
    await expectVisible(chair, 'dialog.comparison', 'stakeholders from developing countries', 'the comparison shows the chosen option');
    await chair.getByRole('button', { name: 'Next change ▶' }).click();
    await chair.mouse.move(0, 0);
    await t.screenshot(chair, 'compare-versions');
    await chair.getByRole('button', { name: 'Close' }).click();
    expect(t.problems).toEqual([]);
  });

  it('keeps what a delegate typed offline, but for the provision the chair agreed meanwhile, and tells the delegate which and why', async () => {
    const [kenya, chair] = (await open('kenya', 'chair')) as [Page, Page];
    const documentId = new URL(kenya.url()).pathname.split('/').pop()!;
    const api = await t.concord.api('chair');
    const serverText = async () => (await api(`/api/documents/${documentId}/export?format=txt&mode=negotiation`)).text();
    // recalling a), b) and c); the chair agrees b) while Kenya is offline
    const [first, agreed, third] = ['Resolution 70/1 of the United Nations', 'Resolution 70/125 of the UNGA', 'Resolution 139 (Rev. Busan, 2014)'];
    const typed = new Map([
      [first, ' “as a whole” — 2015/16'],
      [agreed, ', and its follow-up (2025)'],
      [third, ' and its annex, § 3 à 5'],
    ]);
    const before = new Map(await Promise.all([...typed.keys()].map(async (words) => [words, await provisionText(kenya, words)] as const)));
    // 'end' types before the closing punctuation
    const withTyped = (words: string) => before.get(words)!.replace(/([;,.:]?)$/, `${typed.get(words)}$1`);

    await kenya.context().setOffline(true);
    await kenya.locator('.connection[data-state="offline"]').waitFor();
    for (const [words, text] of typed) {
      await placeCaret(kenya, words, 'end');
      await kenya.keyboard.type(text, { delay: 10 });
    }
    for (const words of typed.keys()) await expect.poll(() => provisionText(kenya, words)).toBe(withTyped(words));

    await selectText(chair, agreed);
    await chair.locator('.status-buttons').getByRole('button', { name: 'Agreed', exact: true }).click();
    await expectVisible(chair, '.itu-text .provision.status-agreed', agreed, 'the chair sees b) agreed');

    await kenya.context().setOffline(false);
    await kenya.locator('.connection[data-state="connected"]').waitFor();
    const note = kenya.getByRole('alert').filter({ hasText: /^Not kept:/ });
    await note.waitFor();
    expect(await note.textContent()).toContain('Not kept: your change to b) of recalling — this provision is agreed: only the chair can change it, after reopening it. Your other changes were kept.');
    await expectVisible(kenya, '.itu-text .provision.status-agreed', agreed, 'Kenya now sees b) agreed');

    // a) and c) keep every character Kenya typed, on both pages and on the server; b) is as agreed
    for (const page of [kenya, chair]) {
      for (const words of [first, third]) await expect.poll(() => provisionText(page, words)).toBe(withTyped(words));
      await expect.poll(() => provisionText(page, agreed)).toBe(before.get(agreed));
    }
    const stored = await serverText();
    for (const words of [first, third]) expect(stored).toContain(withTyped(words));
    expect(stored).toContain(before.get(agreed));
    expect(stored).not.toContain(typed.get(agreed));

    // the note is in the window and on top (not under the sticky header or toolbar), wherever Kenya is in the text
    const box = (await note.boundingBox())!;
    expect(box.y).toBeGreaterThanOrEqual(0);
    expect(box.y + box.height).toBeLessThanOrEqual(800);
    expect(
      await note.evaluate((element) => {
        const r = element.getBoundingClientRect();
        return element.contains(document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2));
      }),
    ).toBe(true);
    await kenya.mouse.move(0, 0);
    await t.screenshot(kenya, 'taken-back');

    // it stays (as the editor's own refusals do) until Kenya's next edit
    await kenya.waitForTimeout(10_000);
    await note.waitFor();
    await placeCaret(kenya, third, 'end');
    await kenya.keyboard.type('.');
    await note.waitFor({ state: 'detached' });
    expect(t.problems).toEqual([]);
  });
});
