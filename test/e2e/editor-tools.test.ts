import { describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { audit, serious } from './support/axe.ts';
import { e2e, VIEWPORT } from './support/harness.ts';
import { expectVisible, openDocument, placeCaret, provision, provisionText, selectText, waitForLiveText } from './support/pages.ts';

/**
 * The delegate's editing tools on the draft resolution CWG-AI/2: a refused change explained where
 * the delegate looks, the "Alt…" popover, the secretariat choosing for which delegation it
 * brackets, the keys of the tools, going from bracket to bracket and thread to thread, footnotes,
 * and an agreed provision saying in the text that it is locked and by whom. The tests share one
 * server and run in order: going from bracket to bracket goes through the brackets and the thread
 * the tests before it left.
 */
describe('the delegate’s editing tools', () => {
  const t = e2e();

  async function opened(username: string): Promise<Page> {
    const page = await t.open(username);
    await openDocument(page, t.concord.url);
    return page;
  }

  /** The box is wholly in the window and on top there (not under the sticky header or toolbar). */
  async function expectSeen(locator: Locator, what: string): Promise<void> {
    const box = (await locator.boundingBox())!;
    expect(box, what).not.toBeNull();
    expect(box.x, what).toBeGreaterThanOrEqual(0);
    expect(box.y, what).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width, what).toBeLessThanOrEqual(VIEWPORT.width);
    expect(box.y + box.height, what).toBeLessThanOrEqual(VIEWPORT.height);
    expect(
      await locator.evaluate((element) => {
        const r = element.getBoundingClientRect();
        return element.contains(document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2));
      }),
      `${what}: on top at its centre`,
    ).toBe(true);
  }

  /** No serious or critical axe-core violation in the page as it is now. */
  async function expectAccessible(page: Page, what: string): Promise<void> {
    expect(serious(await audit(page)), `serious or critical axe violations with ${what}`).toEqual([]);
  }

  /** Bottom of the sticky header and toolbar, in the window. */
  const stickyBottom = (page: Page) =>
    page
      .locator('.document-sticky, .toolbar-slot')
      .first()
      .evaluate((e) => e.getBoundingClientRect().bottom);

  it('shows a refused change at the foot of the window, announced, until dismissed or the next edit', async () => {
    const brazil = await opened('brazil');
    const kenya = await t.open('kenya');
    // a fake clock from the page's start: a note on a timer would go when time is moved on
    await kenya.clock.install();
    await kenya.reload();
    await openDocument(kenya, t.concord.url);
    const region = kenya.locator('.notice-area');
    expect(await region.getAttribute('role')).toBe('alert');
    expect(await region.textContent()).toBe(''); // in the page before anything is put in it

    // Brazil brackets words of the very last provision; Kenya, far down the text, types into them
    await selectText(brazil, 'within the mandate of the Union');
    await brazil.getByRole('button', { name: /^Bracket the selection/ }).click();
    await expectVisible(kenya, '.itu-text .bracketed', 'within the mandate of the Union', "Brazil's bracket reaches Kenya");
    const before = await provisionText(kenya, 'within the mandate of the Union');
    const refuse = async () => {
      await selectText(kenya, 'mandate of');
      await kenya.keyboard.type('x');
      await expectVisible(kenya, '.notice-area .refusal-note', /Not done: .*Brazil/, 'Kenya is told why');
    };
    await refuse();
    expect(await kenya.evaluate(() => window.scrollY)).toBeGreaterThan(800);
    const note = kenya.locator('.notice-area .refusal-note');
    await expectSeen(note, 'the refusal note');
    expect(await provisionText(kenya, 'within the mandate of the Union')).toBe(before);

    // it is on no timer
    await kenya.clock.fastForward('00:20');
    await note.waitFor();
    await expectSeen(note, 'the refusal note 20 s later');

    // Escape dismisses it
    await kenya.keyboard.press('Escape');
    await note.waitFor({ state: 'detached' });
    // so does its Dismiss button
    await refuse();
    await note.getByRole('button', { name: 'Dismiss' }).click();
    await note.waitFor({ state: 'detached' });
    // and Kenya's next edit
    await refuse();
    await placeCaret(kenya, 'to share their experiences', 'end');
    await kenya.keyboard.type(' too');
    await note.waitFor({ state: 'detached' });
    expect(t.problems).toEqual([]);
  });

  it('asks for the wording of an alternative in a wide popover beside the selected words, which stay highlighted', async () => {
    const brazil = await opened('brazil');
    await selectText(brazil, 'relevant organizations');
    await brazil.getByRole('button', { name: /offer an alternative to the selected text/ }).click();
    const popover = brazil.getByRole('dialog', { name: 'Offer an alternative' });
    await popover.waitFor();
    const input = popover.getByLabel('Wording of the alternative');
    expect(await input.evaluate((e) => e === document.activeElement)).toBe(true);
    expect((await input.boundingBox())!.width).toBeGreaterThanOrEqual(300);
    // the whole placeholder shows
    expect(
      await input.evaluate((field: HTMLInputElement) => {
        const style = getComputedStyle(field);
        const context = document.createElement('canvas').getContext('2d')!;
        context.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
        const room = field.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
        return field.placeholder.length > 10 && context.measureText(field.placeholder).width <= room;
      }),
    ).toBe(true);
    await popover.getByRole('button', { name: 'Offer' }).waitFor();
    await popover.getByRole('button', { name: 'Cancel' }).waitFor();

    // the selected words keep a highlight, and the popover covers neither them nor the toolbar
    const held = brazil.locator('.itu-text .held-selection');
    expect(await held.textContent()).toBe('relevant organizations');
    const words = (await held.boundingBox())!;
    const box = (await popover.boundingBox())!;
    const overlaps = words.x < box.x + box.width && box.x < words.x + words.width && words.y < box.y + box.height && box.y < words.y + words.height;
    expect(overlaps).toBe(false);
    expect(box.y).toBeGreaterThanOrEqual(await stickyBottom(brazil));
    await expectSeen(popover, 'the popover');
    await expectAccessible(brazil, 'the alternative popover open');

    await input.fill('competent organizations');
    await input.press('Enter');
    await popover.waitFor({ state: 'hidden' });
    await expect.poll(() => provisionText(brazil, 'competent organizations')).toContain('relevant organizationscompetent organizations');
    await expectVisible(brazil, '.itu-text .bracket-option', 'Alt 2', 'the alternative is offered');
    expect(await held.count()).toBe(0);

    // Cancel closes it and changes nothing
    const text = await provisionText(brazil, 'competent organizations');
    await selectText(brazil, 'relevant stakeholders');
    await brazil.getByRole('button', { name: /offer an alternative to the selected text/ }).click();
    await popover.getByRole('button', { name: 'Cancel' }).click();
    await popover.waitFor({ state: 'hidden' });
    expect(await provisionText(brazil, 'competent organizations')).toBe(text);
    expect(t.problems).toEqual([]);
  });

  it('makes the secretariat choose for which delegation it brackets, and keeps every toolbar button on one line', async () => {
    const secretariat = await opened('secretariat');
    const forWhom = secretariat.getByLabel('Bracket on behalf of');
    expect(await forWhom.inputValue()).toBe('');
    expect(await forWhom.evaluate((select: HTMLSelectElement) => select.selectedOptions[0]!.textContent)).toBe('For which delegation?');

    await selectText(secretariat, 'respective sectors');
    const bracket = secretariat.getByRole('button', { name: /^Bracket the selection/ });
    expect(await bracket.isDisabled()).toBe(true);
    await secretariat.keyboard.press('Control+Alt+b');
    await expectVisible(secretariat, '.notice-area .refusal-note', /choose first, in the toolbar, for which delegation/, 'the key says to choose first');
    expect(await secretariat.locator('.itu-text .bracketed').filter({ hasText: 'respective sectors' }).count()).toBe(0);

    await forWhom.selectOption({ label: 'For Kenya' });
    expect(await forWhom.evaluate((select: HTMLSelectElement) => select.selectedOptions[0]!.textContent)).toBe('For Kenya');
    await selectText(secretariat, 'respective sectors');
    await bracket.click();
    await expectVisible(secretariat, '.itu-text .bracket-open .bracket-who', 'Kenya', 'the bracket is Kenya’s');
    await expectVisible(secretariat, '.itu-text .bracketed', 'respective sectors', 'the words are bracketed');

    // at 1280 × 800, no button of the toolbar breaks onto two lines
    const tools = await secretariat.locator('.toolbar button.tool').evaluateAll((buttons) =>
      buttons.map((b) => ({
        text: b.textContent,
        height: b.getBoundingClientRect().height,
        lines: b.getClientRects().length,
        overflow: b.scrollWidth > b.clientWidth + 1,
      })),
    );
    expect(tools.length).toBeGreaterThan(10);
    for (const tool of tools) {
      expect(tool.height, tool.text!).toBeLessThanOrEqual(34);
      expect(tool.overflow, tool.text!).toBe(false);
    }
    expect(tools.find((tool) => tool.text === '[ ]')).toBeTruthy();
    await expectAccessible(secretariat, 'the toolbar of the secretariat');
    expect(t.problems).toEqual([]);
  });

  it('does what the bracket keys and “Comment on the selection” say', async () => {
    const brazil = await opened('brazil');
    // [?] awaiting instructions
    await selectText(brazil, 'capacity building activities');
    await brazil.keyboard.press('Control+Alt+/');
    await expectVisible(brazil, '.itu-text .bracketed-awaiting', 'capacity building activities', 'Ctrl+Alt+/ marks the words awaiting instructions');

    // [¶] the whole provision, then [×] takes it back
    const realizing = provision(brazil, 'bridging digital divides');
    await placeCaret(brazil, 'bridging digital divides', 'before');
    await brazil.keyboard.press('Control+Alt+p');
    await expect
      .poll(() =>
        realizing
          .locator('.bracketed')
          .allTextContents()
          .then((parts) => parts.join('')),
      )
      .toContain('that fully realizing the benefits of AI technologies');
    expect(await realizing.locator('.bracket-open .bracket-who').textContent()).toBe('Brazil');
    await placeCaret(brazil, 'bridging digital divides', 'before');
    await brazil.keyboard.press('Control+Alt+r');
    await expect.poll(() => realizing.locator('.bracketed').count()).toBe(0);
    expect(await provisionText(brazil, 'bridging digital divides')).toContain('that fully realizing the benefits');

    // Alt… opens the popover, Enter offers the wording
    await selectText(brazil, 'both opportunities');
    await brazil.keyboard.press('Control+Alt+v');
    const input = brazil.getByLabel('Wording of the alternative');
    await expect.poll(() => input.evaluate((e) => e === document.activeElement)).toBe(true);
    await brazil.keyboard.type('many opportunities');
    await brazil.keyboard.press('Enter');
    await expect.poll(() => provisionText(brazil, 'many opportunities')).toContain('both opportunitiesmany opportunities');
    await expectVisible(brazil, '.itu-text .provision .bracket-option', 'Alt 2', 'Ctrl+Alt+V offered the alternative');

    // a comment on the selection
    await selectText(brazil, 'Global Partnership on Artificial Intelligence');
    await brazil.keyboard.press('Control+Alt+k');
    const area = brazil.getByLabel('Your comment');
    await area.waitFor();
    await expect.poll(() => area.evaluate((e) => e === document.activeElement)).toBe(true);
    expect(await brazil.locator('.new-thread-quote').textContent()).toBe('Global Partnership on Artificial Intelligence');
    await area.fill('Which partnership is meant here?');
    await brazil.getByRole('button', { name: 'Post' }).click();
    await expectVisible(brazil, '.itu-text .comment-anchor', 'Global Partnership', 'the thread is anchored to the words');

    // the help lists the keys of the tools
    await brazil.getByRole('button', { name: 'Shortcuts' }).click();
    const help = brazil.getByRole('dialog', { name: 'Keyboard shortcuts' });
    for (const key of ['Ctrl+Alt+/', 'Ctrl+Alt+P', 'Ctrl+Alt+V', 'Ctrl+Alt+R', 'Ctrl+Alt+K', 'Ctrl+Alt+F', 'Ctrl+Alt+.', 'Ctrl+Alt+,']) {
      await help.locator('kbd', { hasText: key }).first().waitFor();
    }
    await help.getByRole('button', { name: 'Close' }).click();
    expect(t.problems).toEqual([]);
  });

  it('goes from bracket to bracket and thread to thread, saying where, from the keys and the Proposals panel', async () => {
    const kenya = await opened('kenya');
    const said = kenya.locator('.visually-hidden[role="status"]');
    const brackets = await kenya.locator('.itu-text .bracket-open, .itu-text .bracket-option').count();
    expect(brackets).toBeGreaterThan(2);

    await placeCaret(kenya, 'Resolution 70/1 of the United Nations', 'before');
    await kenya.keyboard.press('Control+Alt+.');
    await expect.poll(() => said.textContent()).toMatch(/^Bracket 1 of \d+: Brazil, in c\) of noting$/);
    const total = Number((await said.textContent())!.match(/of (\d+)/)![1]);
    // the caret is where the bracket starts, and the bracket is in view below the toolbar
    const first = kenya.locator('.itu-text .bracketed').first();
    expect(await kenya.evaluate(() => window.getSelection()!.anchorNode!.parentElement!.closest('.provision')!.textContent)).toContain('capacity building activities');
    const box = (await first.boundingBox())!;
    expect(box.y).toBeGreaterThanOrEqual(await stickyBottom(kenya));
    expect(box.y + box.height).toBeLessThanOrEqual(VIEWPORT.height);
    await kenya.keyboard.type('Z');
    await expect.poll(() => provisionText(kenya, 'capacity building activities')).toContain('Zcapacity building activities');

    await kenya.keyboard.press('Control+Alt+.');
    // an alternatives group is one open question, said with its options
    await expect.poll(() => said.textContent()).toBe(`Bracket 2 of ${total}: Alt 1 Base text / Alt 2 Brazil, in c) of considering`);
    // before the first comes the last
    await kenya.keyboard.press('Control+Alt+,');
    await kenya.keyboard.press('Control+Alt+,');
    await expect.poll(() => said.textContent()).toMatch(new RegExp(`^Bracket ${total} of ${total}: Brazil, in 3 of invites`));

    // the panel's Next after the last is the first again
    await kenya.getByRole('tab', { name: 'Proposals' }).click();
    await kenya.getByRole('button', { name: 'Next ▶' }).click();
    await expectVisible(kenya, '.proposals-where', /^Bracket 1 of \d+: Brazil, in c\) of noting$/, 'the panel says where the caret went');
    await kenya.getByRole('button', { name: '◀ Previous' }).click();
    await expectVisible(kenya, '.proposals-where', new RegExp(`^Bracket ${total} of ${total}`), 'Previous wraps to the last');

    // threads: Brazil's comment of the test before
    await kenya.locator('.itu-text .comment-anchor').first().waitFor();
    await placeCaret(kenya, 'Resolution 70/1 of the United Nations', 'before');
    await kenya.keyboard.press("Control+Alt+'");
    await expect.poll(() => said.textContent()).toMatch(/^Thread 1 of 1: Brazil, on a\) of noting$/);
    expect(await kenya.evaluate(() => window.getSelection()!.anchorNode!.parentElement!.closest('.provision')!.textContent)).toContain('Global Partnership');
    await kenya.keyboard.press('Control+Alt+;');
    await expect.poll(() => said.textContent()).toMatch(/^Thread 1 of 1: /);
    expect(t.problems).toEqual([]);
  });

  it('inserts a footnote at the caret, keeps it, lets its text be changed, exports it, and not in another delegation’s bracket', async () => {
    const brazil = await opened('brazil');
    await placeCaret(brazil, 'Resolution 139 (Rev. Busan, 2014)', 'end');
    await brazil.keyboard.press('Control+Alt+f');
    const dialog = brazil.getByRole('dialog', { name: 'Insert a footnote' });
    await dialog.getByLabel('Text of the footnote').fill('As revised in Dubai, 2018.');
    await dialog.getByLabel('Text of the footnote').press('Enter');
    const note = provision(brazil, 'Resolution 139 (Rev. Busan').locator('sup.footnote');
    await note.waitFor();
    expect(await note.getAttribute('data-text')).toBe('As revised in Dubai, 2018.');
    expect(await note.getAttribute('data-label')).toBe('1');
    await note.hover();
    expect(await note.evaluate((e) => getComputedStyle(e, '::before').content)).toBe('"As revised in Dubai, 2018."');

    // the toolbar's button does the same
    await placeCaret(brazil, 'Resolution 140 (Rev. Dubai, 2018)', 'end');
    await brazil.getByRole('button', { name: /^Insert a footnote/ }).click();
    await dialog.getByLabel('Text of the footnote').fill('Its outcome documents.');
    await dialog.getByRole('button', { name: 'Insert' }).click();
    await provision(brazil, 'Resolution 140 (Rev. Dubai').locator('sup.footnote[data-label="2"]').waitFor();

    // kept by the server: there after reloading
    await brazil.reload();
    await waitForLiveText(brazil);
    await expect.poll(() => note.getAttribute('data-text')).toBe('As revised in Dubai, 2018.');

    // clicking it changes its text
    await note.click();
    const change = brazil.getByRole('dialog', { name: 'Change the footnote' });
    const field = change.getByLabel('Text of the footnote');
    expect(await field.inputValue()).toBe('As revised in Dubai, 2018.');
    await field.fill('As revised at Dubai, 2018.');
    await change.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => note.getAttribute('data-text')).toBe('As revised at Dubai, 2018.');

    const api = await t.concord.api('brazil');
    const documentId = new URL(brazil.url()).pathname.split('/').pop()!;
    await expect.poll(async () => (await api(`/api/documents/${documentId}/export?format=html&mode=negotiation`)).text()).toContain('As revised at Dubai, 2018.');
    expect(await (await api(`/api/documents/${documentId}/export?format=html&mode=negotiation`)).text()).toContain('Its outcome documents.');

    // Kenya may not put one inside Brazil's bracket
    await selectText(brazil, 'role in implementing');
    await brazil.getByRole('button', { name: /^Bracket the selection/ }).click();
    const kenya = await opened('kenya');
    await expectVisible(kenya, '.itu-text .bracketed', 'role in implementing', "Brazil's bracket reaches Kenya");
    await selectText(kenya, 'role in'); // the footnote would go inside Brazil's words
    await kenya.keyboard.press('Control+Alt+f');
    await kenya.getByLabel('Text of the footnote').fill('Kenya’s note');
    await kenya.getByLabel('Text of the footnote').press('Enter');
    await expectVisible(kenya, '.notice-area .refusal-note', /Brazil/, 'Kenya is told why');
    expect(await provision(kenya, 'role in implementing').locator('sup.footnote').count()).toBe(1); // Brazil's, at its end
    expect(t.problems).toEqual([]);
  });

  it('labels an agreed provision as locked, by whom and when; the chair reopens it from the label', async () => {
    const [chair, kenya] = await Promise.all([opened('chair'), opened('kenya')]);
    await selectText(chair, 'to coordinate the activities of the Union');
    await chair.locator('.status-buttons').getByRole('button', { name: 'Agreed', exact: true }).click();

    const label = provision(kenya, 'to coordinate the activities').locator('.lock-label');
    await expect.poll(() => label.textContent()).toMatch(/^Agreed — locked by the Chair \(Chair of the Working Group\) on \d{1,2} [A-Z][a-z]{2} \d\d:\d\d\. Ask the chair to reopen it\.$/);
    // the label is not the text, and the numbering stays
    expect(await provisionText(kenya, 'to coordinate the activities')).toBe('to coordinate the activities of the Union to implement this resolution;');
    expect(await provision(kenya, 'to coordinate the activities').getAttribute('data-label')).toBe('1');

    await placeCaret(kenya, 'to coordinate the activities', 'end');
    await kenya.keyboard.type(' x');
    const note = kenya.locator('.notice-area .refusal-note');
    await expectVisible(kenya, '.notice-area .refusal-note', /this provision is agreed/, 'Kenya is told why');
    await expectSeen(note, 'the refusal note');
    expect(await provisionText(kenya, 'to coordinate the activities')).toBe('to coordinate the activities of the Union to implement this resolution;');
    await expectAccessible(kenya, "an agreed provision's label and a refusal note");
    await expectAccessible(chair, "the chair's Reopen label");

    const reopen = provision(chair, 'to coordinate the activities').locator('.lock-label').getByRole('button', { name: 'Reopen' });
    expect(await provision(chair, 'to coordinate the activities').locator('.lock-label').textContent()).toBe('Agreed — Reopen');
    await reopen.click();
    await label.waitFor({ state: 'detached' });
    await expect.poll(() => provision(kenya, 'to coordinate the activities').getAttribute('class')).toContain('status-open');
    expect(t.problems).toEqual([]);
  });
});
