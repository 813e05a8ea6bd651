import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { e2e } from './support/harness.ts';
import { audit, describeAll, serious } from './support/axe.ts';
import { openDocument, selectText } from './support/pages.ts';

/**
 * axe-core on the login, group and document pages, in the states people see them: no violation of
 * impact serious or critical is allowed (minor and moderate ones are printed).
 */
describe('accessibility (axe-core)', () => {
  const t = e2e();

  async function expectAccessible(page: Page, what: string): Promise<void> {
    const violations = await audit(page);
    if (violations.length) process.stdout.write(`axe, ${what}:\n${describeAll(violations)}\n`);
    expect(serious(violations), `serious or critical axe violations on ${what}`).toEqual([]);
  }

  it('the login page, also with an error shown', async () => {
    const page = await t.anonymous();
    await page.goto(`${t.concord.url}/login`);
    await page.getByLabel('Username').waitFor();
    await expectAccessible(page, 'the login page');
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('alert').waitFor();
    await expectAccessible(page, 'the login page with an error');
  });

  it('the group page, for a delegate and for the secretariat with its forms open', async () => {
    const delegate = await t.open('brazil');
    await expectAccessible(delegate, "the group page (Brazil's delegate)");
    const secretariat = await t.open('secretariat');
    await secretariat.getByRole('button', { name: 'New document' }).click();
    await secretariat.getByRole('button', { name: 'Import a text' }).click();
    await expectAccessible(secretariat, 'the group page (secretariat, forms open)');
  });

  it('the document page, with brackets, alternatives and comments, for a delegate, the chair and an observer', async () => {
    const brazil = await t.open('brazil');
    await openDocument(brazil, t.concord.url);
    await selectText(brazil, 'and annually to Council');
    await brazil.getByRole('button', { name: /^Bracket the selection/ }).click();
    await selectText(brazil, 'relevant stakeholders');
    await brazil.getByRole('button', { name: /offer an alternative to the selected text/ }).click();
    await brazil.getByLabel('Wording of the alternative').fill('all interested stakeholders');
    await brazil.getByLabel('Wording of the alternative').press('Enter');
    await brazil.locator('.itu-text .bracket-option', { hasText: 'Alt 2' }).waitFor();
    await brazil.getByRole('tab', { name: /^Comments/ }).click();
    await selectText(brazil, 'capacity building on AI technologies');
    await brazil.getByRole('button', { name: 'Comment on the selection' }).click();
    await brazil.getByLabel('Your comment').fill('Could we say "capacity building, in particular for developing countries"?');
    await brazil.getByRole('button', { name: 'Post', exact: true }).click();
    await brazil.locator('.thread').first().waitFor();
    await expectAccessible(brazil, "the document page (Brazil's delegate, Comments tab)");

    const chair = await t.open('chair');
    await openDocument(chair, t.concord.url);
    await chair.getByRole('tab', { name: 'Proposals' }).click();
    await chair.locator('.proposal-entry').first().waitFor();
    await selectText(chair, 'to coordinate the activities');
    await expectAccessible(chair, 'the document page (chair, Proposals tab)');
    await chair.getByRole('tab', { name: 'History' }).click();
    await expectAccessible(chair, 'the document page (chair, History tab)');

    const observer = await t.open('observer');
    await openDocument(observer, t.concord.url);
    await expectAccessible(observer, 'the document page (observer, read-only)');
  });
});
