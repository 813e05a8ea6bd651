import type { Node as PMNode } from 'prosemirror-model';
import { labels } from '../numbering.ts';
import type { Label } from '../numbering.ts';
import { suggestedMarker } from '../schema/markers.ts';
import type { Marker } from '../schema/markers.ts';
import { inlineRuns } from './inline-runs.ts';
import type { BracketDisplay } from './inline-runs.ts';
import { markChanges } from './revision-runs.ts';

/**
 * The one rendering of a document that every export format prints (txt, Markdown, HTML, DOCX,
 * Akoma Ntoso): blocks in reading order, each with its computed label and its text as runs
 * (italic, bold, inserted, deleted, bracket punctuation, footnote references), for a mode:
 * - clean: the text as agreed — no markers, no brackets (their text kept), no statuses;
 * - negotiation: brackets shown, with the proposing delegation as a footnote, alternatives
 *   stacked ("[Alt 1: … / Alt 2: …]"), provision statuses;
 * - revisions: ITU's proposal layout — marker and reference before each provision, MOD with
 *   insertions underlined and deletions struck against the base text, SUP struck, Reasons after;
 *   open brackets shown as in negotiation (a proposal may carry them).
 * Formats print a rendering and never look at the document again: what a mode shows is decided
 * here, once, in `display` below.
 */
export type RenderMode = 'clean' | 'negotiation' | 'revisions';

export interface Run {
  text: string;
  italic?: boolean;
  bold?: boolean;
  inserted?: boolean;
  deleted?: boolean;
  /** Bracket punctuation added by negotiation mode ("[", "]", " / Alt 2: "). */
  bracket?: boolean;
  /** A reference to footnote number `footnote` (text is its number as printed). */
  footnote?: number;
}

export type BlockKind =
  | 'proposal-line'
  | 'title'
  | 'subtitle'
  | 'formula'
  | 'keyword'
  | 'intro'
  | 'provision'
  | 'sub-item'
  | 'marker'
  | 'reasons'
  | 'heading'
  | 'paragraph'
  | 'numbered'
  | 'list-item'
  | 'rule'
  | 'annex-title';

export interface Block {
  kind: BlockKind;
  /** The computed label as printed: "a)", "3 bis", "1.1", "2", "–". */
  label?: string;
  runs: Run[];
  /** Section (preamble / operative) a keyword, intro or provision belongs to, and its id. */
  part?: 'preamble' | 'operative';
  section?: string;
  /** Provision id, marker and status, where they apply. */
  id?: string;
  marker?: Marker | null;
  status?: string;
  /** Heading level, list nesting. */
  level?: number;
  /** Inside an annex. */
  annex?: boolean;
}

export interface Footnote {
  number: number;
  text: string;
  /** A note Concord added (who proposed a bracket), not one of the text's own footnotes. */
  added?: boolean;
}

export interface Rendering {
  mode: RenderMode;
  blocks: Block[];
  footnotes: Footnote[];
}

/** What a rendering shows besides the text, decided once per mode (and options). */
export interface Display {
  /** How square brackets print (the one place that decides: see inline-runs.ts). */
  brackets: BracketDisplay;
  /** Marker line ("MOD ACP/47A1/1") before and "Reasons:" after each provision of a proposal, MOD and SUP marked. */
  markers: boolean;
  /** "(agreed)", "(agreed ad ref.)" after a provision. */
  statuses: boolean;
  /** Leave out what the proposal deletes (SUP, SUP*) and the document's own proposal line. */
  asAdopted: boolean;
}

export interface RenderOptions {
  /** Clean mode only: print the open brackets (without saying whose) instead of dropping them. Default false. */
  keepBrackets: boolean;
  /**
   * Clean mode only: the text as it goes to Council — without the provisions the proposal deletes
   * (SUP, SUP*) and without its proposal line ("MOD AD HOC WGPL/47/1"). Default false (plain text
   * of the document as it stands, as the import round-trip expects).
   */
  forCouncil: boolean;
}

const DEFAULTS: RenderOptions = { keepBrackets: false, forCouncil: false };

/** What each mode shows. Bracket support for new kinds plugs into `brackets` here and in inline-runs.ts. */
export function display(mode: RenderMode, options: Partial<RenderOptions> = {}): Display {
  const { keepBrackets, forCouncil } = { ...DEFAULTS, ...options };
  switch (mode) {
    case 'clean':
      return { brackets: keepBrackets ? 'plain' : 'none', markers: false, statuses: false, asAdopted: forCouncil };
    case 'negotiation':
      return { brackets: 'attributed', markers: false, statuses: true, asAdopted: false };
    case 'revisions':
      return { brackets: 'attributed', markers: true, statuses: false, asAdopted: false };
  }
}

const STATUS_NOTE: Record<string, string> = { agreed: 'agreed', agreed_ad_ref: 'agreed ad ref.' };

/** The marker a provision shows: the one set, or the one that follows from its text. */
export function provisionMarker(node: PMNode): Marker {
  return (node.attrs.marker as Marker | null) ?? suggestedMarker(node.attrs.baseText as string | null, node.firstChild?.textContent ?? '');
}

/** A provision the proposal deletes (SUP) or moves elsewhere (SUP*): only ever an explicit marker. */
const isDeleted = (node: PMNode) => node.attrs.marker === 'SUP' || node.attrs.marker === 'SUP*';

/** A document is a proposal when any provision has a base text, a marker or a reference. */
export function isProposal(doc: PMNode): boolean {
  let found = false;
  doc.descendants((node) => {
    if (found) return false;
    if (node.type.name === 'provision' || node.type.name === 'sub_item') {
      found = node.attrs.baseText !== null || node.attrs.marker !== null || node.attrs.reference !== '';
    }
    return !found;
  });
  return found;
}

type Context = { part?: 'preamble' | 'operative'; section?: string; annex?: boolean };

/**
 * Walks the document once, in reading order, one function per kind of node, into blocks of runs.
 * Labels are the numbering function's (shared/numbering.ts), never recomputed here.
 */
export function renderModel(doc: PMNode, mode: RenderMode, options: Partial<RenderOptions> = {}): Rendering {
  const shows = display(mode, options);
  const computed = labels(doc);
  const proposal = shows.markers && isProposal(doc);
  const blocks: Block[] = [];
  const footnotes: Footnote[] = [];
  const addNote = (text: string, added: boolean) => {
    footnotes.push({ number: footnotes.length + 1, text, added });
    return footnotes.length;
  };
  const runsOf = (node: PMNode): Run[] => inlineRuns(node, shows.brackets, addNote);

  /** A provision or sub-item: marker line, its text (with revision marks), status, reasons. */
  const item = (node: PMNode, pos: number, kind: 'provision' | 'sub-item', context: Context) => {
    const label: Label | undefined = computed.get(pos);
    const marker = proposal ? provisionMarker(node) : null;
    if (marker) {
      blocks.push({ kind: 'marker', runs: [{ text: [marker, node.attrs.reference].filter(Boolean).join('\t'), bold: true }], marker, id: node.attrs.id as string, ...context });
    }
    let runs = runsOf(node.firstChild!);
    const base = node.attrs.baseText as string | null;
    if ((marker === 'MOD' || marker === '(MOD)') && base !== null) runs = markChanges(base, runs);
    if (marker === 'SUP' || marker === 'SUP*') runs = runs.map((r) => ({ ...r, deleted: true }));
    const status = node.attrs.status as string | undefined;
    if (shows.statuses && status && STATUS_NOTE[status]) runs.push({ text: ` (${STATUS_NOTE[status]})`, bracket: true });
    blocks.push({ kind, label: label?.printed, runs, id: node.attrs.id as string, marker, status, ...context });
    if (marker && node.attrs.reasons) blocks.push({ kind: 'reasons', runs: [{ text: 'Reasons:', bold: true }, { text: `\t${node.attrs.reasons as string}` }], ...context });
  };

  const section = (node: PMNode, pos: number, extra: Context) => {
    const context: Context = { part: node.attrs.part as 'preamble' | 'operative', section: node.attrs.id as string, ...extra };
    // a section opening with a proposal of its own ("MOD EUR/44A7/3") ends the whole-text proposal before it
    let first: PMNode | null = null;
    node.forEach((child) => {
      if (!first && child.type.name === 'provision') first = child;
    });
    if ((first as PMNode | null)?.attrs.reference) flushReasons();
    node.forEach((child, offset) => {
      const childPos = pos + 1 + offset;
      if (child.type.name === 'keyword') blocks.push({ kind: 'keyword', runs: runsOf(child).map((r) => ({ ...r, italic: true })), ...context });
      else if (child.type.name === 'intro') blocks.push({ kind: 'intro', runs: runsOf(child), ...context });
      else if (child.type.name === 'provision') {
        if (shows.asAdopted && isDeleted(child)) return;
        item(child, childPos, 'provision', context);
        child.forEach((sub, subOffset) => {
          if (sub.type.name !== 'sub_item' || (shows.asAdopted && isDeleted(sub))) return;
          item(sub, childPos + 1 + subOffset, 'sub-item', context);
        });
      }
    });
  };

  const list = (node: PMNode, pos: number, annex: boolean, extra: Context) => {
    node.forEach((listItem, offset) => {
      const itemPos = pos + 1 + offset;
      const label = node.type.name === 'ordered_list' ? (computed.get(itemPos)?.printed ?? '') : '–';
      listItem.forEach((child, childOffset) => {
        if (child.type.name === 'paragraph' && childOffset === 0) blocks.push({ kind: 'list-item', label, runs: runsOf(child), ...extra });
        else block(child, itemPos + 1 + childOffset, annex);
      });
    });
  };

  const block = (node: PMNode, pos: number, annex: boolean): void => {
    const extra: Context = annex ? { annex: true } : {};
    switch (node.type.name) {
      case 'proposal_line':
        if (shows.asAdopted) return;
        flushReasons();
        blocks.push({ kind: 'proposal-line', runs: [{ text: `${node.attrs.marker as string}\t${node.attrs.reference as string}`, bold: true }], ...extra });
        // a whole-text proposal's Reasons print after the text it proposes (before the next proposal)
        if (shows.markers && node.attrs.reasons) pendingReasons = { text: node.attrs.reasons as string, extra };
        return;
      case 'title':
        blocks.push({ kind: 'title', runs: runsOf(node), ...extra });
        return;
      case 'subtitle':
        blocks.push({ kind: 'subtitle', runs: runsOf(node), ...extra });
        return;
      case 'enacting_formula':
        blocks.push({ kind: 'formula', runs: runsOf(node), ...extra });
        return;
      case 'section':
        section(node, pos, extra);
        return;
      case 'heading':
        blocks.push({ kind: 'heading', label: computed.get(pos)?.printed, level: node.attrs.level as number, runs: runsOf(node), ...extra });
        return;
      case 'numbered_paragraph':
        blocks.push({ kind: 'numbered', label: computed.get(pos)?.printed, runs: runsOf(node), ...extra });
        return;
      case 'ordered_list':
      case 'bullet_list':
        list(node, pos, annex, extra);
        return;
      case 'horizontal_rule':
        blocks.push({ kind: 'rule', runs: [], ...extra });
        return;
      case 'annex':
        node.forEach((child, offset) => {
          if (child.type.name === 'annex_title') blocks.push({ kind: 'annex-title', runs: runsOf(child), annex: true });
          else block(child, pos + 1 + offset, true);
        });
        return;
      default:
        if (node.isTextblock) blocks.push({ kind: 'paragraph', runs: runsOf(node), ...extra });
    }
  };

  let pendingReasons: { text: string; extra: Context } | null = null;
  function flushReasons() {
    if (!pendingReasons) return;
    blocks.push({ kind: 'reasons', runs: [{ text: 'Reasons:', bold: true }, { text: `\t${pendingReasons.text}` }], ...pendingReasons.extra });
    pendingReasons = null;
  }

  doc.forEach((node, offset) => block(node, offset, false));
  flushReasons();
  return { mode, blocks, footnotes };
}

/** The text of runs as plain text (footnote references as superscript digits). */
const SUPERSCRIPT = '⁰¹²³⁴⁵⁶⁷⁸⁹';
export function plainRuns(runs: readonly Run[], options: { deleted?: boolean } = {}): string {
  return runs
    .filter((r) => options.deleted !== false || !r.deleted)
    .map((r) => (r.footnote ? [...String(r.footnote)].map((d) => SUPERSCRIPT[Number(d)]).join('') : r.text))
    .join('');
}
