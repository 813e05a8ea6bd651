import type { Mark, Node as PMNode } from 'prosemirror-model';
import { labels } from '../numbering.ts';
import type { Label } from '../numbering.ts';
import { suggestedMarker } from '../schema/markers.ts';
import type { Marker } from '../schema/markers.ts';
import { wordChanges } from '../revision-marks.ts';
import { attrsOf, bracketMarks } from '../brackets/model.ts';
import type { BracketAttrs } from '../brackets/model.ts';

/**
 * The one rendering of a document that every export format prints (txt, Markdown, HTML, DOCX,
 * Akoma Ntoso): blocks in reading order, each with its computed label and its text as runs
 * (italic, bold, inserted, deleted, bracket punctuation, footnote references), for a mode:
 * - clean: the text as agreed — no markers, no brackets (their text kept);
 * - negotiation: brackets shown, with the proposing delegation as a footnote, alternatives
 *   stacked ("[Alt 1: … / Alt 2: …]"), provision statuses;
 * - revisions: ITU's proposal layout — marker and reference before each provision, MOD with
 *   insertions underlined and deletions struck against the base text, SUP struck, Reasons after.
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
  | 'proposal-line' | 'title' | 'subtitle' | 'formula' | 'keyword' | 'intro'
  | 'provision' | 'sub-item' | 'marker' | 'reasons'
  | 'heading' | 'paragraph' | 'numbered' | 'list-item' | 'rule' | 'annex-title';

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

const STATUS_NOTE: Record<string, string> = { agreed: 'agreed', agreed_ad_ref: 'agreed ad ref.' };
const KIND_NOTE: Record<string, string> = { contested: 'proposed by', awaiting: 'awaiting instructions:', alternative: 'proposed by' };

/** The marker a provision shows: the one set, or the one that follows from its text. */
export function provisionMarker(node: PMNode): Marker {
  return (node.attrs.marker as Marker | null) ?? suggestedMarker(node.attrs.baseText as string | null, node.firstChild?.textContent ?? '');
}

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

export function renderModel(doc: PMNode, mode: RenderMode): Rendering {
  const computed = labels(doc);
  const proposal = mode === 'revisions' && isProposal(doc);
  const blocks: Block[] = [];
  const footnotes: Footnote[] = [];
  const addNote = (text: string, added: boolean) => {
    footnotes.push({ number: footnotes.length + 1, text, added });
    return footnotes.length;
  };

  /** The runs of a textblock; brackets printed in negotiation mode, with their proposers as footnotes. */
  const runsOf = (node: PMNode): Run[] => {
    const runs: Run[] = [];
    const open: BracketAttrs[] = [];
    /** Options of alternative groups seen so far in this textblock, for "Alt n". */
    const optionCount = new Map<string, number>();
    let pendingClose: BracketAttrs | null = null;
    const closeOne = (b: BracketAttrs) => {
      runs.push({ text: ']', bracket: true });
      const note = b.kind === 'alternative' ? `Alternatives proposed by ${alternativeAuthors.get(b.group)?.join(', ') ?? b.delegation}` : `${KIND_NOTE[b.kind] ?? 'proposed by'} ${b.delegation}`;
      const number = addNote(note.charAt(0).toUpperCase() + note.slice(1), true);
      runs.push({ text: String(number), footnote: number });
    };
    const alternativeAuthors = new Map<string, string[]>();
    node.forEach((child) => {
      if (child.isText) {
        const marks = mode === 'negotiation' ? bracketMarks(child.marks).map(attrsOf) : [];
        for (const b of marks) {
          if (b.kind === 'alternative') {
            const names = alternativeAuthors.get(b.group) ?? [];
            if (!names.includes(b.delegation)) alternativeAuthors.set(b.group, [...names, b.delegation]);
          }
        }
        // close brackets that end here (innermost first)
        while (open.length && !marks.some((m) => m.id === open[open.length - 1]!.id)) {
          const closing = open.pop()!;
          if (closing.kind === 'alternative') {
            if (pendingClose) closeOne(pendingClose);
            pendingClose = closing;
          } else {
            if (pendingClose) {
              closeOne(pendingClose);
              pendingClose = null;
            }
            closeOne(closing);
          }
        }
        for (const b of marks) {
          if (open.some((o) => o.id === b.id)) continue;
          if (b.kind === 'alternative') {
            const n = (optionCount.get(b.group) ?? 0) + 1;
            optionCount.set(b.group, n);
            if (pendingClose && pendingClose.group === b.group) runs.push({ text: ` / Alt ${n}: `, bracket: true });
            else {
              if (pendingClose) closeOne(pendingClose);
              runs.push({ text: `[Alt ${n}: `, bracket: true });
            }
            pendingClose = null;
          } else {
            if (pendingClose) {
              closeOne(pendingClose);
              pendingClose = null;
            }
            runs.push({ text: '[', bracket: true });
          }
          open.push(b);
        }
        if (pendingClose) {
          closeOne(pendingClose);
          pendingClose = null;
        }
        runs.push({
          text: child.text!,
          ...(child.marks.some((m: Mark) => m.type.name === 'em') ? { italic: true } : {}),
          ...(child.marks.some((m: Mark) => m.type.name === 'strong') ? { bold: true } : {}),
        });
      } else if (child.type.name === 'hard_break') {
        runs.push({ text: '\n' });
      } else if (child.type.name === 'footnote') {
        const number = addNote(child.attrs.text as string, false);
        runs.push({ text: String(number), footnote: number });
      }
    });
    while (open.length) {
      const closing = open.pop()!;
      if (closing.kind === 'alternative') {
        if (pendingClose && pendingClose.id !== closing.id) closeOne(pendingClose);
        pendingClose = closing;
      } else {
        if (pendingClose) closeOne(pendingClose);
        pendingClose = null;
        closeOne(closing);
      }
    }
    if (pendingClose) closeOne(pendingClose);
    return runs;
  };

  /** A provision or sub-item: marker line, its text (with revision marks), reasons. */
  const item = (node: PMNode, pos: number, kind: 'provision' | 'sub-item', context: { part?: 'preamble' | 'operative'; section?: string }) => {
    const label: Label | undefined = computed.get(pos);
    const marker = proposal ? provisionMarker(node) : null;
    if (marker) {
      blocks.push({ kind: 'marker', runs: [{ text: [marker, node.attrs.reference].filter(Boolean).join('\t'), bold: true }], marker, id: node.attrs.id as string, ...context });
    }
    let runs: Run[];
    const base = node.attrs.baseText as string | null;
    if (marker && (marker === 'MOD' || marker === '(MOD)') && base !== null) {
      runs = wordChanges(base, node.firstChild!.textContent).map((change) => ({
        text: change.text,
        ...(change.kind === 'inserted' ? { inserted: true } : change.kind === 'deleted' ? { deleted: true } : {}),
      }));
    } else {
      runs = runsOf(node.firstChild!);
      if (marker === 'SUP' || marker === 'SUP*') runs = runs.map((r) => ({ ...r, deleted: true }));
    }
    const status = node.attrs.status as string | undefined;
    if (mode === 'negotiation' && status && STATUS_NOTE[status]) runs.push({ text: ` (${STATUS_NOTE[status]})`, bracket: true });
    blocks.push({ kind, label: label?.printed, runs, id: node.attrs.id as string, marker, status, ...context });
    if (marker && node.attrs.reasons) blocks.push({ kind: 'reasons', runs: [{ text: 'Reasons:', bold: true }, { text: `\t${node.attrs.reasons as string}` }], ...context });
  };

  const block = (node: PMNode, pos: number, annex: boolean): void => {
    const extra = annex ? { annex: true } : {};
    switch (node.type.name) {
      case 'proposal_line':
        blocks.push({ kind: 'proposal-line', runs: [{ text: `${node.attrs.marker as string}\t${node.attrs.reference as string}`, bold: true }], ...extra });
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
      case 'section': {
        const context = { part: node.attrs.part as 'preamble' | 'operative', section: node.attrs.id as string };
        node.forEach((child, offset) => {
          const childPos = pos + 1 + offset;
          if (child.type.name === 'keyword') blocks.push({ kind: 'keyword', runs: runsOf(child).map((r) => ({ ...r, italic: true })), ...context, ...extra });
          else if (child.type.name === 'intro') blocks.push({ kind: 'intro', runs: runsOf(child), ...context, ...extra });
          else if (child.type.name === 'provision') {
            item(child, childPos, 'provision', context);
            child.forEach((sub, subOffset) => {
              if (sub.type.name === 'sub_item') item(sub, childPos + 1 + subOffset, 'sub-item', context);
            });
          }
        });
        return;
      }
      case 'heading':
        blocks.push({ kind: 'heading', label: computed.get(pos)?.printed, level: node.attrs.level as number, runs: runsOf(node), ...extra });
        return;
      case 'numbered_paragraph':
        blocks.push({ kind: 'numbered', label: computed.get(pos)?.printed, runs: runsOf(node), ...extra });
        return;
      case 'ordered_list':
      case 'bullet_list':
        node.forEach((listItem, offset) => {
          const itemPos = pos + 1 + offset;
          const label = node.type.name === 'ordered_list' ? computed.get(itemPos)?.printed ?? '' : '–';
          listItem.forEach((child, childOffset) => {
            if (child.type.name === 'paragraph' && childOffset === 0) blocks.push({ kind: 'list-item', label, runs: runsOf(child), ...extra });
            else block(child, itemPos + 1 + childOffset, annex);
          });
        });
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

  doc.forEach((node, offset) => block(node, offset, false));
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
