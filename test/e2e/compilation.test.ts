import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { e2e, ROOT, SCREENSHOT_DIR } from './support/harness.ts';
import { canRenderDocx, renderFirstPage } from './support/render-docx.ts';
import { STEP_MS } from './support/pages.ts';
import { ATU, BASE, KENYA } from '../support/compilation-texts.ts';

/**
 * The secretariat's first hour before a meeting, in Chromium: the resolution in force imported as
 * the base, three sources' proposals imported from the group page (a pasted whole-resolution MOD,
 * a Word file with tracked changes, provision ADD and SUP proposals with reasons), compiled into
 * one negotiation text; the compilation table read on the page and downloaded as Word.
 */
describe('compiling proposals', () => {
  const t = e2e();

  async function importText(page: Page, symbol: string, options: { text?: string; file?: string; source?: string }) {
    await page.getByRole('button', { name: 'Import a text' }).click();
    const form = page.getByRole('form', { name: 'Import a text' });
    await form.locator('#import-symbol').fill(symbol);
    if (options.text) await form.locator('#import-text').fill(options.text);
    if (options.file) await form.locator('#import-file').setInputFiles(options.file);
    if (options.source) await form.getByLabel('A proposal of (for compiling)').selectOption(options.source);
    await form.getByRole('button', { name: 'Import' }).click();
    await page.waitForURL(/\/documents\//, { timeout: STEP_MS }).catch(async () => {
      // lines the importer could not place are listed first; the document is open from there
      await page.getByRole('link', { name: `Open ${symbol}` }).click();
    });
    await page.goto(`${t.concord.url}/groups/cwg-ai`);
  }

  it('imports a base and three proposals, compiles them and shows the table', async () => {
    const page = await t.open('secretariat');
    await page.goto(`${t.concord.url}/groups/cwg-ai`);
    await importText(page, 'RES-214', { text: BASE });
    await importText(page, 'PP-26/7', { text: KENYA, source: 'Kenya' });
    await importText(page, 'PP-26/12', { file: resolve(ROOT, 'test/fixtures/docx/tracked-changes-mod.docx'), source: 'Brazil' });
    await importText(page, 'PP-26/30', { text: ATU, source: 'ATU' });

    await page.getByRole('button', { name: 'Compile proposals' }).click();
    const form = page.getByRole('form', { name: 'Compile proposals' });
    await form.getByLabel('Symbol of the compiled text').fill('CWG-AI/9');
    await form.getByLabel('Base text').selectOption({ label: 'RES-214 — Artificial intelligence technologies and telecommunications/information and communication technologies' });
    // tick the three proposals; each imported with its source has its delegation chosen already
    for (const [symbol, delegation] of [
      ['PP-26/7', 'Kenya'],
      ['PP-26/12', 'Brazil'],
      ['PP-26/30', 'ATU'],
    ]) {
      const source = form.locator('.compile-source', { hasText: `${symbol} — ` });
      await source.locator('input[type=checkbox]').check();
      await expect(source.locator('select').inputValue()).resolves.toBe(delegation);
    }
    await t.screenshot(page, 'compile-form');
    await form.getByRole('button', { name: 'Compile' }).click();

    await page.waitForURL(/\/compilation$/, { timeout: STEP_MS });
    const table = page.locator('.compilation-table');
    await table.waitFor();
    const head = await table.locator('thead th').allInnerTexts();
    expect(head.map((h) => h.split('\n')[0])).toEqual(['Provision', 'Base text', 'Brazil', 'ATU', 'Kenya']);
    const row = (label: string) => table.locator('tbody tr', { has: page.locator('th', { hasText: new RegExp(`${label.replace(/[()]/g, '\\$&')}$`) }) });
    await expect(row('resolves 2').locator('td').nth(3).innerText()).resolves.toContain('MOD AFR/7/1');
    await expect(row('resolves 2').locator('ins').first().innerText()).resolves.toContain('and regional');
    await expect(row('considering c)').locator('td').nth(2).innerText()).resolves.toContain('Reasons: Covered by Resolution 140.');
    await page.mouse.move(0, 0);
    await t.screenshot(page, 'compilation-table');

    // the table as Word, opened as a secretariat would
    const [file] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Word (.docx)' }).click()]);
    const body = readFileSync((await file.path())!);
    const xml = await (await JSZip.loadAsync(body)).file('word/document.xml')!.async('string');
    expect(xml).toContain('Covered by Resolution 140.');
    if (canRenderDocx()) await renderFirstPage(body, join(SCREENSHOT_DIR, 'compilation-table-docx.png'));

    // the negotiation text: alternatives and brackets, attributed
    await page.getByRole('link', { name: 'Open the negotiation text' }).click();
    await page.locator('.ProseMirror').waitFor();
    await page.locator('.bracket-option', { hasText: 'Base text' }).first().waitFor({ timeout: STEP_MS });
    const text = await page.locator('.ProseMirror').innerText();
    expect(text).toContain('to promote international and regional cooperation');
    expect(text).toContain('to invite Member States to share their national AI strategies;');
    await page.mouse.move(0, 0);
    await t.screenshot(page, 'compiled-negotiation-text');
    expect(t.problems).toEqual([]);
  });
});
