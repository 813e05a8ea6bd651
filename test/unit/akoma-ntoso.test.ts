import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { spawnSync } from 'node:child_process';
import type { Node as PMNode } from 'prosemirror-model';
import { schema } from '../../shared/schema/index.ts';
import { EXPORT_MODES, renderDocument } from '../../server/export/formats.ts';
import { withRefs } from '../../shared/render/akoma-ntoso.ts';

/**
 * Akoma Ntoso: sub-items nested inside their provision (a) with i)–v), in the preamble and the
 * operative part, in every mode), the document's whole name in FRBRname, citations as <ref>s, and
 * the file valid against the OASIS schema in every case.
 */
const schemaFile = resolve(import.meta.dirname, '../fixtures/akomantoso30/akomantoso30.xsd');
const hasXmllint = spawnSync('xmllint', ['--version']).status === 0;
const scratch = mkdtempSync(join(tmpdir(), 'concord-akn-'));
function xmllint(xml: string, name: string): string {
  const file = join(scratch, name);
  writeFileSync(file, xml);
  const check = spawnSync('xmllint', ['--noout', '--schema', schemaFile, file], { encoding: 'utf8' });
  return check.status === 0 ? '' : check.stderr;
}

const n = schema.nodes;
const text = (value: string) => schema.text(value);
const paragraph = (value: string) => n.paragraph!.create(null, text(value));
const subItems = (prefix: string, attrs: Record<string, unknown> = {}) =>
  ['one', 'two', 'three', 'four', 'five'].map((word, k) => n.sub_item!.create({ id: `${prefix}-${k + 1}`, ...attrs }, paragraph(`${prefix} sub-item ${word};`)));
const LONG_NAME =
  'Artificial Intelligence (AI) technologies and telecommunications/ICTs, in support of the 2030 Agenda for Sustainable Development and of the implementation of the outcomes of the World Summit on the Information Society';
const CITES =
  'recalling Resolution 71 (Rev. Bucharest, 2022), Resolution 1333 (C11), Decision 5 (Rev. Dubai, 2018), Recommendation ITU-T Y.3172, Document C24/67 and Article 33 of the Constitution, and Resolution 70/1 of the UN General Assembly';

function nestedDoc(withBase = false): PMNode {
  const base = (label: string) => (withBase ? { baseText: 'old', baseLabel: label, reference: 'ACP/1', reasons: 'Why' } : {});
  const doc = n.doc!.create(null, [
    n.title!.create(null, text('Draft New Resolution [WGPL-XX]')),
    n.subtitle!.create(null, text(LONG_NAME)),
    n.enacting_formula!.create(null, text('The Plenipotentiary Conference (Bucharest, 2022),')),
    n.section!.create({ id: 's-considering', part: 'preamble', numbering: 'letters' }, [
      n.keyword!.create(null, text('considering')),
      n.provision!.create({ id: 'pa', ...base('a') }, [paragraph('preamble a, as follows:'), ...subItems('pre', withBase ? { baseText: 'x', reference: 'ACP/2', reasons: 'R' } : {})]),
      n.provision!.create({ id: 'pb', ...base('b') }, [paragraph(CITES)]),
    ]),
    n.section!.create({ id: 's-resolves', part: 'operative', numbering: 'letters' }, [
      n.keyword!.create(null, text('resolves')),
      n.provision!.create({ id: 'oa', ...base('a') }, [paragraph('operative a, as follows:'), ...subItems('op', withBase ? { baseText: 'x', reference: 'ACP/3', reasons: 'R' } : {})]),
      n.provision!.create({ id: 'ob', ...base('b') }, [paragraph('operative b')]),
    ]),
  ]);
  doc.check();
  return doc;
}
const META = { symbol: 'CWG-AI/9', title: LONG_NAME.slice(0, 60), date: '2026-11-23', language: 'English', group: 'CWG on AI' };
const akn = async (doc: PMNode, mode: (typeof EXPORT_MODES)[number] = 'clean', meta = META) => (await renderDocument(doc, 'akn', mode, meta, { keepBrackets: true })).body as string;

describe('Akoma Ntoso sub-items', () => {
  it('nests a) with its i)–v) inside the provision, in the preamble and in the operative part', async () => {
    const xml = await akn(nestedDoc());
    const roman = ['i', 'ii', 'iii', 'iv', 'v'];
    const preItems = roman.map((r, k) => `<item eId="[^"]+"><num>${r}\\)</num><p>pre sub-item ${['one', 'two', 'three', 'four', 'five'][k]};</p></item>`).join('');
    expect(xml).toMatch(new RegExp(`<item eId="[^"]+"><num>a\\)</num><p>preamble a, as follows:</p><blockList eId="[^"]+">${preItems}</blockList></item><item eId="[^"]+"><num>b\\)</num>`));
    const opItems = roman.map((r, k) => `<subparagraph eId="[^"]+"><num>${r}\\)</num><content><p>op sub-item ${['one', 'two', 'three', 'four', 'five'][k]};</p></content></subparagraph>`).join('');
    expect(xml).toMatch(new RegExp(`<paragraph eId="[^"]+"><num>a\\)</num><intro><p>operative a, as follows:</p></intro>${opItems}</paragraph><paragraph eId="[^"]+"><num>b\\)</num>`));
  });

  it('keeps each sub-item with its marker and reasons inside the provision in revisions mode', async () => {
    const xml = await akn(nestedDoc(true), 'revisions');
    expect(xml).toMatch(
      /<paragraph eId="[^"]+"><num>a\)<\/num><intro><p class="marker"><b>MOD\tACP\/1<\/b><\/p><p>(?:(?!<\/intro>).)*<p class="reasons">(?:(?!<\/intro>).)*<\/intro><subparagraph eId="[^"]+"><num>i\)<\/num><content><p class="marker"><b>MOD\tACP\/3<\/b><\/p>/s,
    );
    // no sub-item or marker left as a paragraph of its own
    expect(xml).not.toMatch(/<paragraph eId="[^"]+"><content><p class="(?:sub-item|marker|reasons)"/);
    expect(xml).not.toMatch(/<item eId="[^"]+"><p class="(?:sub-item|marker|reasons)"/);
  });

  it.runIf(hasXmllint)('is valid against the schema in every mode', async () => {
    for (const withBase of [false, true]) {
      for (const mode of EXPORT_MODES) expect(xmllint(await akn(nestedDoc(withBase), mode), `nested-${withBase}-${mode}.xml`), `${mode}`).toBe('');
    }
  });
});

describe('Akoma Ntoso names and citations', () => {
  it('writes the whole name in FRBRname, even when the stored title is cut', async () => {
    const xml = await akn(nestedDoc());
    const full = `Draft New Resolution [WGPL-XX]: ${LONG_NAME}`;
    expect(xml).toContain(`<FRBRname value="${full}"/>`);
    expect(xml).toContain(`<shortTitle>${LONG_NAME}</shortTitle>`);
    // a title the secretariat chose is kept as given
    expect(await akn(nestedDoc(), 'clean', { ...META, title: 'AI resolution' })).toContain('<FRBRname value="AI resolution"/>');
  });

  it('makes each kind of citation a <ref> with a stable relative IRI', async () => {
    const xml = await akn(nestedDoc());
    for (const [cited, href] of [
      ['Resolution 71 (Rev. Bucharest, 2022)', '/itu/resolution/71/rev-bucharest-2022'],
      ['Resolution 1333 (C11)', '/itu/resolution/1333/c11'],
      ['Decision 5 (Rev. Dubai, 2018)', '/itu/decision/5/rev-dubai-2018'],
      ['Recommendation ITU-T Y.3172', '/itu/recommendation/itu-t/y.3172'],
      ['Document C24/67', '/itu/document/c24/67'],
      ['Article 33 of the Constitution', '/itu/constitution/article/33'],
    ])
      expect(xml).toContain(`<ref href="${href}">${cited}</ref>`);
    expect(xml).toContain('and Resolution 70/1 of the UN General Assembly</p>'); // not an ITU citation
    expect(xml).toContain('<p class="title"><docTitle>Draft New Resolution [WGPL-XX]</docTitle></p>');
  });

  it('derives IRIs from other forms safely and escapes what it cites', () => {
    expect(withRefs('ITU-R Recommendation M.2083-0; Decision 11 (Rev. Sharm el-Sheikh, 2019) and Document C24/67(Rev.1).')).toBe(
      '<ref href="/itu/recommendation/itu-r/m.2083-0">ITU-R Recommendation M.2083-0</ref>; <ref href="/itu/decision/11/rev-sharm-el-sheikh-2019">Decision 11 (Rev. Sharm el-Sheikh, 2019)</ref> and <ref href="/itu/document/c24/67-rev.1">Document C24/67(Rev.1)</ref>.',
    );
    expect(withRefs('Resolution 2 (Rev. Genève, 2022) & <b>')).toBe('<ref href="/itu/resolution/2/rev-geneve-2022">Resolution 2 (Rev. Genève, 2022)</ref> &amp; &lt;b&gt;');
    expect(withRefs('Resolution 71 of 2022, Article 33')).toBe('Resolution 71 of 2022, Article 33');
  });
});
