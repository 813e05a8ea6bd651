import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { e2e, ROOT } from './support/harness.ts';
import { expectVisible, openDocument, placeCaret, selectText } from './support/pages.ts';

/**
 * A proposal against a base text: Brazil edits CWG-AI/3 (every provision NOC against the draft), so
 * b) becomes MOD with its changes marked and a new provision is ADD "b bis"; and the secretariat
 * imports a text as the base of a new proposal.
 */
describe('proposals against a base text', () => {
  const t = e2e();

  it('marks an edited provision MOD with insertions and deletions, and a new one ADD "b bis"', async () => {
    const page = await t.open('brazil');
    await openDocument(page, t.concord.url, 'CWG-AI/3');
    await selectText(page, 'high-level ');
    await page.keyboard.press('Backspace');
    await placeCaret(page, 'Resolution 70/125', 'end');
    await page.keyboard.type(' and its follow-up in the WSIS+20 review', { delay: 5 });
    await page.keyboard.press('End'); // past the provision's closing ";" (on its last line)
    await page.keyboard.press('Enter');
    await page.keyboard.type('Resolution 79/1 of the UNGA on the Pact for the Future and its Global Digital Compact;', { delay: 2 });
    await page.getByLabel('Proposal reference').fill('B/3/1');
    await page.getByLabel('Proposal reference').press('Enter');
    await expectVisible(page, '.itu-text .provision.marker-mod', 'WSIS+20', 'the edited provision shows as MOD');
    await expectVisible(page, '.itu-text del.rev-deleted', 'high-level', 'the deleted words are shown struck through');
    await expectVisible(page, '.itu-text .rev-inserted', 'WSIS+20', 'the inserted words are shown underlined');
    await expectVisible(page, '.itu-text .provision.marker-add[data-label="b bis"]', 'Pact for the Future', 'the new provision is ADD "b bis"');
    await expectVisible(page, '.itu-text .provision[data-marker="ADD B/3/1"]', 'Pact for the Future', 'the reference is shown with the marker');
    await page.mouse.move(0, 0);
    await page
      .locator('.itu-text .provision', { hasText: 'Resolution 70/125' })
      .first()
      .evaluate((element) => element.scrollIntoView({ block: 'start' }));
    await page.evaluate(() => window.scrollBy(0, -200));
    await t.screenshot(page, 'proposal-revision-marks');
    expect(t.problems).toEqual([]);
  });

  it('lets the secretariat import a text as the base of a proposal, which opens structured', async () => {
    const page = await t.open('secretariat');
    await page.getByRole('button', { name: 'Import a text' }).click();
    await page.locator('#import-symbol').fill('CWG-AI/4');
    await page.locator('#import-file').setInputFiles(join(ROOT, 'test/fixtures/draft-new-resolution-ai.txt'));
    await page.getByLabel(/Propose modifications/).check();
    await page.getByLabel('Base text reference').fill('Document CWG-AI/2');
    await page.mouse.move(0, 0);
    await t.screenshot(page, 'import');
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await page.waitForURL(/\/documents\//);
    await expectVisible(page, '.itu-text .provision.marker-noc[data-label="a)"]', 'Resolution 70/1', 'the imported proposal starts with NOC provisions');
    await expectVisible(page, '.outline', 'instructs the Secretary-General', 'the outline lists the sections');
    await page.goto(`${t.concord.url}/groups/cwg-ai`);
    await page.getByRole('link', { name: 'CWG-AI/4', exact: true }).waitFor();
    expect(t.problems).toEqual([]);
  });
});
