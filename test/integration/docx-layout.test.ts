import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import JSZip from 'jszip';
import type { Node as PMNode } from 'prosemirror-model';
import { startServer } from '../support/server.ts';
import type { TestServer } from '../support/server.ts';
import { schema } from '../../shared/schema/index.ts';
import { initialTextUpdate } from '../../server/collab/initial-text.ts';

/**
 * The Word export's page layout: the page number is printed once a page, as
 * ITU prints it — "- 2 -" centred at the top of the pages after the first, above the document's
 * symbol, no footer — and each footnote's text starts after a space, never glued to its number.
 * Read from the .docx's parts, and, where LibreOffice is installed, from the pages it prints.
 */
const n = schema.nodes;
const bracket = (id: string, delegation: string) => schema.marks.bracket!.create({ id, delegation, kind: 'contested', group: '', at: '2026-11-24T09:00:00.000Z' });

/** A resolution long enough for several pages, a bracket of Kenya's in every tenth provision. */
function longDraft(): PMNode {
  const provisions = Array.from({ length: 70 }, (_, i) =>
    n.provision!.create(
      { id: `p-${i}` },
      n.paragraph!.create(null, [
        schema.text(`that the working group shall consider item ${i + 1} of its programme, with the contributions of the Member States `),
        ...(i % 10 === 0 ? [schema.text('and the Sector Members', [bracket(`b-${i}`, 'Kenya')])] : [schema.text('and the Sector Members')]),
        schema.text(', and report on it to Council at its next session;'),
      ]),
    ),
  );
  const doc = n.doc!.create(null, [n.section!.create({ id: 's-1', part: 'operative', numbering: 'numbers' }, [n.keyword!.create(null, schema.text('resolves')), ...provisions])]);
  doc.check();
  return doc;
}

const soffice = (() => {
  try {
    return execFileSync('which', ['soffice'], { encoding: 'utf8' }).trim() || null;
  } catch {
    return null;
  }
})();
const pdftotext = (() => {
  try {
    return execFileSync('which', ['pdftotext'], { encoding: 'utf8' }).trim() || null;
  } catch {
    return null;
  }
})();

describe('the Word export’s pages', () => {
  let server: TestServer;
  let docx: Buffer;
  beforeAll(async () => {
    server = await startServer();
    server.stores.log.append([{ documentId: server.documentId, update: initialTextUpdate(longDraft()) }]);
    const answer = await server.app.inject({ url: `/api/documents/${server.documentId}/export?format=docx&mode=negotiation`, headers: { authorization: `Bearer ${server.users.kenya!.token}` } });
    expect(answer.statusCode).toBe(200);
    docx = answer.rawPayload;
  });
  afterAll(async () => {
    await server.close();
  });

  it('puts the page number once, centred in the header of the pages after the first, with the symbol; no footer', async () => {
    const zip = await JSZip.loadAsync(docx);
    const parts = Object.keys(zip.files);
    expect(parts.filter((p) => /^word\/footer\d*\.xml$/.test(p))).toEqual([]);
    const document = await zip.file('word/document.xml')!.async('string');
    expect(document).not.toContain('footerReference');
    const rels = await zip.file('word/_rels/document.xml.rels')!.async('string');
    const headerOf = (type: string) => {
      const id = new RegExp(`<w:headerReference w:type="${type}" r:id="(\\w+)"`).exec(document)![1];
      return new RegExp(`Id="${id}"[^>]*Target="([^"]+)"`).exec(rels)?.[1] ?? new RegExp(`Target="([^"]+)"[^>]*Id="${id}"`).exec(rels)![1];
    };
    const following = await zip.file(`word/${headerOf('default')}`)!.async('string');
    const first = await zip.file(`word/${headerOf('first')}`)!.async('string');
    expect(following.match(/PAGE/g)).toHaveLength(1);
    // "- " PAGE " -" centred, then the symbol
    expect(following).toMatch(/<w:jc w:val="center"\/><\/w:pPr><w:r><w:t xml:space="preserve">- <\/w:t><\/w:r>.*PAGE.*<w:t xml:space="preserve"> -<\/w:t>.*CWG-AI\/3/s);
    expect(first).not.toContain('PAGE');
    expect(first).toMatch(/CWG-AI\/3.*Original: English/s);
  });

  it("starts each footnote's text after a space, like Word's own footnotes", async () => {
    const notes = await (await JSZip.loadAsync(docx)).file('word/footnotes.xml')!.async('string');
    const bodies = [...notes.matchAll(/<w:footnote w:id="(\d+)">(.*?)<\/w:footnote>/gs)].filter(([, id]) => Number(id) > 0);
    expect(bodies).toHaveLength(7);
    for (const [, id, body] of bodies) {
      // the reference run, then the text run: a space first
      expect(body, `footnote ${id}`).toMatch(/<w:footnoteRef\/><\/w:r><w:r>(<w:rPr>.*?<\/w:rPr>)?<w:t xml:space="preserve"> Proposed by Kenya<\/w:t>/);
    }
  });

  it.skipIf(!soffice || !pdftotext)(
    'prints, through LibreOffice, one page number a page, "- n -" from page 2 on, and footnotes apart from their numbers',
    () => {
      const dir = mkdtempSync(join(tmpdir(), 'concord-docx-'));
      try {
        const source = join(dir, 'draft.docx');
        writeFileSync(source, docx);
        execFileSync(soffice!, [`-env:UserInstallation=file://${dir}/profile`, '--headless', '--convert-to', 'pdf', '--outdir', dir, source], { timeout: 120_000, stdio: 'ignore' });
        execFileSync(pdftotext!, ['-layout', join(dir, 'draft.pdf'), join(dir, 'draft.txt')]);
        const pages = readFileSync(join(dir, 'draft.txt'), 'utf8')
          .split('\f')
          .filter((page) => page.trim());
        expect(pages.length).toBeGreaterThan(2);
        pages.forEach((page, i) => {
          const lines = page.split('\n').map((line) => line.trim());
          // "- 2 -" at the top of every page but the first (LibreOffice prints its narrow spaces as none)
          expect(
            lines.filter((line) => /^-\s*\d+\s*-$/.test(line)).map((line) => line.replace(/\s/g, '')),
            `page ${i + 1}`,
          ).toEqual(i === 0 ? [] : [`-${i + 1}-`]);
          // no other page number: a bare number line is a footnote's, its text on the next line
          const bare = lines.flatMap((line, at) => (/^\d+$/.test(line) && !/^Proposed by Kenya$/.test(lines[at + 1] ?? '') && !/^\d+$/.test(lines[at + 1] ?? '') ? [line] : []));
          expect(bare, `page ${i + 1}`).toEqual([]);
        });
        // each footnote's number stands apart from its text: a space's width between them
        const words = [
          ...execFileSync(pdftotext!, ['-bbox', join(dir, 'draft.pdf'), '-'], { encoding: 'utf8' }).matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)<\/word>/g),
        ].map(([, xMin, yMin, xMax, text]) => ({ xMin: Number(xMin), yMin: Number(yMin), xMax: Number(xMax), text: text ?? '' }));
        const notes = words.filter((w) => w.text === 'Proposed');
        expect(notes).toHaveLength(7);
        for (const note of notes) {
          const number = words.filter((w) => /^\d+$/.test(w.text) && w.xMax <= note.xMin && Math.abs(w.yMin - note.yMin) < 4).sort((a, b) => b.xMax - a.xMax)[0];
          expect(number, `the number of the note at y ${note.yMin}`).toBeDefined();
          expect(note.xMin - number!.xMax).toBeGreaterThan(1.5);
        }
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
    150_000,
  );
});
