import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { e2e } from './support/harness.ts';
import { expectVisible, openDocument, provisionText, selectText } from './support/pages.ts';

/**
 * Issue 17 in the browser, on the draft resolution CWG-AI/2: Kenya offers an alternative and the
 * existing words stay the base text's (labels, Proposals panel, counts); Kenya keeps the History
 * tab open while the chair decides in another page, and Kenya's decision log and versions follow
 * live; the comparison with Rev.1 shows the options apart, the brackets removed and the decisions;
 * a clean export refused to the chair says what the chair can do.
 */
describe('attribution of alternatives and a live History', () => {
  const t = e2e();
  const shot = (page: Page, name: string) => page.screenshot({ path: `/tmp/history-${name}.png` });

  it("keeps the offered-to words the base text's, and brings the chair's decisions to Kenya's open History", async () => {
    const [kenya, chair] = await Promise.all([t.open('kenya'), t.open('chair')]);
    await Promise.all([openDocument(kenya, t.concord.url), openDocument(chair, t.concord.url)]);

    // Kenya brackets words, then offers an alternative to "relevant stakeholders"
    await selectText(kenya, 'and annually to Council');
    await kenya.getByRole('button', { name: /^Bracket the selection/ }).click();
    await selectText(kenya, 'relevant stakeholders');
    await kenya.getByRole('button', { name: /offer an alternative to the selected text/ }).click();
    await kenya.getByLabel('Wording of the alternative').fill('all interested stakeholders');
    await kenya.getByLabel('Wording of the alternative').press('Enter');

    // the existing words are the base text's, the new ones Kenya's — on both pages
    for (const page of [kenya, chair]) {
      await expectVisible(page, '.itu-text .bracket-option', 'Alt 2', 'the alternative is drawn');
      const labels = await page.locator('.itu-text .bracket-option').allTextContents();
      // the option's number, then its owner's name written small beside it
      expect(labels.map((l) => l.replace(/\s+/g, ''))).toEqual(['[Alt1Basetext:', '/Alt2Kenya:']);
    }

    // the chair's Proposals panel: one alternative of two options is one open question
    await chair.getByRole('tab', { name: 'Proposals' }).click();
    await expectVisible(chair, '.proposals-summary', '2 open questions (1 bracket, 1 alternative (2 options))', 'the chair sees the open questions counted by group');
    const entry = (text: string) => chair.locator('.proposal-entry', { hasText: text });
    await expect.poll(() => entry('relevant stakeholders').locator('.proposal-head strong').textContent()).toBe('Base text');
    await expect.poll(() => entry('all interested stakeholders').locator('.proposal-head strong').textContent()).toBe('Kenya');
    expect((await chair.locator('.proposals-counts .chip').allTextContents()).map((c) => c.trim())).toEqual(['Kenya 2']);
    await shot(chair, 'proposals');

    // a clean export is refused while questions are open: the chair is told to decide them, not to ask the chair
    await chair.getByRole('button', { name: 'Export', exact: true }).click();
    const panel = chair.getByRole('dialog', { name: 'Export the document' });
    await panel.getByLabel('Export mode').selectOption('clean');
    await panel.getByLabel('Export format').selectOption('docx');
    await panel.getByRole('button', { name: 'Download' }).click();
    await expectVisible(chair, '.export-message', 'Accept or reject them (or choose an option) in the Proposals panel', 'the refusal speaks to the chair as the chair');
    const refusal = await chair.locator('.export-message').innerText();
    expect(refusal).toContain('2 open questions (1 bracket, 1 alternative (2 options))');
    expect(refusal).not.toMatch(/Have the chair|Ask the chair/);
    await chair.keyboard.press('Escape');

    // the chair keeps this state as Rev.1 in the chair's page; Kenya's History, open, lists it at once
    await kenya.getByRole('tab', { name: 'History' }).click();
    await expectVisible(kenya, '.decisions-list', 'No decisions yet', "Kenya's decision log is empty");
    await chair.getByRole('tab', { name: 'History' }).click();
    await chair.getByLabel('Name of the new version').fill('Rev.1');
    await chair.getByRole('button', { name: 'Take a version' }).click();
    await expectVisible(kenya, '.version', 'Rev.1', "the version reaches Kenya's open History");

    // the chair accepts Kenya's bracket and chooses Kenya's wording; Kenya's log follows without reopening the tab
    await chair.getByRole('tab', { name: 'Proposals' }).click();
    await entry('and annually to Council').getByRole('button', { name: 'Accept' }).click();
    await expectVisible(kenya, '.decision-entry', "accepted Kenya's bracket “and annually to Council”", "the accept reaches Kenya's open decision log");
    await entry('all interested stakeholders').getByRole('button', { name: 'Choose' }).click();
    await expectVisible(
      kenya,
      '.decision-entry',
      /chose Kenya's option “all interested stakeholders” .*; set aside the base text's option “relevant stakeholders”/,
      "the choice reaches Kenya's open decision log",
    );
    await expect.poll(() => kenya.locator('.decision-entry').count()).toBe(2);
    await expect.poll(() => provisionText(kenya, 'all interested stakeholders')).not.toContain('relevant stakeholders');
    await kenya.getByRole('heading', { name: 'Decisions' }).evaluate((heading) => heading.scrollIntoView({ block: 'start' }));
    await kenya.mouse.move(0, 0);
    await shot(kenya, 'kenya-live-log');

    // Rev.1 → now: the two options apart, the brackets that went, the decisions taken between
    await kenya.locator('.version', { hasText: 'Rev.1' }).getByRole('button', { name: 'Compare with now' }).click();
    const dialog = kenya.locator('dialog.comparison');
    await expectVisible(kenya, 'dialog.comparison .comparison-text', 'Alt 1: relevant stakeholders / Alt 2: all interested stakeholders', 'the comparison shows the options apart');
    await expectVisible(
      kenya,
      'dialog.comparison .comparison-brackets',
      "the base text's option (Alt 1) “relevant stakeholders”: removed with its words",
      'the comparison lists the base option set aside',
    );
    await expectVisible(kenya, 'dialog.comparison .comparison-brackets', "Kenya's bracket “and annually to Council”: bracket removed, the words stayed", 'the comparison lists the accepted bracket');
    await expect.poll(() => dialog.locator('.comparison-decision').count()).toBe(2);
    await kenya.mouse.move(0, 0);
    await shot(kenya, 'compare');
    await dialog.getByRole('button', { name: 'Close' }).click();
    // (the browser itself logs the refused export)
    expect(t.problems.filter((problem) => !/status of 409/.test(problem))).toEqual([]);
  });
});
