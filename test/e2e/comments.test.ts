import { describe, expect, it } from 'vitest';
import { e2e } from './support/harness.ts';
import { expectVisible, openDocument, selectText } from './support/pages.ts';

/**
 * Comment threads in the draft resolution: Brazil opens a public thread on words of the text and
 * keeps a private note for its delegation; Kenya sees and answers the thread, and never sees the
 * note — nor do the chair or an observer.
 */
describe('comments and private notes', () => {
  const t = e2e();

  it('shares a public thread with everyone and keeps a private note to its delegation', async () => {
    const [brazil, kenya, chair] = await Promise.all(['brazil', 'kenya', 'chair'].map((who) => t.open(who)));
    for (const page of [brazil!, kenya!, chair!]) {
      await openDocument(page, t.concord.url);
      await page.getByRole('tab', { name: /^Comments/ }).click();
    }

    await selectText(brazil!, 'capacity building on AI technologies');
    await brazil!.getByRole('button', { name: 'Comment on the selection' }).click();
    await brazil!.getByLabel('Your comment').fill('Could we say "capacity building, in particular for developing countries"? @Kenya');
    await brazil!.getByRole('button', { name: 'Post', exact: true }).click();
    await selectText(brazil!, 'increasing efficiency');
    await brazil!.getByRole('button', { name: 'Comment on the selection' }).click();
    await brazil!.getByLabel('Your comment').fill('Note for our delegation: capital prefers "effectiveness". Do not concede yet.');
    await brazil!.getByLabel('Who sees this thread').selectOption('private');
    await brazil!.getByRole('button', { name: 'Post', exact: true }).click();
    await expectVisible(brazil!, '.thread.is-private', 'Do not concede', 'Brazil sees its private note');

    // Kenya sees the public thread live (and that Brazil mentioned Kenya), and replies; markup stays text
    const thread = (page: typeof kenya) => page!.locator('.thread', { hasText: 'capacity building, in particular' });
    await thread(kenya).waitFor();
    await kenya!.locator('.mention-note', { hasText: 'Brazil mentioned Kenya' }).waitFor();
    await thread(kenya).getByPlaceholder('Reply…').fill('Agreed in substance. <img src=x onerror=alert(1)> We will propose wording.');
    await thread(kenya).getByRole('button', { name: 'Reply' }).click();
    for (const page of [brazil, kenya, chair]) {
      await thread(page).locator('.comment-body', { hasText: '<img src=x onerror=alert(1)>' }).waitFor();
      expect(await page!.locator('.comment-body img').count()).toBe(0);
    }

    // the note is Brazil's alone: not Kenya's, not the chair's, not an observer's
    const observer = await t.open('observer');
    await openDocument(observer, t.concord.url);
    await observer.getByRole('tab', { name: /^Comments/ }).click();
    await thread(observer).waitFor();
    for (const page of [kenya!, chair!, observer]) {
      expect(await page.locator('.thread').count()).toBe(1);
      expect(await page.locator('.thread.is-private').count()).toBe(0);
      expect(await page.content()).not.toContain('Do not concede');
    }

    // the picture: Brazil's page, with Kenya still in the document
    for (const page of [chair!, observer]) await page.context().close();
    await expect.poll(() => brazil!.locator('.presence-list li').count()).toBe(2);
    await thread(brazil).locator('.thread-quote').click();
    await brazil!.mouse.move(0, 0);
    // (taller than the laptop screen, so that both threads fit in the sidebar)
    await brazil!.setViewportSize({ width: 1280, height: 1000 });
    await brazil!.locator('.thread.is-private').scrollIntoViewIfNeeded();
    await t.screenshot(brazil!, 'comment-threads');
    expect(t.problems).toEqual([]);
  });
});
