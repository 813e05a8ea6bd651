import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const SOFFICE = '/usr/bin/soffice';
const PDFTOPPM = '/usr/bin/pdftoppm';

/** LibreOffice (Debian's libreoffice-writer-nogui) and pdftoppm (poppler-utils) are both installed. */
export const canRenderDocx = (): boolean => existsSync(SOFFICE) && existsSync(PDFTOPPM);

/**
 * Prints a Word file to PDF with LibreOffice, as a secretariat would open it, and saves its first
 * page as a PNG (80 dpi): the README's picture of the export. Uses a throwaway LibreOffice profile.
 */
export async function renderFirstPage(docx: Buffer, png: string): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'concord-docx-'));
  try {
    writeFileSync(join(dir, 'export.docx'), docx);
    await run(SOFFICE, [`-env:UserInstallation=${pathToFileURL(join(dir, 'profile')).href}`, '--headless', '--convert-to', 'pdf', '--outdir', dir, join(dir, 'export.docx')], { timeout: 120_000 });
    await run(PDFTOPPM, ['-png', '-r', '80', '-f', '1', '-l', '1', '-singlefile', join(dir, 'export.pdf'), join(dir, 'page')], { timeout: 60_000 });
    copyFileSync(join(dir, 'page.png'), png);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
