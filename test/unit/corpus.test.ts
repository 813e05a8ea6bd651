import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Node as PMNode } from 'prosemirror-model';
import { importText, normaliseText } from '../../shared/import/index.ts';
import type { CoverBlock } from '../../shared/import/index.ts';
import { renderPlainText } from '../../shared/render/plain-text.ts';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXPORT_MODES, renderDocument } from '../../server/export/formats.ts';

const AKN_SCHEMA = resolve(import.meta.dirname, '../fixtures/akomantoso30/akomantoso30.xsd');
const hasXmllint = spawnSync('xmllint', ['--version']).status === 0;
const scratch = mkdtempSync(join(tmpdir(), 'concord-corpus-akn-'));

/**
 * The corpus of real ITU texts (test/fixtures/itu, see the fixtures' README). Every expectation
 * below was written by reading the text, not by printing the importer's output.
 *
 * Round trip: the plain-text export (clean mode) must give back the source, normalised
 * (normaliseText), without the cover lines (the cover is metadata, `ImportResult.cover`, not
 * body text) and without the lines the clean export does not print by design: a provision-level
 * marker line and "Reasons:" lines (those become attributes, printed in revisions mode). A name
 * pasted over two lines is printed joined on one.
 */
const read = (name: string) => readFileSync(resolve(import.meta.dirname, '../fixtures/itu', name), 'utf8');

interface SectionShape {
  keyword: string;
  part: 'preamble' | 'operative';
  numbering: 'letters' | 'numbers' | 'none' | 'dashes';
  provisions: number;
  subItems?: number[];
}

interface Expected {
  kind: 'resolution' | 'council-document';
  title?: string;
  subtitle?: string;
  sections: SectionShape[];
  footnotes?: { count: number; text?: string };
  cover: Partial<CoverBlock> | null;
  proposalLines?: { marker: string; reference: string; reasons: string }[];
  provisionMarkers?: { keyword: string; index: number; marker: string; reference: string; reasons: string }[];
  problems?: number;
  /** Source lines the clean export does not print (marker lines of provisions, Reasons). */
  notPrinted?: RegExp[];
  /** Source lines printed joined to the line before them (a name over two lines). */
  joined?: string[];
  headings?: string[];
}

const CORPUS: Record<string, Expected> = {
  'wtdc-res36-hyderabad-2010.txt': {
    kind: 'resolution',
    title: 'RESOLUTION 36 (Rev. Hyderabad, 2010)',
    subtitle: 'Support for the African Telecommunication Union',
    cover: null,
    sections: [
      { keyword: 'recalling', part: 'preamble', numbering: 'none', provisions: 1 },
      { keyword: 'recalling further', part: 'preamble', numbering: 'none', provisions: 1 },
      { keyword: 'considering', part: 'preamble', numbering: 'none', provisions: 1 },
      { keyword: 'resolves to instruct the Director of the Telecommunication Development Bureau', part: 'operative', numbering: 'none', provisions: 1 },
      { keyword: 'requests the Secretary-General and instructs the Director of the Telecommunication Development Bureau', part: 'operative', numbering: 'none', provisions: 1 },
    ],
  },
  'wtsa-res22-dubai-2012.txt': {
    kind: 'resolution',
    title: 'RESOLUTION 22 (Rev. Dubai, 2012)',
    subtitle: 'Authorization for the Telecommunication Standardization Advisory Group to act between world telecommunication standardization assemblies',
    cover: null,
    sections: [{ keyword: 'considering', part: 'preamble', numbering: 'letters', provisions: 5 }],
  },
  'wtsa-res40-montreal-2000.txt': {
    kind: 'resolution',
    title: 'RESOLUTION 40',
    subtitle: 'Regulatory aspects of ITU-T work\n(Montreal, 2000)',
    cover: null,
    sections: [{ keyword: 'considering', part: 'preamble', numbering: 'letters', provisions: 8 }],
  },
  'pp-decision3-minneapolis-1998.txt': {
    kind: 'resolution',
    title: 'DECISION 3 (Minneapolis, 1998)',
    subtitle: 'Treatment of decisions, resolutions and recommendations of plenipotentiary conferences',
    cover: null,
    sections: [
      { keyword: 'considering', part: 'preamble', numbering: 'letters', provisions: 5 },
      // the en-dash list belongs to provision 2 ("… should also include:")
      { keyword: 'decides', part: 'operative', numbering: 'numbers', provisions: 2 },
    ],
  },
  'council-r1333-c11.txt': {
    kind: 'resolution',
    title: 'R 1333 (C11)',
    subtitle: 'Guiding principles for the Creation, management and termination of Council working groups',
    cover: null,
    sections: [
      { keyword: 'considering', part: 'preamble', numbering: 'letters', provisions: 3 },
      { keyword: 'noting', part: 'preamble', numbering: 'letters', provisions: 1, subItems: [5] },
      { keyword: 'noting further', part: 'preamble', numbering: 'none', provisions: 1 },
      {
        keyword: 'resolves to adopt the following guiding principles for the creation, management and termination of Council working groups (CWGs):',
        part: 'operative',
        numbering: 'numbers',
        provisions: 1,
      },
    ],
  },
  'council-draft-resolution-wcit-syria.txt': {
    kind: 'resolution',
    title: 'Draft Resolution',
    subtitle: 'Preparations for the World Conference on International Telecommunications',
    cover: null,
    sections: [{ keyword: 'noting', part: 'preamble', numbering: 'letters', provisions: 3 }],
  },
  'wrc15-eur-add20-doc9.txt': {
    kind: 'resolution',
    title: 'RESOLUTION 28 (REV.WRC-15)',
    subtitle: 'Revision of references to the text of ITU-R Recommendations incorporated by reference in the Radio Regulations',
    cover: {
      conference: 'World Radiocommunication Conference (WRC-15)',
      document: 'Addendum 20 to Document 9-E',
      documentNumber: '9',
      addendum: '20',
      date: '17 June 2015',
      isoDate: '2015-06-17',
      original: 'English',
      source: 'European Common Proposals',
      agendaItem: '4',
    },
    proposalLines: [{ marker: 'MOD', reference: 'EUR/XX/1', reasons: '' }],
    sections: [{ keyword: 'considering', part: 'preamble', numbering: 'letters', provisions: 4 }],
    joined: ['reference in the Radio Regulations'],
  },
  'wtdc98-senegal-doc110.txt': {
    kind: 'resolution',
    title: 'DRAFT RESOLUTION',
    cover: {
      conference: 'WORLD TELECOMMUNICATION DEVELOPMENT CONFERENCE (WTDC-98)',
      document: 'Document 110-E',
      documentNumber: '110',
      addendum: '',
      date: '20 March 1998',
      isoDate: '1998-03-20',
      original: 'French',
      source: 'Senegal (Republic of)',
      agendaItem: '2.3',
    },
    sections: [
      { keyword: 'recalling', part: 'preamble', numbering: 'letters', provisions: 2 },
      { keyword: 'considering', part: 'preamble', numbering: 'letters', provisions: 3 },
      { keyword: 'noting', part: 'preamble', numbering: 'letters', provisions: 2 },
    ],
  },
  'wtsa16-apt-add2-doc42.txt': {
    kind: 'council-document',
    cover: {
      conference: 'World Telecommunication Standardization Assembly (WTSA-16)',
      document: 'Addendum 2 to Document 42-E',
      documentNumber: '42',
      addendum: '2',
      date: '8 September 2016',
      isoDate: '2016-09-08',
      original: 'English',
      source: 'Asia-Pacific Telecommunity Member Administrations',
      agendaItem: '',
    },
    sections: [],
  },
  'wtsa16-usa-add16-doc48.txt': {
    kind: 'council-document',
    cover: {
      conference: 'World Telecommunication Standardization Assembly (WTSA-16)',
      document: 'Addendum 16 to Document 48-E',
      documentNumber: '48',
      addendum: '16',
      date: '9 October 2016',
      isoDate: '2016-10-09',
      original: 'English',
      source: 'United States of America',
      agendaItem: '',
    },
    sections: [],
    headings: ['Introduction'],
  },
  'wtdc-rpm-res31-2006.txt': {
    kind: 'resolution',
    title: 'RESOLUTION 31',
    subtitle: 'Regional preparations for world telecommunication development conferences',
    cover: null,
    sections: [
      { keyword: 'considering', part: 'preamble', numbering: 'dashes', provisions: 3 },
      { keyword: 'recognizing further', part: 'preamble', numbering: 'none', provisions: 1 },
      { keyword: 'taking into account', part: 'preamble', numbering: 'letters', provisions: 2 },
    ],
  },
  'eur-wtsa16-add7-doc44-reconstructed.txt': {
    kind: 'resolution',
    title: 'RESOLUTION 22 (Rev. Dubai, 2012)',
    subtitle: 'Authorization for the Telecommunication Standardization Advisory Group to act between world telecommunication standardization assemblies',
    cover: {
      conference: 'World Telecommunication Standardization Assembly (WTSA-16)',
      document: 'Addendum 7 to Document 44-E',
      documentNumber: '44',
      addendum: '7',
      date: '26 September 2016',
      isoDate: '2016-09-26',
      original: 'English',
      source: 'Member States of the CEPT',
      agendaItem: '3',
    },
    proposalLines: [
      { marker: 'MOD', reference: 'EUR/44A7/1', reasons: 'The Global Standards Symposium is held in conjunction with each assembly; the instruction to the Director is updated accordingly.' },
      { marker: 'SUP', reference: 'EUR/44A7/2', reasons: 'The demarcation between technical matters and matters having policy or regulatory implications is addressed in Resolution 1.' },
    ],
    sections: [
      { keyword: 'considering', part: 'preamble', numbering: 'letters', provisions: 2 },
      {
        keyword:
          'instructs the Director of the Telecommunication Standardization Bureau, in collaboration with the Secretary-General and the Directors of the Radiocommunication Bureau and the Telecommunication Development Bureau, within the available financial resources and in consultation with the Telecommunication Standardization Advisory Group',
        part: 'operative',
        numbering: 'numbers',
        provisions: 2,
      },
      { keyword: 'recalling', part: 'preamble', numbering: 'letters', provisions: 2 },
    ],
    provisionMarkers: [
      { keyword: 'recalling', index: 0, marker: 'MOD', reference: 'EUR/44A7/3', reasons: 'The regions are named in a footnote.' },
      { keyword: 'recalling', index: 1, marker: 'ADD', reference: 'EUR/44A7/4', reasons: 'To recall the common proposals of the regions.' },
    ],
    footnotes: { count: 1, text: 'These include the regional telecommunication organizations which have submitted common proposals to this conference.' },
    notPrinted: [/^Reasons:/, /^MOD\s+EUR\/44A7\/3$/, /^ADD\s+EUR\/44A7\/4$/],
  },
};

function shape(doc: PMNode) {
  const sections: (SectionShape & { node: PMNode })[] = [];
  const footnotes: string[] = [];
  const proposalLines: { marker: string; reference: string; reasons: string }[] = [];
  const headings: string[] = [];
  const titles: string[] = [];
  const subtitles: string[] = [];
  const text = (node: PMNode) => {
    let out = '';
    node.forEach((child) => {
      out += child.type.name === 'hard_break' ? '\n' : child.textContent;
    });
    return out;
  };
  doc.forEach((node) => {
    if (node.type.name === 'section') {
      let provisions = 0;
      const subItems: number[] = [];
      node.forEach((child) => {
        if (child.type.name !== 'provision') return;
        provisions++;
        let subs = 0;
        child.forEach((sub) => {
          if (sub.type.name === 'sub_item') subs++;
        });
        subItems.push(subs);
      });
      sections.push({ keyword: node.firstChild!.textContent, part: node.attrs.part, numbering: node.attrs.numbering, provisions, subItems, node });
    }
    if (node.type.name === 'proposal_line') proposalLines.push({ marker: node.attrs.marker, reference: node.attrs.reference, reasons: node.attrs.reasons });
    if (node.type.name === 'heading') headings.push(node.textContent);
    if (node.type.name === 'title') titles.push(text(node));
    if (node.type.name === 'subtitle') subtitles.push(text(node));
  });
  doc.descendants((node) => {
    if (node.type.name === 'footnote') footnotes.push(node.attrs.text);
    return true;
  });
  return { sections, footnotes, proposalLines, headings, titles, subtitles };
}

describe.each(Object.entries(CORPUS))('the ITU corpus: %s', (name, expected) => {
  const source = read(name);
  const result = importText(source);
  const got = shape(result.doc);

  it('is read as the right kind, with its title and name', () => {
    expect(result.kind).toBe(expected.kind);
    if (expected.title) expect(got.titles[0]).toBe(expected.title);
    if (expected.subtitle) expect(got.subtitles[0]).toBe(expected.subtitle);
    expect(result.problems).toHaveLength(expected.problems ?? 0);
  });

  it('has its sections with their keywords, numbering, provisions and sub-items', () => {
    expect(got.sections.map(({ keyword, part, numbering, provisions }) => ({ keyword, part, numbering, provisions }))).toEqual(
      expected.sections.map(({ keyword, part, numbering, provisions }) => ({ keyword, part, numbering, provisions })),
    );
    expected.sections.forEach((section, i) => {
      if (section.subItems) expect(got.sections[i]!.subItems).toEqual(section.subItems);
    });
    if (expected.headings) expect(got.headings).toEqual(expected.headings);
  });

  it('has its cover metadata, proposals and footnotes', () => {
    if (expected.cover === null) expect(result.cover).toBeNull();
    else expect(result.cover).toMatchObject(expected.cover);
    expect(got.proposalLines).toEqual(expected.proposalLines ?? []);
    for (const m of expected.provisionMarkers ?? []) {
      const section = got.sections.find((s) => s.keyword === m.keyword)!;
      const provision = section.node.child(1 + m.index + (section.node.child(1).type.name === 'intro' ? 1 : 0));
      expect({ marker: provision.attrs.marker, reference: provision.attrs.reference, reasons: provision.attrs.reasons }).toEqual({ marker: m.marker, reference: m.reference, reasons: m.reasons });
    }
    expect(got.footnotes).toHaveLength(expected.footnotes?.count ?? 0);
    if (expected.footnotes?.text) expect(got.footnotes[0]).toBe(expected.footnotes.text);
    expect(result.doc.textContent).not.toMatch(/\[footnoteRef:|\[bookmark:|\t/);
  });

  it.runIf(hasXmllint)('exports Akoma Ntoso valid against the OASIS schema, in every mode', async () => {
    for (const mode of EXPORT_MODES) {
      const xml = (
        await renderDocument(
          result.doc,
          'akn',
          mode,
          { symbol: 'ITU/1', title: got.subtitles[0] ?? got.titles[0] ?? name, date: '2026-12-02', language: 'English', group: 'Corpus' },
          { keepBrackets: true },
        )
      ).body as string;
      const file = join(scratch, `${name}-${mode}.xml`);
      writeFileSync(file, xml);
      const check = spawnSync('xmllint', ['--noout', '--schema', AKN_SCHEMA, file], { encoding: 'utf8' });
      expect(check.status === 0 ? '' : check.stderr, `${name} in ${mode} mode`).toBe('');
    }
  });

  it('exports back to its source text (without the cover), normalised', () => {
    const coverLines = new Set(result.cover?.lines ?? []);
    const lines = source.split(/\r?\n/).filter((line, i) => !coverLines.has(i + 1) && !(expected.notPrinted ?? []).some((re) => re.test(line.trim())));
    const want: string[] = [];
    for (const line of normaliseText(lines.join('\n'))) {
      if (expected.joined?.includes(line)) want[want.length - 1] += ` ${line}`;
      else want.push(line);
    }
    expect(normaliseText(renderPlainText(result.doc))).toEqual(want);
  });
});
