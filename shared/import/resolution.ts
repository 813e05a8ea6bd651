import type { Node as PMNode } from 'prosemirror-model';
import { schema } from '../schema/index.ts';
import type { Marker, NumberingStyle, SectionPart } from '../schema/index.ts';
import { isMarker } from '../schema/markers.ts';
import { letterLabel, romanLabel } from '../numbering.ts';
import { newId } from '../ids.ts';
import type { ImportProblem } from './problems.ts';
import { inlineContent } from './inline.ts';
import { readRevisions } from './revisions.ts';

/** Keywords that open an operative section; everything before the first one is preamble. */
const OPERATIVE =
  /^(further |also |finally )?(resolves|decides|instructs|invites|requests|encourages|urges|calls upon|recommends|appeals|charges|approves|adopts|agrees|endorses|authorizes|entrusts|expresses|commends|thanks)\b/i;
/** Keywords that open a preamble section. */
const PREAMBLE =
  /^(recalling|recognizing|recognising|noting|considering|bearing in mind|emphasizing|emphasising|having regard|taking into account|taking into consideration|aware|convinced|mindful|reaffirming|acknowledging|welcoming|concerned|observing|underlining|highlighting|stressing|referring|in view of|having considered|having examined|keeping in mind|realizing|believing|affirming|guided by)\b/i;
/** "MOD\tEUR/44A7/1", "MOD EUR/44A7/1", "SUP\tACP/47A1/3". */
export const MARKER_LINE = /^(ADD\*?|MOD|\(MOD\)|SUP\*?|NOC)(?:\t+| +)(\S.*)$/;
/** A marker alone on its line ("MOD"), its reference on the next. */
const MARKER_ALONE = /^(ADD\*?|MOD|\(MOD\)|SUP\*?|NOC)$/;
const REASONS = /^Reasons:\s*(.*)$/i;
/** "Resolution 214 (Rev. Bucharest, 2022)", "Draft new Resolution", "R 1333 (C11)", "Decision 5xx (C2x)". */
export const TITLE = /^((draft )?(new |revised )?(resolution|recommendation|decision|opinion)\b|R \d+ ?\(C)/i;
/** Lines under a Council resolution's header: "(adopted by correspondence)", "(C11, last amended C19)". */
const PARENTHESISED = /^\([^()]*(\([^()]*\)[^()]*)*\)$/;
export const FORMULA = /^The .*(Conference|Assembly|Council|Union|Meeting).*,$/;
/** "a)\t", "1\t", "1.1\t", "3 bis)\t" */
const LABELLED = /^(\d+\.\d+|\d+(?: ?(?:bis|ter|quater|quinquies|sexies|septies|octies|novies|decies)| [a-z]+)?|[a-z]{1,4}(?: [a-z]+)?)(\)?)\t+(.*)$/;
/** An en-dash item: "–\ttelecommunications as …" (also an em dash or hyphen, with a tab or spaces). */
const DASH = /^[–—-](?:\t+| +)(\S.*)$/;
const ROMAN = /^(i|ii|iii|iv|v|vi|vii|viii|ix|x|xi|xii)$/;

export interface ParsedLine {
  /** 1-based line number in the source. */
  number: number;
  /** The line, artefacts removed; it may carry revision marks (revision-chars.ts). */
  text: string;
}

interface Proposal {
  marker: Marker;
  reference: string;
  reasons: string;
}

interface ItemDraft {
  paragraph: PMNode[];
  label: string;
  marker: Marker | null;
  reference: string;
  baseText: string | null;
  proposal: Proposal | null;
}

interface ProvisionDraft extends ItemDraft {
  /** The provision's label in the base text, when the text carries revision marks (null: added). */
  baseLabel?: string | null;
  subItems: ItemDraft[];
  /** An en-dash list was joined to the provision's text. */
  dashes?: boolean;
}

interface SectionDraft {
  part: SectionPart;
  keyword: string;
  intro: PMNode | null;
  numbering: NumberingStyle | null;
  provisions: ProvisionDraft[];
}

type BlockDraft = { node: PMNode } | { proposal: Proposal } | { section: SectionDraft };

/**
 * Whether a line opens a section: a keyword phrase on its own line, judged by how it starts (a
 * preamble or operative keyword) and ends (not like a sentence or a list item: no full stop,
 * semicolon or comma), whatever its length — "instructs the Director of the Telecommunication
 * Standardization Bureau, in collaboration with …" runs over 200 characters.
 */
export function isKeywordLine(text: string): boolean {
  const plain = text.replace(/\[footnoteRef:\d+\]\d*/g, '').trim();
  if (/[.;,]$/.test(plain) || LABELLED.test(text) || DASH.test(text)) return false;
  return OPERATIVE.test(plain) || PREAMBLE.test(plain);
}

/** A proposal's marker as written ("MOD", "(MOD)", "ADD*"), or null. */
function markerOf(value: string | undefined): Marker | null {
  return isMarker(value) ? value : null;
}

/**
 * Reads a resolution, recommendation or decision — or a proposal document carrying several of
 * them — laid out as the fixtures are: proposal lines (marker and reference) anywhere, title,
 * parenthesised lines under a Council header, name, enacting formula, keyword lines each followed
 * by an optional introductory line and labelled (or dashed) provisions, "Reasons:" after a
 * proposal. Lines it cannot place become plain paragraphs (or join the provision before them) and
 * are reported.
 */
export function parseResolution(lines: ParsedLine[], footnotes: ReadonlyMap<string, string>): { blocks: PMNode[]; problems: ImportProblem[] } {
  const drafts: BlockDraft[] = [];
  const problems: ImportProblem[] = [];
  const inline = (text: string) => inlineContent(text, footnotes);
  let section: SectionDraft | null = null;
  let part: SectionPart = 'preamble';
  let title: { content: PMNode[]; index: number } | null = null;
  let expectSubtitle = false;
  let subtitle: { content: PMNode[]; index: number } | null = null;
  /** The proposal whose marker was read last: it applies to the provisions that follow until its Reasons. */
  let proposal: Proposal | null = null;
  /** The last whole-text proposal (a marker before a title), waiting for its Reasons. */
  let wholeText: Proposal | null = null;
  let pendingMarker: Marker | null = null;
  const titles: { content: PMNode[]; index: number }[] = [];
  const subtitles: { content: PMNode[]; index: number }[] = [];

  const closeSection = () => {
    if (section) drafts.push({ section });
    section = null;
  };
  const lineKind = (text: string) => (MARKER_LINE.test(text) || MARKER_ALONE.test(text) ? 'marker' : TITLE.test(text) ? 'title' : 'other');

  /** A text with revision marks is a proposal against a base: its provisions keep their base labels. */
  const marked = lines.some((l) => readRevisions(l.text).marked);
  const baseLabelOf = (draft: SectionDraft, added: boolean): string | null | undefined => {
    if (!marked) return undefined;
    if (added) return null;
    const inBase = draft.provisions.filter((p) => p.baseLabel !== null).length + 1;
    return draft.numbering === 'letters' ? letterLabel(inBase) : draft.numbering === 'numbers' ? String(inBase) : null;
  };

  lines.forEach(({ number, text: raw }, index) => {
    const revised = readRevisions(raw);
    const text = revised.current.trim() === '' && revised.wholeDeletion ? revised.base : revised.current;
    const problem = (message: string) => problems.push({ line: number, text, message });
    if (text.trim() === '') return;
    const next = lines[index + 1] ? readRevisions(lines[index + 1]!.text).current : '';

    // a proposal: marker and reference, on one line or the marker alone with its reference on the next
    let marker = MARKER_LINE.exec(text);
    if (pendingMarker) {
      marker = [text, pendingMarker, text] as unknown as RegExpExecArray;
      pendingMarker = null;
    } else if (MARKER_ALONE.test(text) && next && /\//.test(next) && !MARKER_LINE.test(next)) {
      pendingMarker = markerOf(text);
      return;
    }
    const written = marker ? markerOf(marker[1]) : null;
    if (marker && written) {
      const found: Proposal = { marker: written, reference: marker[2]!.replace(/\s+/g, ' ').trim(), reasons: '' };
      if (lineKind(next) === 'title') {
        closeSection();
        part = 'preamble';
        title = null;
        subtitle = null;
        drafts.push({ proposal: found });
        wholeText = found;
        proposal = null;
      } else {
        proposal = found;
      }
      return;
    }
    const reasons = REASONS.exec(text);
    if (reasons) {
      const target = proposal ?? wholeText;
      if (target && !target.reasons) {
        target.reasons = reasons[1]!.replace(/\t+/g, ' ').trim();
        if (target === proposal) proposal = null;
        else wholeText = null;
        return;
      }
      problem('"Reasons:" without a proposal marker before it; kept as a paragraph');
      closeSection();
      drafts.push({ node: schema.nodes.paragraph!.create(null, inline(text)) });
      return;
    }

    if (TITLE.test(text) && (title === null || 'proposal' in (drafts.at(-1) ?? {}) || (section === null && drafts.length === 0))) {
      closeSection();
      const content = inline(text);
      drafts.push({ node: schema.nodes.paragraph!.create() });
      title = { content, index: drafts.length - 1 };
      titles.push(title);
      subtitle = null;
      expectSubtitle = true;
      part = 'preamble';
      return;
    }
    const currentTitle = title as { content: PMNode[]; index: number } | null;
    if (!section && expectSubtitle && currentTitle && subtitle === null && PARENTHESISED.test(text)) {
      currentTitle.content.push(schema.nodes.hard_break!.create(), ...inline(text));
      return;
    }
    if (!section && FORMULA.test(text)) {
      drafts.push({ node: schema.nodes.enacting_formula!.create(null, inline(text)) });
      expectSubtitle = false;
      return;
    }
    if (isKeywordLine(text)) {
      closeSection();
      if (OPERATIVE.test(text)) part = 'operative';
      section = {
        part,
        keyword: text
          .replace(/\[footnoteRef:\d+\]\d*/g, '')
          .replace(/\s+/g, ' ')
          .trim(),
        intro: null,
        numbering: null,
        provisions: [],
      };
      expectSubtitle = false;
      return;
    }
    if (expectSubtitle && !section) {
      const currentSubtitle = subtitle as { content: PMNode[]; index: number } | null;
      if (currentSubtitle === null) {
        drafts.push({ node: schema.nodes.paragraph!.create() });
        subtitle = { content: inline(text), index: drafts.length - 1 };
        subtitles.push(subtitle);
        return;
      }
      // "(Montreal, 2000)" under the name stays on its own line
      if (PARENTHESISED.test(text)) {
        currentSubtitle.content.push(schema.nodes.hard_break!.create(), ...inline(text));
        return;
      }
      // a name pasted over two lines: the second starts in lower case
      if (/^[a-z(]/.test(text) && !LABELLED.test(text)) {
        currentSubtitle.content.push(schema.text(' '), ...inline(text));
        return;
      }
      expectSubtitle = false;
    }
    const current = section as SectionDraft | null;
    if (!current) {
      if (LABELLED.test(text) || DASH.test(text)) problem('labelled text before any keyword line; kept as a paragraph');
      drafts.push({ node: schema.nodes.paragraph!.create(null, inline(text)) });
      return;
    }

    /** Marker, reference and base text of an item, from the proposal being read and the line's revision marks. */
    const proposalOf = (body: string, baseBody: string): Pick<ItemDraft, 'marker' | 'reference' | 'baseText' | 'proposal'> => {
      let itemMarker: Marker | null = proposal?.marker ?? null;
      let baseText: string | null = null;
      const same = body.replace(/\s+/g, ' ').trim() === baseBody.replace(/\s+/g, ' ').trim();
      if (marked && (!revised.marked || (same && !revised.wholeInsertion && !revised.wholeDeletion))) {
        // a provision the marks leave as it was: its base text is its text (NOC unless a marker says otherwise)
        baseText = body.replace(/\t+/g, ' ');
      } else if (revised.marked) {
        if (revised.wholeInsertion) itemMarker = proposal?.marker === 'ADD*' ? 'ADD*' : 'ADD';
        else if (revised.wholeDeletion) {
          itemMarker = proposal?.marker === 'SUP*' ? 'SUP*' : 'SUP';
          baseText = baseBody.replace(/\t+/g, ' ');
        } else {
          itemMarker = proposal?.marker === '(MOD)' ? '(MOD)' : 'MOD';
          baseText = baseBody.replace(/\t+/g, ' ');
        }
      }
      return { marker: itemMarker, reference: proposal?.reference ?? '', baseText, proposal };
    };
    const baseLine = revised.base.trim() === '' ? text : revised.base;

    const dash = DASH.exec(text);
    if (dash) {
      const last = current.provisions.at(-1);
      if (current.numbering === null || current.numbering === 'dashes') {
        current.numbering = 'dashes';
        current.provisions.push({ paragraph: inline(dash[1]!), subItems: [], label: '–', ...proposalOf(dash[1]!, DASH.exec(baseLine)?.[1] ?? dash[1]!) });
        return;
      }
      if (last) {
        // an en-dash list inside a provision ("… shall include:" then "–\t…" items)
        const listOpen = last.dashes || /:\s*$/.test(last.paragraph.map((n) => n.textContent).join(''));
        last.dashes = true;
        if (!listOpen) problem(`dash item after provision ${last.label} of "${current.keyword}"; joined to that provision after a line break`);
        last.paragraph.push(schema.nodes.hard_break!.create(), ...inline(text));
        return;
      }
    }
    const labelled = LABELLED.exec(text);
    if (labelled) {
      const label = labelled[1]!;
      const writtenLabel = `${label}${labelled[2]}`;
      const body = labelled[3]!;
      const baseBody = LABELLED.exec(baseLine)?.[3] ?? body;
      const last = current.provisions.at(-1);
      const previousLabel = last?.label ?? '';
      const isSubNumber = /^\d+\.\d+$/.test(label);
      // "i)" under a lettered provision is a sub-item: when it continues that provision's
      // sub-items, or is not the section's next letter, or follows a provision ending with ":".
      const nextLetter = letterLabel(current.provisions.length + 1);
      const lastEndsWithColon = last ? /:\s*$/.test(last.paragraph.map((n) => n.textContent).join('')) : false;
      const isRoman =
        ROMAN.test(label) &&
        labelled[2] === ')' &&
        current.numbering === 'letters' &&
        last !== undefined &&
        label === romanLabel(last.subItems.length + 1) &&
        (last.subItems.length > 0 || nextLetter !== label || lastEndsWithColon);
      if ((isSubNumber || isRoman) && last) {
        const expected = isSubNumber ? `${previousLabel}.${last.subItems.length + 1}` : romanLabel(last.subItems.length + 1);
        if (label !== expected) problem(`sub-item labelled ${writtenLabel} is number ${last.subItems.length + 1} under ${previousLabel}; labels are computed, so it will read ${expected}`);
        last.subItems.push({ paragraph: inline(body), label: expected, ...proposalOf(body, baseBody) });
        return;
      }
      const style: NumberingStyle = /^\d/.test(label) ? 'numbers' : 'letters';
      if (current.numbering === null || current.numbering === 'none') {
        if (current.numbering === 'none' && current.provisions.length) problem(`labelled provision ${writtenLabel} follows unlabelled text in section "${current.keyword}"`);
        current.numbering = style;
      } else if (current.numbering !== style) {
        problem(`provision labelled ${writtenLabel} mixes ${style} into a section numbered with ${current.numbering}; it keeps the section's numbering`);
      }
      const position = current.provisions.length + 1;
      const expected = current.numbering === 'letters' ? letterLabel(position) : current.numbering === 'dashes' ? '–' : String(position);
      const baseLabel = baseLabelOf(current, revised.wholeInsertion);
      // in a text with revision marks the labels written are Word's, before or after the changes
      if (label !== expected && current.numbering !== 'dashes' && !marked)
        problem(
          `provision labelled ${writtenLabel} is number ${position} of section "${current.keyword}"; labels are computed, so it will read ${current.numbering === 'letters' ? `${expected})` : expected}`,
        );
      current.provisions.push({ paragraph: inline(body), subItems: [], label: expected, ...proposalOf(body, baseBody), ...(baseLabel !== undefined ? { baseLabel } : {}) });
      return;
    }
    if (current.provisions.length === 0 && current.intro === null && /:$/.test(text) && !revised.marked) {
      current.intro = schema.nodes.intro!.create(null, inline(text));
      return;
    }
    if (current.provisions.length === 0 || current.numbering === 'none') {
      current.numbering = 'none';
      current.provisions.push({ paragraph: inline(text), subItems: [], label: '', ...proposalOf(text, baseLine) });
      return;
    }
    const last = current.provisions.at(-1)!;
    problem(`unlabelled text after provision ${last.label} of "${current.keyword}"; joined to that provision after a line break`);
    last.paragraph.push(schema.nodes.hard_break!.create(), ...inline(text));
  });
  closeSection();

  const blocks: PMNode[] = drafts.map((draft) => {
    if ('section' in draft) return buildSection(draft.section);
    if ('proposal' in draft) return schema.nodes.proposal_line!.create({ marker: draft.proposal.marker, reference: draft.proposal.reference, reasons: draft.proposal.reasons });
    return draft.node;
  });
  // titles and names were kept open for the lines that continue them; put them in place
  const fill = (spans: { content: PMNode[]; index: number }[], type: 'title' | 'subtitle') => {
    for (const span of spans) blocks[span.index] = schema.nodes[type]!.create(null, span.content);
  };
  fill(titles, 'title');
  fill(subtitles, 'subtitle');
  return { blocks, problems };
}

function attrsOf(item: ItemDraft & { baseLabel?: string | null }) {
  return { id: newId('p'), marker: item.marker, reference: item.reference, reasons: item.proposal?.reasons ?? '', baseText: item.baseText, baseLabel: item.baseLabel ?? null };
}

function buildSection(draft: SectionDraft): PMNode {
  const provisions = draft.provisions.map((p) =>
    schema.nodes.provision!.create(attrsOf(p), [
      schema.nodes.paragraph!.create(null, p.paragraph),
      ...p.subItems.map((s) => schema.nodes.sub_item!.create(attrsOf(s), schema.nodes.paragraph!.create(null, s.paragraph))),
    ]),
  );
  if (provisions.length === 0) provisions.push(schema.nodes.provision!.create({ id: newId('p') }, schema.nodes.paragraph!.create()));
  return schema.nodes.section!.create({ id: newId('s'), part: draft.part, numbering: draft.numbering ?? 'none' }, [
    schema.nodes.keyword!.create(null, draft.keyword ? schema.text(draft.keyword) : null),
    ...(draft.intro ? [draft.intro] : []),
    ...provisions,
  ]);
}
