import { describe, expect, it } from 'vitest';
import { e2e } from './support/harness.ts';
import { openDocument, provisionText, placeCaret } from './support/pages.ts';

/**
 * Logging in through the form as each role of the demo working group, and what each may do on the
 * draft resolution: the chair, the secretariat and a delegate edit; an observer reads, read-only.
 */
describe('logging in, by role', () => {
  const t = e2e();

  it('shows the login page, and says why a wrong password is refused', async () => {
    const page = await t.anonymous();
    await page.goto(`${t.concord.url}/documents/whatever`);
    await page.waitForURL(/\/login\?next=/);
    await page.getByRole('heading', { name: 'Log in to your working group' }).waitFor();
    await t.screenshot(page, 'login');
    await page.getByLabel('Username').fill('brazil');
    await page.getByLabel('Password').fill('not the password');
    await page.getByRole('button', { name: 'Log in' }).click();
    const error = page.getByRole('alert');
    await error.waitFor();
    expect(await error.innerText()).toMatch(/wrong username or password/i);
    await expect.poll(() => page.getByLabel('Password').getAttribute('aria-invalid')).toBe('true');
    expect(page.url()).toContain('/login');
  });

  const roles = [
    { username: 'chair', role: 'Chair', edits: true, manages: true },
    { username: 'secretariat', role: 'Secretariat', edits: true, manages: true },
    { username: 'brazil', role: 'Delegate of Brazil', edits: true, manages: false },
    { username: 'observer', role: 'Observer', edits: false, manages: false },
  ];
  for (const { username, role, edits, manages } of roles) {
    it(`logs in as ${username} (${role}) and ${edits ? 'edits' : 'only reads'} the draft`, async () => {
      const page = await t.open(username);
      await expect.poll(async () => (await page.locator('.group-role').textContent())?.replace(/\s+/g, ' ')).toContain(`You take part as ${role}`);
      expect(await page.getByRole('button', { name: 'New document' }).count()).toBe(manages ? 1 : 0);
      expect(await page.getByRole('button', { name: 'Import a text' }).count()).toBe(manages ? 1 : 0);

      await openDocument(page, t.concord.url);
      const text = page.getByRole('textbox', { name: 'Text of CWG-AI/2' });
      expect(await text.getAttribute('contenteditable')).toBe(String(edits));
      expect(await page.getByRole('toolbar', { name: 'Formatting' }).count()).toBe(edits ? 1 : 0);
      expect(await page.getByRole('button', { name: /^Bracket the selection/ }).count()).toBe(edits ? 1 : 0);
      await page.getByRole('tab', { name: /^Comments/ }).click();
      expect(await page.getByRole('button', { name: 'Comment on the selection' }).count()).toBe(edits ? 1 : 0);

      const words = 'Resolution 70/1 of the United Nations General Assembly';
      const before = await provisionText(page, words);
      await placeCaret(page, words, 'end');
      await page.keyboard.type(` (typed by ${username})`);
      if (edits) {
        await expect.poll(() => provisionText(page, words)).toContain(`(typed by ${username})`);
        // and it reached the server: a fresh page of the same user loads it
        const again = await t.open(username);
        await openDocument(again, t.concord.url);
        await expect.poll(() => provisionText(again, words)).toContain(`(typed by ${username})`);
      } else {
        await page.getByRole('note').filter({ hasText: 'Read-only' }).waitFor();
        expect(await provisionText(page, words)).toBe(before);
      }
      expect(t.problems).toEqual([]);
    });
  }
});
