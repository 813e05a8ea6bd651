import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { spawnSync } from 'node:child_process';
import JSZip from 'jszip';
import mammoth from 'mammoth';
import { importText } from '../../shared/import/index.ts';
import { type EXPORT_FORMATS, EXPORT_MODES, OpenBracketsError, renderDocument } from '../../server/export/formats.ts';
import type { Rendering } from '../../shared/render/model.ts';
import { markdownOf } from '../../shared/render/markdown.ts';
import { htmlOf } from '../../shared/render/html.ts';
import { aknOf } from '../../shared/render/akoma-ntoso.ts';
import { plainTextOf } from '../../shared/render/plain-text.ts';
import { docxOf } from '../../server/export/docx.ts';
import { renderingSample, SAMPLE_META } from '../support/rendering-sample.ts';

/**
 * Each format printed from the rendering model, checked by reading it back: HTML escaped and
 * printable, Markdown escaped, Akoma Ntoso valid against the OASIS schema, DOCX opened by a DOCX
 * reader (mammoth) and unzipped (its XML parts well formed, footnotes and headers in place).
 */
const schemaFile = resolve(import.meta.dirname, '../fixtures/akomantoso30/akomantoso30.xsd');
const hasXmllint = spawnSync('xmllint', ['--version']).status === 0;
const scratch = mkdtempSync(join(tmpdir(), 'concord-render-'));
const fixture = (name: string) => readFileSync(resolve(import.meta.dirname, '../fixtures', name), 'utf8');

const sample = renderingSample();
const render = (format: (typeof EXPORT_FORMATS)[number], mode: (typeof EXPORT_MODES)[number], keepBrackets = true) => renderDocument(sample, format, mode, SAMPLE_META, { keepBrackets });
const text = async (format: 'txt' | 'md' | 'html' | 'akn', mode: (typeof EXPORT_MODES)[number]) => (await render(format, mode)).body as string;

/** xmllint's verdict on a file: '' when it is well formed (and valid against `schema` when given). */
function xmllint(xml: string, name: string, schema?: string): string {
  const file = join(scratch, name);
  writeFileSync(file, xml);
  const check = spawnSync('xmllint', ['--noout', ...(schema ? ['--schema', schema] : []), file], { encoding: 'utf8' });
  return check.status === 0 ? '' : check.stderr;
}

/** The DOCX as HTML by mammoth, with underlines kept (mammoth drops them unless mapped). */
async function docxHtml(body: Buffer): Promise<string> {
  return (await mammoth.convertToHtml({ buffer: body }, { styleMap: ['u => u'] })).value;
}

/**
 * The block structure CommonMark gives a Markdown text (no CommonMark parser is installed, so its
 * rules for the constructs the export writes): a line after a blank line indented four or more
 * columns past the list item holding it is an indented code block; "- " at a line's content column
 * opens a list item (nested when inside another item); a line indented less than an open item's
 * content column (and not lazy) closes that item.
 */
function commonMarkStructure(markdown: string): { codeBlocks: string[]; items: { depth: number; text: string }[] } {
  const codeBlocks: string[] = [];
  const items: { depth: number; text: string }[] = [];
  const open: number[] = []; // content columns of the open list items
  let blank = true;
  for (const raw of markdown.split('\n')) {
    if (!raw.trim()) {
      blank = true;
      continue;
    }
    const indentation = raw.length - raw.trimStart().length;
    if (blank) while (open.length && indentation < open.at(-1)!) open.pop();
    const column = open.at(-1) ?? 0;
    if (blank && indentation - column >= 4) codeBlocks.push(raw);
    else if (/^- /.test(raw.slice(column)) && indentation - column < 4) {
      items.push({ depth: open.length, text: raw.slice(indentation + 2) });
      open.push(indentation + 2);
    } else if (blank && open.length && indentation < column) open.length = 0;
    blank = false;
  }
  return { codeBlocks, items };
}

/** A hand-made rendering with each kind of label, the dash of dash-numbered provisions among them. */
const labelled: Rendering = {
  mode: 'clean',
  footnotes: [],
  blocks: [
    { kind: 'keyword', runs: [{ text: 'resolves', italic: true }], part: 'operative', section: 's' },
    { kind: 'provision', label: 'a)', runs: [{ text: 'lettered' }], part: 'operative', section: 's' },
    { kind: 'sub-item', label: 'i)', runs: [{ text: 'roman' }], part: 'operative', section: 's' },
    { kind: 'provision', label: '–', runs: [{ text: 'dashed one' }], part: 'operative', section: 's' },
    { kind: 'provision', label: '–', runs: [{ text: 'dashed two' }], part: 'operative', section: 's' },
  ],
};

describe('labels, the dash of dash-numbered provisions among them', () => {
  it('prints "–" like every other label in each format', async () => {
    const html = htmlOf(labelled, { title: 'T', symbol: 'S' });
    expect(html).toContain('<p class="provision labelled"><span class="label">a)</span>lettered</p>');
    expect(html).toContain('<p class="provision labelled"><span class="label">–</span>dashed one</p>');
    expect(plainTextOf(labelled)).toContain('–\tdashed one\n');
    const md = commonMarkStructure(markdownOf(labelled));
    expect(md.items).toEqual([
      { depth: 0, text: 'a\\) lettered' },
      { depth: 1, text: 'i\\) roman' },
      { depth: 0, text: '– dashed one' },
      { depth: 0, text: '– dashed two' },
    ]);
    expect(aknOf(labelled, { ...SAMPLE_META })).toMatch(/<paragraph eId="[^"]+"><num>–<\/num><content><p>dashed one<\/p><\/content><\/paragraph>/);
  });

  it('hangs each label in DOCX: provisions (the dash too) at the margin, sub-items one step in', async () => {
    const xml = await (await JSZip.loadAsync(await docxOf(labelled, { symbol: 'S', date: null, language: 'English' }))).file('word/document.xml')!.async('string');
    const paragraphOf = (text: string) => xml.split('<w:p>').find((p) => p.includes(`>${text}<`)) ?? '';
    for (const text of ['lettered', 'dashed one', 'dashed two']) {
      expect(paragraphOf(text), text).toMatch(/<w:tab w:val="left" w:pos="567"\/>.*<w:ind w:left="567" w:hanging="567"\/>/);
    }
    expect(paragraphOf('roman')).toMatch(/<w:tab w:val="left" w:pos="1134"\/>.*<w:ind w:left="1134" w:hanging="567"\/>/);
    expect(paragraphOf('dashed one')).toContain('>–\t<');
  });
});

describe('clean export refusing open brackets', () => {
  it('lists each open bracket with where it is and whose it is', async () => {
    const refusal = await render('txt', 'clean', false).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(OpenBracketsError);
    const error = refusal as OpenBracketsError;
    expect(error.brackets.map((b) => [b.delegation, b.kind, b.text])).toEqual([
      ['Kenya', 'contested', 'safe'],
      ['Brazil / Kenya', 'alternative', 'Alt 1 that ITU shall / Alt 2 that Members may'],
      ['ACP', 'awaiting', 'second'],
    ]);
    // an alternatives group is one open question, whatever its number of options
    expect(error.message).toMatch(/^the text still has 3 open questions \(2 brackets, 1 alternative \(2 options\)\), so it is not clean: 1 of resolves \(Kenya\): “safe”/);
  });
});

describe('HTML export', () => {
  it('escapes everything the text holds and prints ITU layout with revision marks', async () => {
    const html = await text('html', 'revisions');
    expect(html).not.toMatch(/<script/i);
    expect(html).toContain('a <i>new</i> provision &lt;script&gt;x&lt;/script&gt;');
    // the whole name (title line and name), not the stored title cut to the name's start
    expect(html).toContain('<title>CWG-AI/9 — Resolution 214 (Rev. Bucharest, 2022): AI &amp; &lt;ICT&gt; &quot;quotes&quot;</title>');
    expect(html).toContain('<h2 class="subtitle">AI &amp; &lt;ICT&gt; &quot;quotes&quot;</h2>');
    expect(html).toContain('<span class="label">a)</span>Resolution 70/1 of the UN <ins>General Assembly</ins><sup class="fn"><a href="#fn1" id="ref1">1</a></sup>');
    expect(html).toContain('<span class="label">b)</span><del>an old text to delete</del>');
    expect(html).toContain('<p class="reasons"><b>Reasons:</b>\tObsolete</p>');
    expect(html).toMatch(/@page \{ size: A4;/);
    expect(html).toContain('<li id="fn3">Alternatives proposed by Brazil, Kenya');
  });

  it('keeps a hostile symbol and title out of the markup', async () => {
    const rendered = await renderDocument(sample, 'html', 'negotiation', { ...SAMPLE_META, symbol: '"><img src=x onerror=alert(1)>', title: '</title><script>alert(2)</script>' });
    expect(rendered.body).not.toMatch(/<img|<script/);
    expect(rendered.body).toContain('&quot;&gt;&lt;img src=x onerror=alert(1)&gt;');
  });
});

describe('Markdown export', () => {
  it('escapes markup characters, italicises keywords, prints labels and footnotes', async () => {
    const md = await text('md', 'negotiation');
    expect(md).toContain('## AI & \\<ICT\\> "quotes"');
    expect(md).toContain('*recalling*');
    expect(md).toContain('a\\) Resolution 70/1 of the UN General Assembly[^1]');
    expect(md).toContain('b bis a *new* provision \\<script\\>x\\</script\\>');
    expect(md).toContain('1 to promote **\\[**safe**\\]**[^2] and trusted AI');
    expect(md).toContain('[^4]: Awaiting instructions: ACP');
  });

  it('writes provisions as a CommonMark list with sub-items nested in their provision, no code blocks, in every mode', async () => {
    for (const mode of EXPORT_MODES) {
      const md = await text('md', mode);
      const { codeBlocks, items } = commonMarkStructure(md);
      expect(codeBlocks, mode).toEqual([]);
      // a), b) (not in the clean text for Council: SUP), b bis, 1 with 1.1 and 1.2 nested, 1 bis
      expect(
        items.map((item) => item.depth),
        mode,
      ).toEqual(mode === 'clean' ? [0, 0, 0, 1, 1, 0] : [0, 0, 0, 0, 1, 1, 0]);
    }
    const negotiation = commonMarkStructure(await text('md', 'negotiation')).items.map((item) => `${item.depth}:${item.text.slice(0, 12)}`);
    expect(negotiation).toEqual(['0:a\\) Resoluti', '0:b\\) an old t', '0:b bis a *new', '0:1 to promote', '1:1.1 first **', '1:1.2 **\\[**se', '0:1 bis an agr']);
    // in revisions mode the marker line opens the item and the label follows it inside the item
    expect(await text('md', 'revisions')).toContain('  - **ADD**\n\n    1.1 first');
  });

  it('shows revision marks as <ins> and <del>', async () => {
    const md = await text('md', 'revisions');
    expect(md).toContain('a\\) Resolution 70/1 of the UN <ins>General Assembly</ins>[^1]');
    expect(md).toContain('b\\) <del>an old text to delete</del>');
    expect(md).toContain('**MOD\tACP/47A1/2**');
  });
});

describe('Akoma Ntoso export', () => {
  it('puts the preamble keyword groups, the operative hcontainers and the FRBR symbol in the AKN4UN places', async () => {
    const xml = await text('akn', 'clean');
    expect(xml).toContain('<statement name="resolution" contains="originalVersion">');
    expect(xml).toContain('<FRBRnumber value="CWG-AI/9"/>');
    expect(xml).toContain('<FRBRthis value="/akn/int/statement/resolution/itu/2026-11-23/CWG-AI-9/!main"/>');
    expect(xml).toMatch(
      /<container name="recalling" eId="[^"]+"><p class="keyword"><i>recalling<\/i><\/p><blockList eId="[^"]+"><item eId="[^"]+"><num>a\)<\/num><p>Resolution 70\/1 of the UN General Assembly<authorialNote marker="1"/,
    );
    expect(xml).toMatch(
      /<hcontainer name="operativeSection" eId="[^"]+"><heading><i>resolves<\/i><\/heading><intro><p>that ITU should:<\/p><\/intro><paragraph eId="[^"]+"><num>1<\/num><intro><p>to promote <b>\[<\/b>safe<b>\]<\/b> and trusted AI<\/p><\/intro><subparagraph eId="[^"]+"><num>1\.1<\/num>/,
    );
    expect(xml).toContain('<doc name="annex">');
    expect(xml).not.toContain('an old text to delete'); // SUP: not in the text for Council
  });

  it.runIf(hasXmllint)('validates against the Akoma Ntoso 3.0 schema in every mode, for the sample and both fixtures', async () => {
    const documents = [
      { name: 'sample', doc: sample },
      { name: 'resolution', doc: importText(fixture('draft-new-resolution-ai.txt')).doc },
      { name: 'council', doc: importText(fixture('council-proposal-cwg-ai.txt')).doc },
    ];
    for (const { name, doc } of documents) {
      for (const mode of EXPORT_MODES) {
        const xml = (await renderDocument(doc, 'akn', mode, SAMPLE_META, { keepBrackets: true })).body as string;
        expect(xmllint(xml, `${name}-${mode}.xml`, schemaFile), `${name} in ${mode} mode`).toBe('');
      }
    }
  });

  it.runIf(hasXmllint)('is refused by the schema when broken, so the check above can fail', async () => {
    const xml = (await text('akn', 'clean')).replace('<mainBody>', '<mainBody><bogus/>');
    expect(xmllint(xml, 'broken.xml', schemaFile)).toMatch(/bogus/);
  });
});

describe('DOCX export', () => {
  it('reads back in clean mode: labels, italic keywords, no markers, real footnotes, ITU header', async () => {
    const docx = (await render('docx', 'clean')).body as Buffer;
    const html = await docxHtml(docx);
    expect(html).toContain('<p><em>recalling</em></p>');
    expect(html).toContain('<p><em>resolves</em></p>');
    expect(html).toMatch(/<p>a\)\tResolution 70\/1 of the UN General Assembly<sup><a href="#footnote-1" id="footnote-ref-1">\[1\]<\/a><\/sup><\/p>/);
    expect(html).toContain('<p>b bis\ta <em>new</em> provision &lt;script&gt;x&lt;/script&gt;</p>');
    expect(html).toContain('<p>1.1\tfirst <strong>[Alt 1: </strong>that ITU shall<strong> / Alt 2: </strong>that Members may<strong>]</strong> act</p>');
    expect(html).not.toContain('MOD');
    expect(html).not.toContain('an old text to delete');
    expect(html).toMatch(/<li id="footnote-1"><p> See A\/RES\/70\/1\./); // a space after the number, as Word writes it
    const zip = await JSZip.loadAsync(docx);
    const headers = await Promise.all(
      Object.keys(zip.files)
        .filter((f) => /^word\/header\d+\.xml$/.test(f))
        .map((f) => zip.file(f)!.async('string')),
    );
    expect(headers.join('')).toMatch(/CWG-AI\/9.*2026-11-23.*Original: English/s);
    expect(headers.join('')).toContain('PAGE'); // the page number field on the following pages
    if (hasXmllint) {
      for (const part of Object.keys(zip.files).filter((f) => f.endsWith('.xml'))) {
        expect(xmllint(await zip.file(part)!.async('string'), part.replace(/\W/g, '_'))).toBe('');
      }
    }
  });

  it('reads back in revisions mode: markers, MOD insertions underlined and deletions struck, SUP struck, reasons', async () => {
    const docx = (await render('docx', 'revisions')).body as Buffer;
    const html = await docxHtml(docx);
    expect(html).toContain('<p><strong>MOD\tACP/47A1/2</strong></p>');
    expect(html).toMatch(/<p>a\)\tResolution 70\/1 of the UN <u>General Assembly<\/u><sup>/);
    expect(html).toContain('<p>b)\t<s>an old text to delete</s></p>');
    expect(html).toContain('<p><strong>Reasons:</strong>\tObsolete</p>');
    expect(html).toMatch(/<p>1\tto promote <strong>\[<\/strong>safe<strong>\]<\/strong><sup>.*?<\/sup> <u>and trusted <\/u>AI<\/p>/);
    const footnotes = await (await JSZip.loadAsync(docx)).file('word/footnotes.xml')!.async('string');
    expect(footnotes).toContain('Proposed by Kenya');
    expect(footnotes).toContain('Awaiting instructions: ACP');
  });

  it('gives a Council document, whose text starts with "Purpose", its title block from the metadata', async () => {
    const council = importText(fixture('council-proposal-cwg-ai.txt')).doc;
    const docx = (await renderDocument(council, 'docx', 'clean', { ...SAMPLE_META, symbol: 'C24/XX', title: 'Proposal for a working group on AI' })).body as Buffer;
    const paragraphs = (await mammoth.extractRawText({ buffer: docx })).value.split('\n').filter(Boolean);
    expect(paragraphs.slice(0, 3)).toEqual(['PROPOSAL FOR A WORKING GROUP ON AI', 'Purpose', 'This document proposes the creation of a Council working group on artificial intelligence.']);
    expect(paragraphs).toContain('1\tBackground');
    expect(paragraphs).toContain('–\tstudies on the development of AI standards;');
  });

  it('widens the hanging indent so a "b bis" label stays clear of its text', async () => {
    const xml = await (await JSZip.loadAsync((await render('docx', 'clean')).body as Buffer)).file('word/document.xml')!.async('string');
    expect(xml).toMatch(/<w:ind w:left="851" w:hanging="851"\/>.*?b bis/s);
  });
});
