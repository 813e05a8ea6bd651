/**
 * Screenshots of the browser client, taken from the real thing: starts the server on a fresh data
 * folder, logs two delegations (Brazil, Kenya) in through the login form in two separate browser
 * contexts, has both type into the draft resolution CWG-AI/2, checks that each sees the other's text,
 * caret and presence, and saves:
 *
 *   docs/screenshots/login.png                  the login page
 *   docs/screenshots/editor-two-delegations.png Brazil's editor, with Kenya's caret in the text
 *   docs/screenshots/group-page.png             the working group with who is editing now
 *   docs/screenshots/proposal-revision-marks.png Brazil's proposal against the draft (CWG-AI/3):
 *                                               a MOD with insertions and deletions, an ADD "b bis"
 *   docs/screenshots/import.png                 the secretariat importing a fixture as a proposal base
 *   docs/screenshots/negotiation-before.png     the chair's page: Brazil's and Kenya's brackets and
 *                                               alternatives in the draft, and the Proposals panel
 *   docs/screenshots/negotiation-after.png      the same text after the chair's decisions, with the log
 *   docs/screenshots/compare-versions.png       what changed since Rev.1, word by word
 *   docs/screenshots/comment-threads.png        Brazil and Kenya discussing a provision in a public
 *                                               thread, and Brazil's private note, in the sidebar
 *
 * Run: `npx tsx scripts/screenshot.ts`. Needs Debian's Chromium at /usr/bin/chromium (or CHROMIUM).
 * Exits non-zero, with the reason, if a check fails or the whole run takes longer than a minute.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import type { Browser, BrowserContext, Page } from 'playwright-core';

const ROOT = resolve(import.meta.dirname, '..');
const OUT = join(ROOT, 'docs/screenshots');
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
/** The whole run, server start (and a possible client build) included. */
const DEADLINE_MS = 90_000;
/** One wait for one thing in a page. */
const STEP_MS = 15_000;
const VIEWPORT = { width: 1280, height: 800 };
const DOCUMENT_SYMBOL = 'CWG-AI/2';

/** What each delegation types, and where: the end of the provision containing `after` (labels such as "a)" may or may not be part of the text). */
const EDITS = {
  brazil: {
    delegation: 'Brazil',
    after: 'Resolution 139 (Rev. Busan, 2014) of the Plenipotentiary',
    sentence: ', including through South–South and triangular cooperation',
  },
  kenya: {
    delegation: 'Kenya',
    after: 'Resolution 70/1 of the United Nations General Assembly',
    sentence: ', in particular Goal 9 on resilient infrastructure and innovation',
  },
} as const;

type Login = { username: string; password: string };

function log(message: string): void {
  process.stdout.write(`screenshot: ${message}\n`);
}

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

/** Starts `tsx server/main.ts` on its own port and data folder; its output is kept for errors. */
function startServer(port: number, dataDir: string): { child: ChildProcess; output: () => string } {
  let output = '';
  const child = spawn(process.execPath, [join(ROOT, 'node_modules/tsx/dist/cli.mjs'), 'server/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, PORT: String(port), DATA_DIR: dataDir, HOST: '127.0.0.1', LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return { child, output: () => output };
}

async function waitForHealth(base: string, server: ChildProcess, output: () => string): Promise<void> {
  const until = Date.now() + DEADLINE_MS;
  while (Date.now() < until) {
    if (server.exitCode !== null) throw new Error(`the server exited with code ${server.exitCode}:\n${output()}`);
    try {
      const response = await fetch(`${base}/api/health`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`the server did not answer /api/health in time:\n${output()}`);
}

async function stopServer(server: ChildProcess): Promise<void> {
  if (server.exitCode !== null || server.signalCode !== null) return;
  const exited = new Promise<void>((r) => server.once('exit', () => r()));
  server.kill('SIGTERM');
  const timer = setTimeout(() => server.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

/** `username password role (Delegation)` lines of demo-credentials.txt. */
function readCredentials(dataDir: string): Map<string, Login> {
  const logins = new Map<string, Login>();
  for (const line of readFileSync(join(dataDir, 'demo-credentials.txt'), 'utf8').split('\n')) {
    if (!line.trim() || line.startsWith('#')) continue;
    const [username, password] = line.trim().split(/\s+/);
    if (username && password) logins.set(username, { username, password });
  }
  return logins;
}

/** Fails the run on any script error or console error in the page (CSP violations show up there). */
function watchPage(page: Page, who: string, problems: string[]): void {
  page.on('pageerror', (error) => problems.push(`${who}: page error: ${error.message}`));
  page.on('console', (message) => {
    // The 401 of the first /api/me, before logging in, is expected and logged by the browser itself.
    if (message.type() === 'error' && !/status of 401/.test(message.text())) problems.push(`${who}: console error: ${message.text()}`);
  });
}

async function logIn(page: Page, base: string, login: Login): Promise<void> {
  await page.goto(`${base}/`);
  await page.waitForURL(/\/login/, { timeout: STEP_MS });
  await page.getByLabel('Username').fill(login.username);
  await page.getByLabel('Password').fill(login.password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.waitForURL(/\/groups\/cwg-ai$/, { timeout: STEP_MS });
  await page.getByRole('link', { name: DOCUMENT_SYMBOL, exact: true }).waitFor({ timeout: STEP_MS });
}

async function openDocument(page: Page, symbol = DOCUMENT_SYMBOL): Promise<void> {
  await page.getByRole('link', { name: symbol, exact: true }).click();
  await page.waitForURL(/\/documents\//, { timeout: STEP_MS });
  await page.locator('.paper:not(.is-loading) .itu-text[contenteditable="true"]').waitFor({ timeout: STEP_MS });
  await page.locator('.connection[data-state="connected"]').waitFor({ timeout: STEP_MS });
}

/**
 * Puts the caret at the end of the provision containing `after`, before its closing punctuation
 * (where a delegation would add words), and types the sentence.
 */
async function typeInto(page: Page, after: string, sentence: string): Promise<void> {
  const paragraph = page.locator('.itu-text p', { hasText: after }).first();
  if ((await paragraph.count()) === 0) {
    const text = (await page.locator('.itu-text').innerText()).slice(0, 400);
    throw new Error(`no provision containing "${after}" in ${DOCUMENT_SYMBOL}; the text begins:\n${text}`);
  }
  await paragraph.click();
  await paragraph.evaluate((element) => {
    const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
    let last: Text | null = null;
    for (let node = walker.nextNode(); node; node = walker.nextNode()) last = node as Text;
    if (!last) throw new Error('the provision has no text');
    const text = last.data;
    const offset = /[;,.]$/.test(text) ? text.length - 1 : text.length;
    window.getSelection()!.collapse(last, offset);
  });
  // Let ProseMirror read the new DOM selection before typing.
  await page.waitForTimeout(50);
  await page.keyboard.type(sentence, { delay: 8 });
}

/**
 * In CWG-AI/3, started from the draft as its base text (every provision NOC), Brazil deletes a
 * word of b) and adds to it (it becomes MOD, with the changes shown), adds a provision after it
 * (ADD, numbered "b bis") and gives it a proposal reference.
 */
async function proposeModifications(page: Page, base: string): Promise<void> {
  await page.goto(`${base}/groups/cwg-ai`);
  await openDocument(page, 'CWG-AI/3');
  const provision = page.locator('.itu-text .provision', { hasText: 'Resolution 70/125' }).first();
  await provision.locator('p').getByText('high-level', { exact: false }).waitFor();
  await provision.locator('p').evaluate((element) => {
    const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const at = (node as Text).data.indexOf('high-level ');
      if (at >= 0) {
        const range = document.createRange();
        range.setStart(node, at);
        range.setEnd(node, at + 'high-level '.length);
        window.getSelection()!.removeAllRanges();
        window.getSelection()!.addRange(range);
        return;
      }
    }
    throw new Error('no "high-level" in the provision');
  });
  await page.waitForTimeout(50);
  await page.keyboard.press('Backspace');
  await typeInto(page, 'Resolution 70/125', ' and its follow-up in the WSIS+20 review');
  await page.keyboard.press('ArrowRight'); // past the provision's closing ";"
  await page.keyboard.press('Enter');
  await page.keyboard.type('Resolution 79/1 of the UNGA on the Pact for the Future and its Global Digital Compact;', { delay: 4 });
  await page.getByLabel('Proposal reference').fill('B/3/1');
  await page.getByLabel('Proposal reference').press('Enter');
  await expectVisible(page, '.itu-text .provision.marker-mod', 'WSIS+20', 'the edited provision shows as MOD');
  await expectVisible(page, '.itu-text del.rev-deleted', 'high-level', 'the deleted words are shown struck through');
  await expectVisible(page, '.itu-text .rev-inserted', 'WSIS+20', 'the inserted words are shown underlined');
  await expectVisible(page, '.itu-text .provision.marker-add[data-label="b bis"]', 'Pact for the Future', 'the new provision is ADD "b bis"');
  await expectVisible(page, '.itu-text .provision[data-marker="ADD B/3/1"]', 'Pact for the Future', 'the reference is shown with the marker');
  await page.mouse.move(0, 0);
  await provision.evaluate((element) => element.scrollIntoView({ block: 'start' }));
  await page.evaluate(() => window.scrollBy(0, -200));
  await page.screenshot({ path: join(OUT, 'proposal-revision-marks.png') });
}

/**
 * Brazil opens a public thread on words of the draft and keeps a private note; Kenya replies (with
 * markup that must show as text, never run) and sees the public thread but not the note.
 */
async function discuss(brazil: Page, kenya: Page, base: string): Promise<void> {
  for (const page of [brazil, kenya]) {
    await page.goto(`${base}/groups/cwg-ai`);
    await openDocument(page);
    await page.getByRole('tab', { name: /^Comments/ }).click();
  }
  let dialogs = 0;
  for (const page of [brazil, kenya]) page.on('dialog', (dialog) => ((dialogs += 1), void dialog.dismiss()));
  await selectText(brazil, 'capacity building on AI technologies');
  await brazil.getByRole('button', { name: 'Comment on the selection' }).click();
  await brazil.getByLabel('Your comment').fill('Could we say "capacity building, in particular for developing countries"? @Kenya');
  await brazil.getByRole('button', { name: 'Post' }).click();
  await selectText(brazil, 'increasing efficiency');
  await brazil.getByRole('button', { name: 'Comment on the selection' }).click();
  await brazil.getByLabel('Your comment').fill('Note for our delegation: capital prefers "effectiveness". Do not concede yet.');
  await brazil.getByLabel('Who sees this thread').selectOption('private');
  await brazil.getByRole('button', { name: 'Post' }).click();
  await expectVisible(kenya, '.thread', 'capacity building, in particular', "Kenya sees Brazil's public thread live");
  const reply = kenya.locator('.thread', { hasText: 'capacity building, in particular' }).getByPlaceholder('Reply…');
  await reply.fill('Agreed in substance. <img src=x onerror=alert(1)> We will propose wording.');
  await kenya.locator('.thread', { hasText: 'capacity building, in particular' }).getByRole('button', { name: 'Reply' }).click();
  await expectVisible(brazil, '.comment-body', '<img src=x onerror=alert(1)>', 'the markup shows as text');
  if ((await brazil.locator('.comment-body img').count()) + (await kenya.locator('.comment-body img').count()) > 0 || dialogs > 0) {
    throw new Error('markup in a comment was interpreted as HTML');
  }
  if ((await kenya.locator('.thread', { hasText: 'Do not concede' }).count()) !== 0) throw new Error("Kenya sees Brazil's private note");
  await expectVisible(brazil, '.thread.is-private', 'Do not concede', 'Brazil sees its private note');
  await brazil.locator('.thread', { hasText: 'capacity building, in particular' }).locator('.thread-quote').click();
  await brazil.mouse.move(0, 0);
  // tall enough for both threads in the sidebar
  await brazil.setViewportSize({ width: VIEWPORT.width, height: 1180 });
  await brazil.locator('.thread.is-private').scrollIntoViewIfNeeded();
  await brazil.screenshot({ path: join(OUT, 'comment-threads.png') });
  await brazil.setViewportSize(VIEWPORT);
}

/** Selects `phrase` inside the first provision containing it (a DOM range ProseMirror then reads). */
async function selectText(page: Page, phrase: string): Promise<void> {
  const found = await page.locator('.itu-text').evaluate((root, wanted) => {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const at = (node as Text).data.indexOf(wanted);
      if (at < 0) continue;
      (node.parentElement as HTMLElement).scrollIntoView({ block: 'center' });
      const range = document.createRange();
      range.setStart(node, at);
      range.setEnd(node, at + wanted.length);
      window.getSelection()!.removeAllRanges();
      window.getSelection()!.addRange(range);
      return true;
    }
    return false;
  }, phrase);
  if (!found) throw new Error(`no "${phrase}" in the text`);
  await page.waitForTimeout(80);
}

/**
 * Two delegations bracket and offer alternatives in the draft; the chair, in a third page, sees
 * them in the Proposals panel, accepts one, rejects one, picks an alternative and marks a
 * provision agreed. Every step is checked in all three pages.
 */
async function negotiate(brazil: Page, kenya: Page, chair: Page, base: string, chairLogin: Login): Promise<void> {
  for (const page of [brazil, kenya]) {
    await page.goto(`${base}/groups/cwg-ai`);
    await openDocument(page);
  }
  await logIn(chair, base, chairLogin);
  await openDocument(chair);

  // Kenya brackets words of operative 6; Brazil offers an alternative in 5, Kenya adds an option.
  await selectText(kenya, 'and annually to Council');
  await kenya.getByRole('button', { name: /^Bracket the selection/ }).click();
  await selectText(brazil, 'relevant stakeholders');
  await brazil.getByRole('button', { name: /^Offer an alternative/ }).click();
  await brazil.getByLabel('Wording of the alternative').fill('all interested stakeholders');
  await brazil.getByLabel('Wording of the alternative').press('Enter');
  await expectVisible(kenya, '.itu-text .bracket-option', 'Alt 2', "Brazil's alternatives reach Kenya");
  await selectText(kenya, 'all interested');
  await kenya.getByRole('button', { name: /^Offer an alternative/ }).click();
  await kenya.getByLabel('Wording of the alternative').fill('stakeholders from developing countries');
  await kenya.getByLabel('Wording of the alternative').press('Enter');
  // Brazil brackets the whole of operative 4.
  await selectText(brazil, 'to foster information and advice-sharing');
  await brazil.getByRole('button', { name: 'Bracket the whole provision' }).click();

  await chair.getByRole('tab', { name: 'Proposals' }).click();
  const entries = chair.locator('.proposal-entry');
  await entries.nth(4).waitFor({ timeout: STEP_MS });
  await expectVisible(chair, '.proposals-summary', 'open brackets', 'the chair sees the count');
  await expectVisible(chair, '.itu-text .bracket-option', 'Alt 3', "the chair sees Kenya's third option");
  // Kenya may not change Brazil's option: the editor refuses, and says why.
  await selectText(kenya, 'all interested');
  await kenya.keyboard.type('x');
  await expectVisible(kenya, '.refusal-note', "Brazil's proposal", 'Kenya is told why the edit was refused');
  await selectText(chair, 'relevant stakeholders');
  await chair.mouse.move(0, 0);
  await chair.screenshot({ path: join(OUT, 'negotiation-before.png') });

  // the chair keeps the state before the decisions as Rev.1
  await chair.getByRole('tab', { name: 'History' }).click();
  await chair.getByLabel('Name of the new version').fill('Rev.1');
  await chair.getByRole('button', { name: 'Take a version' }).click();
  await expectVisible(chair, '.version', 'Rev.1', 'the version is listed');
  await chair.getByRole('tab', { name: 'Proposals' }).click();
  const entry = (text: string) => chair.locator('.proposal-entry', { hasText: text });
  await entry('and annually to Council').getByRole('button', { name: 'Accept' }).click();
  await entry('to foster information').getByRole('button', { name: 'Reject' }).click();
  await entry('stakeholders from developing countries').getByRole('button', { name: 'Choose' }).click();
  await chair.locator('.proposal-entry').first().waitFor({ state: 'detached', timeout: STEP_MS }).catch(() => undefined);
  for (const page of [brazil, kenya, chair]) {
    // (carets' name labels are in the page's text, so phrases are checked in short pieces)
    await expectVisible(page, '.itu-text .provision', 'stakeholders from developing countries with regard', 'the chosen option is the text');
    await page.locator('.itu-text .bracket-option').first().waitFor({ state: 'detached', timeout: STEP_MS });
    await expectVisible(page, '.itu-text .provision', 'and annually to Council on any', 'the accepted text stays');
  }
  if ((await chair.locator('.itu-text .provision', { hasText: 'to foster information and advice-sharing' }).count()) !== 0) {
    throw new Error('the rejected provision is still in the text');
  }
  // The chair marks operative 1 agreed.
  await selectText(chair, 'to coordinate the activities of the Union');
  await chair.locator('.status-buttons').getByRole('button', { name: 'Agreed', exact: true }).click();
  await expectVisible(kenya, '.itu-text .provision.status-agreed', 'to coordinate the activities', 'Kenya sees the provision agreed');
  await chair.getByRole('tab', { name: 'History' }).click();
  await expectVisible(chair, '.decision-entry', 'marked provision', 'the decision log shows the status');
  await chair.mouse.move(0, 0);
  await chair.screenshot({ path: join(OUT, 'negotiation-after.png') });
  // what the decisions changed since Rev.1
  await chair.locator('.version', { hasText: 'Rev.1' }).getByRole('button', { name: 'Compare with now' }).click();
  await expectVisible(chair, 'dialog.comparison', 'stakeholders from developing countries', 'the comparison shows the chosen option');
  await chair.getByRole('button', { name: 'Next change ▶' }).click();
  await chair.mouse.move(0, 0);
  await chair.screenshot({ path: join(OUT, 'compare-versions.png') });
  await chair.getByRole('button', { name: 'Close' }).click();
}

/** The secretariat uploads a fixture as the base of a new proposal, and the document opens structured. */
async function importFixture(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Import a text' }).click();
  await page.locator('#import-symbol').fill('CWG-AI/4');
  await page.locator('#import-file').setInputFiles(join(ROOT, 'test/fixtures/draft-new-resolution-ai.txt'));
  await page.getByLabel(/Propose modifications/).check();
  await page.getByLabel('Base text reference').fill('Document CWG-AI/2');
  await page.mouse.move(0, 0);
  await page.screenshot({ path: join(OUT, 'import.png') });
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await page.waitForURL(/\/documents\//, { timeout: STEP_MS });
  await expectVisible(page, '.itu-text .provision.marker-noc[data-label="a)"]', 'Resolution 70/1', 'the imported proposal starts with NOC provisions');
  await expectVisible(page, '.outline', 'instructs the Secretary-General', 'the outline lists the sections');
}

async function expectVisible(page: Page, selector: string, text: string, what: string): Promise<void> {
  try {
    await page.locator(selector, { hasText: text }).first().waitFor({ state: 'visible', timeout: STEP_MS });
  } catch {
    const shot = join(tmpdir(), `concord-screenshot-failure-${Date.now()}.png`);
    await page.screenshot({ path: shot }).catch(() => undefined);
    throw new Error(`${what}: no visible "${selector}" containing "${text}" (the page as it was: ${shot})`);
  }
}

async function main(): Promise<void> {
  const started = Date.now();
  const dataDir = mkdtempSync(join(tmpdir(), 'concord-screenshot-'));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const server = startServer(port, dataDir);
  let browser: Browser | null = null;
  const watchdog = setTimeout(() => {
    process.stderr.write(`screenshot: gave up after ${DEADLINE_MS / 1000} s\n`);
    server.child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
    process.exit(1);
  }, DEADLINE_MS);

  try {
    await waitForHealth(base, server.child, server.output);
    log(`server up on ${base} after ${((Date.now() - started) / 1000).toFixed(1)} s`);
    const logins = readCredentials(dataDir);
    const brazil = logins.get('brazil');
    const kenya = logins.get('kenya');
    const secretariat = logins.get('secretariat');
    if (!brazil || !kenya || !secretariat) throw new Error('demo-credentials.txt has no brazil, kenya or secretariat login');

    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
    });
    const problems: string[] = [];
    const newPage = async (who: string): Promise<{ context: BrowserContext; page: Page }> => {
      const context = await browser!.newContext({ viewport: VIEWPORT, deviceScaleFactor: 1, locale: 'en-GB', timezoneId: 'Europe/Zurich' });
      context.setDefaultTimeout(STEP_MS);
      const page = await context.newPage();
      watchPage(page, who, problems);
      return { context, page };
    };
    const a = await newPage('brazil');
    const b = await newPage('kenya');
    mkdirSync(OUT, { recursive: true });

    await a.page.goto(`${base}/login`);
    await a.page.getByLabel('Username').waitFor({ timeout: STEP_MS });
    await a.page.screenshot({ path: join(OUT, 'login.png') });
    log('saved login.png');

    await Promise.all([logIn(a.page, base, brazil), logIn(b.page, base, kenya)]);
    await Promise.all([openDocument(a.page), openDocument(b.page)]);
    log('both delegations are in the document');

    await typeInto(b.page, EDITS.kenya.after, EDITS.kenya.sentence);
    await typeInto(a.page, EDITS.brazil.after, EDITS.brazil.sentence);

    // Each sees the other's words, the other's labelled caret, and both in the Present list.
    await expectVisible(a.page, '.itu-text', EDITS.kenya.sentence.trim(), "Brazil's page shows Kenya's sentence");
    await expectVisible(b.page, '.itu-text', EDITS.brazil.sentence.trim(), "Kenya's page shows Brazil's sentence");
    await expectVisible(a.page, '.ProseMirror-yjs-cursor .cursor-label', 'Kenya', "Brazil's page shows Kenya's caret");
    await expectVisible(b.page, '.ProseMirror-yjs-cursor .cursor-label', 'Brazil', "Kenya's page shows Brazil's caret");
    for (const [page, who] of [[a.page, "Brazil's"], [b.page, "Kenya's"]] as const) {
      await expectVisible(page, '.presence-list', 'Brazil', `${who} Present list shows Brazil`);
      await expectVisible(page, '.presence-list', 'Kenya', `${who} Present list shows Kenya`);
    }
    log('each delegation sees the other: text, caret and presence');

    await a.page.mouse.move(0, 0); // no hover effects in the picture
    await a.page.evaluate(() => window.scrollTo(0, 0));
    await a.page.screenshot({ path: join(OUT, 'editor-two-delegations.png') });
    log('saved editor-two-delegations.png');

    // The group page, seen by Brazil in a second tab while both are still in the document.
    const group = await a.context.newPage();
    watchPage(group, 'brazil (group page)', problems);
    await group.goto(`${base}/groups/cwg-ai`);
    const row = group.locator('tr', { has: group.getByRole('link', { name: DOCUMENT_SYMBOL, exact: true }) });
    await row.locator('.chip', { hasText: 'Kenya' }).waitFor({ timeout: STEP_MS });
    await row.locator('.chip', { hasText: 'Brazil' }).waitFor({ timeout: STEP_MS });
    await group.screenshot({ path: join(OUT, 'group-page.png') });
    log('saved group-page.png');

    await proposeModifications(a.page, base);
    log('saved proposal-revision-marks.png');

    await discuss(a.page, b.page, base);
    log('saved comment-threads.png');

    const chairLogin = logins.get('chair');
    if (!chairLogin) throw new Error('demo-credentials.txt has no chair login');
    const c = await newPage('chair');
    await negotiate(a.page, b.page, c.page, base, chairLogin);
    log('saved negotiation-before.png and negotiation-after.png');

    const s = await newPage('secretariat');
    await logIn(s.page, base, secretariat);
    await importFixture(s.page);
    log('saved import.png; the imported text opened with its structure');

    if (problems.length) throw new Error(`the pages reported errors:\n  ${problems.join('\n  ')}`);
    log(`done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  } finally {
    clearTimeout(watchdog);
    await browser?.close().catch(() => undefined);
    await stopServer(server.child);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`screenshot: FAILED: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
