import type { Mark, Node as PMNode } from 'prosemirror-model';
import { attrsOf, bracketMarks } from '../brackets/model.ts';
import type { BracketAttrs } from '../brackets/model.ts';
import type { Run } from './model.ts';

/**
 * How square brackets are printed:
 * - `attributed`: "[" and "]" around the text, alternatives stacked ("[Alt 1: … / Alt 2: …]"), and a
 *   footnote after each bracket naming the delegation that proposed it (negotiation, revisions);
 * - `plain`: the same punctuation without the footnotes (a clean text asked for with its brackets);
 * - `none`: no punctuation, the bracketed text kept as it stands (a clean text).
 */
export type BracketDisplay = 'attributed' | 'plain' | 'none';

/** Adds a footnote to the rendering and answers its number. */
export type AddNote = (text: string, added: boolean) => number;

const KIND_NOTE: Record<string, string> = { contested: 'proposed by', awaiting: 'awaiting instructions:', alternative: 'proposed by' };

const capitalise = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/**
 * The runs of one textblock: its text with italics and bold, hard breaks, footnote references, and
 * its brackets printed as `brackets` says. Brackets close at the end of the textblock (a bracket
 * spanning two provisions prints in each).
 */
export function inlineRuns(node: PMNode, brackets: BracketDisplay, addNote: AddNote): Run[] {
  const runs: Run[] = [];
  const open: BracketAttrs[] = [];
  /** Options of alternative groups seen so far in this textblock, for "Alt n". */
  const optionCount = new Map<string, number>();
  /** Delegations that offered each alternative group's options, for its footnote. */
  const alternativeAuthors = new Map<string, string[]>();
  /** An alternative just closed: the next option of its group continues the same bracket. */
  let pendingClose: BracketAttrs | null = null;

  const closeOne = (b: BracketAttrs) => {
    runs.push({ text: ']', bracket: true });
    if (brackets !== 'attributed') return;
    const note = b.kind === 'alternative' ? `Alternatives proposed by ${alternativeAuthors.get(b.group)?.join(', ') ?? b.delegation}` : `${KIND_NOTE[b.kind] ?? 'proposed by'} ${b.delegation}`;
    const number = addNote(capitalise(note), true);
    runs.push({ text: String(number), footnote: number });
  };
  const flushPending = () => {
    if (pendingClose) closeOne(pendingClose);
    pendingClose = null;
  };
  /** Closes one bracket; an alternative waits, since the next option may continue it. */
  const close = (closing: BracketAttrs) => {
    if (closing.kind === 'alternative') {
      if (pendingClose && pendingClose.id !== closing.id) closeOne(pendingClose);
      pendingClose = closing;
    } else {
      flushPending();
      closeOne(closing);
    }
  };

  node.forEach((child) => {
    if (child.isText) {
      const marks = brackets === 'none' ? [] : bracketMarks(child.marks).map(attrsOf);
      for (const b of marks) {
        if (b.kind !== 'alternative') continue;
        const names = alternativeAuthors.get(b.group) ?? [];
        // the base wording's option belongs to the text (a compilation's), not to a delegation
        if (b.delegation && !names.includes(b.delegation)) alternativeAuthors.set(b.group, [...names, b.delegation]);
      }
      // close the brackets that end here, innermost first
      while (open.length && !marks.some((m) => m.id === open[open.length - 1]!.id)) close(open.pop()!);
      for (const b of marks) {
        if (open.some((o) => o.id === b.id)) continue;
        if (b.kind === 'alternative') {
          const n = (optionCount.get(b.group) ?? 0) + 1;
          optionCount.set(b.group, n);
          if (pendingClose && pendingClose.group === b.group) runs.push({ text: ` / Alt ${n}: `, bracket: true });
          else {
            flushPending();
            runs.push({ text: `[Alt ${n}: `, bracket: true });
          }
          pendingClose = null;
        } else {
          flushPending();
          runs.push({ text: '[', bracket: true });
        }
        open.push(b);
      }
      flushPending();
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
  while (open.length) close(open.pop()!);
  flushPending();
  return runs;
}
