import type { Node as PMNode } from 'prosemirror-model';
import { schema } from '../schema/index.ts';
import type { NumberingStyle, SectionPart } from '../schema/resolution.ts';
import { isMarker } from '../schema/markers.ts';
import { letterLabel, romanLabel } from '../numbering.ts';
import { newId } from '../ids.ts';
import type { ImportProblem } from './problems.ts';
import { inlineContent } from './inline.ts';

/** Keywords that open an operative section; everything before the first one is preamble. */
const OPERATIVE = /^(further |also )?(resolves|decides|instructs|invites|requests|encourages|urges|calls upon|recommends|appeals|charges|approves|adopts|agrees|endorses|authorizes|entrusts|invites)\b/i;
/** Keywords that open a preamble section. */
const PREAMBLE = /^(recalling|recognizing|recognising|noting|considering|bearing in mind|emphasizing|emphasising|having regard|taking into account|aware|convinced|mindful|reaffirming|acknowledging|welcoming|concerned|observing|underlining|highlighting|stressing|referring|in view of|having considered|having examined)\b/i;
const MARKER_LINE = /^(ADD\*?|MOD|\(MOD\)|SUP\*?|NOC)\t+(.+)$/;
const TITLE = /^(draft )?(new |revised )?(resolution|recommendation|decision)\b/i;
const FORMULA = /^The .*(Conference|Assembly|Council|Union|Meeting).*,$/;
/** "a)\t", "1\t", "1.1\t", "3 bis)\t" */
const LABELLED = /^(\d+\.\d+|\d+(?: [a-z]+)?|[a-z]{1,3}(?: [a-z]+)?)(\)?)\t+(.*)$/;

export interface ParsedLine {
  /** 1-based line number in the source. */
  number: number;
  text: string;
}

interface SectionDraft {
  part: SectionPart;
  keyword: string;
  intro: PMNode | null;
  numbering: NumberingStyle | null;
  provisions: { paragraph: PMNode[]; subItems: PMNode[][]; label: string }[];
}

/** Whether a line opens a section: a keyword phrase on its own line. */
export function isKeywordLine(text: string): boolean {
  if (/[.;]$/.test(text) || LABELLED.test(text) || text.length > 200) return false;
  return OPERATIVE.test(text) || PREAMBLE.test(text);
}

/**
 * Reads a resolution, recommendation or decision laid out as the fixtures are: optional proposal
 * line, title, name, enacting formula, then keyword lines each followed by an optional
 * introductory line and labelled provisions. Lines it cannot place become plain paragraphs (or
 * join the provision before them) and are reported.
 */
export function parseResolution(lines: ParsedLine[], footnotes: ReadonlyMap<string, string>): { blocks: PMNode[]; problems: ImportProblem[] } {
  const blocks: PMNode[] = [];
  const problems: ImportProblem[] = [];
  const inline = (text: string) => inlineContent(text, footnotes);
  let section: SectionDraft | null = null;
  let part: SectionPart = 'preamble';
  let seenTitle = false;
  let expectSubtitle = false;

  const closeSection = () => {
    if (section) blocks.push(buildSection(section));
    section = null;
  };

  lines.forEach(({ number, text }, index) => {
    const problem = (message: string) => problems.push({ line: number, text, message });
    const marker = MARKER_LINE.exec(text);
    if (index === 0 && marker && isMarker(marker[1])) {
      blocks.push(schema.nodes.proposal_line!.create({ marker: marker[1], reference: marker[2]!.trim() }));
      return;
    }
    if (!seenTitle && !section && TITLE.test(text)) {
      blocks.push(schema.nodes.title!.create(null, inline(text)));
      seenTitle = true;
      expectSubtitle = true;
      return;
    }
    if (!section && FORMULA.test(text)) {
      blocks.push(schema.nodes.enacting_formula!.create(null, inline(text)));
      expectSubtitle = false;
      return;
    }
    if (isKeywordLine(text)) {
      closeSection();
      if (OPERATIVE.test(text)) part = 'operative';
      section = { part, keyword: text.replace(/\s+/g, ' ').trim(), intro: null, numbering: null, provisions: [] };
      expectSubtitle = false;
      return;
    }
    if (expectSubtitle) {
      blocks.push(schema.nodes.subtitle!.create(null, inline(text)));
      expectSubtitle = false;
      return;
    }
    const current = section as SectionDraft | null;
    if (!current) {
      blocks.push(schema.nodes.paragraph!.create(null, inline(text)));
      return;
    }
    const labelled = LABELLED.exec(text);
    if (labelled) {
      const label = labelled[1]!;
      const written = `${label}${labelled[2]}`;
      const body = labelled[3]!;
      const last = current.provisions.at(-1);
      const previousLabel = last?.label ?? '';
      const isSubNumber = /^\d+\.\d+$/.test(label);
      // "i)" under a lettered section is a sub-item, unless it is the section's next letter.
      const isRoman = /^(i|ii|iii|iv|v|vi|vii|viii|ix|x)$/.test(label) && current.numbering === 'letters' && last !== undefined &&
        letterLabel(current.provisions.length + 1) !== label;
      if ((isSubNumber || isRoman) && last) {
        const expected = isSubNumber ? `${previousLabel}.${last.subItems.length + 1}` : romanLabel(last.subItems.length + 1);
        if (label !== expected) problem(`sub-item labelled ${written} is number ${last.subItems.length + 1} under ${previousLabel}; labels are computed, so it will read ${expected}`);
        last.subItems.push(inline(body));
        return;
      }
      const style: NumberingStyle = /^\d/.test(label) ? 'numbers' : 'letters';
      if (current.numbering === null || current.numbering === 'none') {
        if (current.numbering === 'none' && current.provisions.length) problem(`labelled provision ${written} follows unlabelled text in section "${current.keyword}"`);
        current.numbering = style;
      } else if (current.numbering !== style) {
        problem(`provision labelled ${written} mixes ${style} into a section numbered with ${current.numbering}; it keeps the section's numbering`);
      }
      const position = current.provisions.length + 1;
      const expected = current.numbering === 'letters' ? letterLabel(position) : String(position);
      if (label !== expected) problem(`provision labelled ${written} is number ${position} of section "${current.keyword}"; labels are computed, so it will read ${current.numbering === 'letters' ? `${expected})` : expected}`);
      current.provisions.push({ paragraph: inline(body), subItems: [], label: expected });
      return;
    }
    if (current.provisions.length === 0 && current.intro === null && /:$/.test(text)) {
      current.intro = schema.nodes.intro!.create(null, inline(text));
      return;
    }
    if (current.provisions.length === 0 || current.numbering === 'none') {
      current.numbering = 'none';
      current.provisions.push({ paragraph: inline(text), subItems: [], label: '' });
      return;
    }
    const last = current.provisions.at(-1)!;
    problem(`unlabelled text after provision ${last.label} of "${current.keyword}"; joined to that provision after a line break`);
    last.paragraph.push(schema.nodes.hard_break!.create(), ...inline(text));
  });
  closeSection();
  return { blocks, problems };
}

function buildSection(draft: SectionDraft): PMNode {
  const provisions = draft.provisions.map((p) =>
    schema.nodes.provision!.create({ id: newId('p') }, [
      schema.nodes.paragraph!.create(null, p.paragraph),
      ...p.subItems.map((s) => schema.nodes.sub_item!.create({ id: newId('p') }, schema.nodes.paragraph!.create(null, s))),
    ]),
  );
  if (provisions.length === 0) provisions.push(schema.nodes.provision!.create({ id: newId('p') }, schema.nodes.paragraph!.create()));
  return schema.nodes.section!.create({ id: newId('s'), part: draft.part, numbering: draft.numbering ?? 'none' }, [
    schema.nodes.keyword!.create(null, draft.keyword ? schema.text(draft.keyword) : null),
    ...(draft.intro ? [draft.intro] : []),
    ...provisions,
  ]);
}
