import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import JSZip from 'jszip';
import mammoth from 'mammoth';
import { DeletedTextRun, Document, FootnoteReferenceRun, InsertedTextRun, Packer, Paragraph, Tab, TextRun } from 'docx';
import { docxToText } from '../../server/import/docx.ts';
import { htmlToLines } from '../../server/import/docx-lines.ts';
import { hasRevisionMarks } from '../../shared/import/revision-chars.ts';
import { TRACKED_CHANGES_MOD_LINES, trackedChangesMod } from '../fixtures/docx/make-tracked-changes.ts';

/**
 * Word's revision marks through the real .docx reader (docx.ts: the checks, the thread, mammoth,
 * docx-lines.ts): tracked insertions, deletions and moves, and the underlined / struck-through
 * runs of a MOD without tracked changes, come out as lines with the marks of
 * shared/import/revision-chars.ts. Written here as I…i for an insertion and D…d for a deletion.
 */
const I = '\uE000';
const i = '\uE001';
const D = '\uE002';
const d = '\uE003';
const show = (lines: string[]) =>
  lines.map((line) =>
    line
      .replace(/\uE000/g, '⟨+')
      .replace(/\uE001/g, '+⟩')
      .replace(/\uE002/g, '⟨-')
      .replace(/\uE003/g, '-⟩'),
  );

const change = (id: number) => ({ id, author: 'Administration A', date: '2026-03-02T10:00:00Z' });
const ins = (id: number, text: string) => new InsertedTextRun({ ...change(id), text });
const del = (id: number, text: string) => new DeletedTextRun({ ...change(id), text });

async function lines(docx: Document | Buffer): Promise<string[]> {
  const file = Buffer.isBuffer(docx) ? docx : await Packer.toBuffer(docx);
  const { text } = await docxToText(file);
  return text.split('\n');
}

/** The document's part rewritten, as another program than the docx package would write it. */
async function rewrite(file: Buffer, part: string, edit: (xml: string) => string): Promise<Buffer> {
  const zip = await JSZip.loadAsync(file);
  zip.file(part, edit(await zip.file(part)!.async('string')));
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
}

/** A resolution with Word tracked changes: the shape of a delegation's MOD. */
function trackedResolution(): Document {
  return new Document({
    footnotes: {
      1: { children: [new Paragraph({ children: [new TextRun('As revised '), del(20, 'in Dubai, 2018'), ins(21, 'in Bucharest, 2022'), new TextRun('.')] })] },
    },
    sections: [
      {
        children: [
          new Paragraph('RESOLUTION 214 (REV. BUCHAREST, 2022)'),
          new Paragraph('Artificial intelligence technologies and telecommunications/information and communication technologies'),
          new Paragraph('resolves'),
          new Paragraph({ children: [new TextRun('1\tto continue '), ins(1, 'and strengthen '), new TextRun('the work on AI'), del(2, ' within existing resources'), new TextRun(';')] }),
          // A wholly inserted provision: its runs and its paragraph mark inserted.
          new Paragraph({ run: { insertion: change(3) }, children: [ins(4, '2\tto share best practices'), ins(5, ' among Member States;')] }),
          // A wholly deleted provision: its runs and its paragraph mark deleted.
          new Paragraph({ run: { deletion: change(6) }, children: [del(7, '3\tto report to the Council;')] }),
          new Paragraph({ children: [new TextRun('4\tto invite Sector Members'), new FootnoteReferenceRun(1), new TextRun(' to contribute.')] }),
          // Formatting-only changes: the earlier formatting (underlined, struck) is not a revision.
          new Paragraph({
            revision: { ...change(8), alignment: 'center' },
            children: [new TextRun({ text: '5\tto keep this under review.', bold: true, revision: { ...change(9), underline: {}, strike: true } })],
          }),
        ],
      },
    ],
  });
}

describe('a .docx with revision marks', () => {
  it('reads Word tracked changes as insertions and deletions', async () => {
    expect(show(await lines(trackedResolution()))).toEqual(
      show([
        'RESOLUTION 214 (REV. BUCHAREST, 2022)',
        'Artificial intelligence technologies and telecommunications/information and communication technologies',
        'resolves',
        `1\tto continue ${I}and strengthen ${i}the work on AI${D} within existing resources${d};`,
        `${I}2\tto share best practices among Member States;${i}`,
        `${D}3\tto report to the Council;${d}`,
        '4\tto invite Sector Members[footnoteRef:1] to contribute.',
        '5\tto keep this under review.',
        `[1: 1 As revised ${D}in Dubai, 2018${d}${I}in Bucharest, 2022${i}.]`,
      ]),
    );
  });

  it('reads the underlined and struck-through runs of a MOD without tracked changes', async () => {
    const docx = new Document({
      sections: [
        {
          children: [
            new Paragraph('resolves'),
            new Paragraph({
              children: [
                new TextRun('1\tto continue '),
                new TextRun({ text: 'and strengthen ', underline: {} }),
                new TextRun('the work on AI'),
                new TextRun({ text: ' within existing', strike: true }),
                new TextRun({ text: ' resources', doubleStrike: true }),
                new TextRun(';'),
              ],
            }),
            new Paragraph({
              children: [new TextRun({ children: ['2', new Tab(), 'to share best practices'], underline: { type: 'double' } }), new TextRun({ text: ' among Member States;', underline: {} })],
            }),
            new Paragraph({ children: [new TextRun({ text: '3\tto report to the Council;', strike: true })] }),
            new Paragraph({ children: [new TextRun({ text: '4\tnot underlined', underline: { type: 'none' } }), new TextRun({ text: ', not struck', strike: false })] }),
          ],
        },
      ],
    });
    expect(show(await lines(docx))).toEqual(
      show([
        'resolves',
        `1\tto continue ${I}and strengthen ${i}the work on AI${D} within existing resources${d};`,
        `${I}2\tto share best practices among Member States;${i}`,
        `${D}3\tto report to the Council;${d}`,
        '4\tnot underlined, not struck',
      ]),
    );
  });

  it('reads moves as a deletion where the text was and an insertion where it went', async () => {
    const docx = new Document({
      sections: [
        {
          children: [
            new Paragraph({ children: [new TextRun('1\tto study '), del(1, 'AI '), new TextRun('standards')] }),
            new Paragraph({ children: [new TextRun('2\tto promote '), ins(2, 'AI '), new TextRun('capacity building')] }),
          ],
        },
      ],
    });
    const moved = await rewrite(await Packer.toBuffer(docx), 'word/document.xml', (xml) =>
      xml
        .replace(/<w:del /g, '<w:moveFrom ')
        .replace(/<\/w:del>/g, '</w:moveFrom>')
        .replace(/<w:ins /g, '<w:moveTo ')
        .replace(/<\/w:ins>/g, '</w:moveTo>')
        .replace(/<w:delText/g, '<w:t')
        .replace(/<\/w:delText>/g, '</w:t>'),
    );
    await expect((await JSZip.loadAsync(moved)).file('word/document.xml')!.async('string')).resolves.toMatch(/<w:moveFrom [^>]*>[\s\S]*<w:moveTo /);
    expect(show(await lines(moved))).toEqual(show([`1\tto study ${D}AI ${d}standards`, `2\tto promote ${I}AI ${i}capacity building`]));
  });

  it('reads a document without revision marks as before, without marks', async () => {
    const docx = new Document({
      footnotes: { 1: { children: [new Paragraph('As revised in Bucharest, 2022.')] } },
      sections: [
        {
          children: [
            new Paragraph('RESOLUTION 214 (REV. BUCHAREST, 2022)'),
            new Paragraph('resolves'),
            new Paragraph({ children: [new TextRun('1\tto continue '), new TextRun({ text: 'the work', bold: true, italics: true }), new FootnoteReferenceRun(1), new TextRun(' on AI;')] }),
            new Paragraph({ children: [new TextRun({ children: ['2', new Tab(), 'to report.'] })] }),
          ],
        },
      ],
    });
    const file = await Packer.toBuffer(docx);
    const read = await lines(file);
    // What the reader made of the file before it read revision marks: mammoth's HTML, laid out.
    const before = htmlToLines((await mammoth.convertToHtml({ buffer: file }, { includeEmbeddedStyleMap: false })).value);
    expect(read).toEqual(before);
    expect(read).toEqual(['RESOLUTION 214 (REV. BUCHAREST, 2022)', 'resolves', '1\tto continue the work[footnoteRef:1] on AI;', '2\tto report.', '[1: 1 As revised in Bucharest, 2022.]']);
    expect(read.some(hasRevisionMarks)).toBe(false);
  });

  it('drops the marks characters a document carries as text, so only its revisions make them', async () => {
    const docx = new Document({ sections: [{ children: [new Paragraph(`1\tto ${I}continue${i} the work${D}.`)] }] });
    expect(await lines(docx)).toEqual(['1\tto continue the work.']);
    const referenced = await rewrite(await Packer.toBuffer(docx), 'word/document.xml', (xml) => xml.replace('the work', '&#xE002;the&#57347; work'));
    expect(await lines(referenced)).toEqual(['1\tto continue the work.']);
  });

  it('keeps a paragraph whose mark alone is deleted or inserted a line of its own, its text unmarked', async () => {
    const docx = new Document({
      sections: [
        {
          children: [
            new Paragraph({ run: { deletion: change(1) }, children: [new TextRun('1\tto continue the work;')] }),
            new Paragraph({ run: { insertion: change(2) }, children: [new TextRun('2\tto report.')] }),
            new Paragraph('3\tto review.'),
          ],
        },
      ],
    });
    expect(await lines(docx)).toEqual(['1\tto continue the work;', '2\tto report.', '3\tto review.']);
  });

  it('keeps the fixture tracked-changes-mod.docx reading as its script says', async () => {
    const fixture = readFileSync(new URL('../fixtures/docx/tracked-changes-mod.docx', import.meta.url));
    expect(show(await lines(fixture))).toEqual(show(TRACKED_CHANGES_MOD_LINES));
    expect(show(await lines(trackedChangesMod()))).toEqual(show(TRACKED_CHANGES_MOD_LINES));
  });

  const soffice = (() => {
    try {
      return execFileSync('which', ['soffice'], { encoding: 'utf8' }).trim() || null;
    } catch {
      return null;
    }
  })();
  it.skipIf(!soffice)(
    'reads the same of a .docx saved again by LibreOffice',
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'concord-revisions-'));
      try {
        const source = join(dir, 'source', 'mod.docx');
        execFileSync('mkdir', ['-p', join(dir, 'source'), join(dir, 'out')]);
        writeFileSync(source, await Packer.toBuffer(trackedResolution()));
        execFileSync(soffice!, [`-env:UserInstallation=file://${dir}/profile`, '--headless', '--convert-to', 'docx:MS Word 2007 XML', '--outdir', join(dir, 'out'), source], { timeout: 120_000 });
        const saved = readFileSync(join(dir, 'out', 'mod.docx'));
        // LibreOffice numbers footnotes its own way (Word's ids start where it likes): compare them by place
        const footnotesByPlace = (list: string[]) => list.map((line) => line.replace(/\[footnoteRef:\d+\]/g, '[footnoteRef:n]').replace(/^\[\d+: \d+ /, '[n: n '));
        expect(footnotesByPlace(show(await lines(saved)))).toEqual(footnotesByPlace(show(await lines(trackedResolution()))));
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
    180_000,
  );
});
