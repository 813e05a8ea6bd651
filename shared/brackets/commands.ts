import type { Mark, Node as PMNode } from 'prosemirror-model';
import { TextSelection } from 'prosemirror-state';
import type { Command, EditorState } from 'prosemirror-state';
import { schema } from '../schema/index.ts';
import type { BracketKind } from '../schema/index.ts';
import { newId } from '../ids.ts';
import { itemAt } from '../editing/provisions.ts';
import { attrsOf, bracketMarks, collectBrackets, optionsOf } from './model.ts';
import type { BracketAttrs } from './model.ts';

/**
 * What a delegation does with brackets in the editor: bracket the selection (or start typing new
 * bracketed text), bracket a whole provision, offer an alternative, take its own bracket back.
 * Every command attributes what it creates to `delegation`; the server checks it may.
 */
const bracketType = schema.marks.bracket!;

export function newBracket(delegation: string, kind: BracketKind = 'contested', group = ''): Mark {
  return bracketType.create({ id: newId('b'), delegation, kind, group, at: new Date().toISOString() });
}

/** Brackets the selected text for `delegation`; with nothing selected, what is typed next is bracketed. */
export function bracketSelection(delegation: string, kind: BracketKind = 'contested'): Command {
  return (state, dispatch) => {
    const { from, to, empty } = state.selection;
    const mark = newBracket(delegation, kind);
    if (empty) {
      if (!state.selection.$from.parent.inlineContent) return false;
      dispatch?.(state.tr.addStoredMark(mark));
      return true;
    }
    if (state.doc.textBetween(from, to, ' ').trim() === '') return false;
    dispatch?.(state.tr.addMark(from, to, mark).scrollIntoView());
    return true;
  };
}

/** Brackets the whole text of the provision holding the cursor, sub-items included. */
export function bracketProvision(delegation: string, kind: BracketKind = 'contested'): Command {
  return (state, dispatch) => {
    const item = itemAt(state.selection.$from);
    if (!item || item.node.textContent.trim() === '') return false;
    dispatch?.(state.tr.addMark(item.pos + 1, item.pos + item.node.nodeSize - 1, newBracket(delegation, kind)));
    return true;
  };
}

/** The brackets at the cursor (or covering the start of the selection), innermost last. */
export function bracketsAt(state: EditorState): BracketAttrs[] {
  const { $from, empty, from } = state.selection;
  const marks = empty ? [...($from.nodeBefore?.marks ?? []), ...($from.nodeAfter?.marks ?? [])] : (state.doc.nodeAt(from)?.marks ?? []);
  const seen = new Map<string, BracketAttrs>();
  for (const mark of bracketMarks(marks)) seen.set(attrsOf(mark).id, attrsOf(mark));
  return [...seen.values()];
}

/**
 * Offers `text` as an alternative. In an alternatives group (the cursor in one of its options),
 * it becomes the group's next option, attributed to `delegation`; on a selection, the selected
 * words become the first option and `text` the second, `delegation`'s. The first option keeps the
 * owner the words had: the text's own (shown as "Base text"), or the delegation whose bracket
 * holds them — never the delegation that offers the alternative.
 */
export function offerAlternative(delegation: string, text: string): Command {
  return (state, dispatch) => {
    const wording = text.replace(/\s+/g, ' ').trim();
    if (!wording) return false;
    const existing = bracketsAt(state)
      .reverse()
      .find((b) => b.kind === 'alternative');
    if (existing) {
      const options = optionsOf(collectBrackets(state.doc), existing.group);
      const last = options[options.length - 1];
      if (!last) return false;
      if (dispatch) {
        const mark = newBracket(delegation, 'alternative', existing.group);
        const marks = outerMarksAt(state.doc, last.to, existing.group);
        const tr = state.tr.insert(last.to, schema.text(wording, [...marks, mark]));
        dispatch(tr.setSelection(TextSelection.create(tr.doc, last.to + wording.length)).scrollIntoView());
      }
      return true;
    }
    const { from, to, empty } = state.selection;
    if (empty || !state.selection.$from.sameParent(state.selection.$to)) return false;
    if (dispatch) {
      const group = newId('g');
      const first = newBracket(ownerOfWords(state.doc, from, to), 'alternative', group);
      const second = newBracket(delegation, 'alternative', group);
      const marks = outerMarksAt(state.doc, to, group);
      const tr = state.tr.addMark(from, to, first).insert(to, schema.text(wording, [...marks, second]));
      dispatch(tr.setSelection(TextSelection.create(tr.doc, to + wording.length)).scrollIntoView());
    }
    return true;
  };
}

/** Whose the words between `from` and `to` are: the innermost bracket holding all of them, else the text's (''). */
function ownerOfWords(doc: PMNode, from: number, to: number): string {
  let holding: Mark[] | null = null;
  doc.nodesBetween(from, to, (node) => {
    if (!node.isText) return true;
    const marks = bracketMarks(node.marks);
    holding = holding === null ? marks : holding.filter((m) => marks.some((other) => other.eq(m)));
    return false;
  });
  const innermost = (holding ?? ([] as Mark[])).at(-1);
  return innermost ? attrsOf(innermost).delegation : '';
}

/** Marks the new option shares with the text it follows (outer brackets, emphasis), but not the group's own. */
function outerMarksAt(doc: PMNode, pos: number, group: string): readonly Mark[] {
  const before = doc.resolve(pos).nodeBefore;
  return (before?.marks ?? []).filter((mark) => !(mark.type === bracketType && (attrsOf(mark).group === group || attrsOf(mark).kind === 'alternative')));
}

/**
 * Takes back a bracket of one's own: a contested or awaiting bracket goes and its text stays; an
 * alternative option goes with its text, and when only the base text's option is left the group
 * dissolves: its words stand as plain text again. The base option itself is withdrawn by nobody —
 * only the chair's decision (choosing another option) sets it aside.
 */
export function withdrawBracket(id: string): Command {
  return (state, dispatch) => {
    const brackets = collectBrackets(state.doc);
    const bracket = brackets.get(id);
    if (!bracket) return false;
    if (dispatch) {
      const tr = state.tr;
      if (bracket.kind === 'alternative') {
        const left = optionsOf(brackets, bracket.group).filter((b) => b.id !== id);
        const dissolved = left.length > 0 && left.every((b) => b.delegation === '');
        for (const { from, to, mark } of rangesOf(state.doc, new Set(dissolved ? left.map((b) => b.id) : []))) tr.removeMark(from, to, mark);
        for (const { from, to } of rangesOf(state.doc, new Set([id])).reverse()) tr.delete(from, to);
      } else {
        for (const { from, to, mark } of rangesOf(state.doc, new Set([id]))) tr.removeMark(from, to, mark);
      }
      dispatch(tr.scrollIntoView());
    }
    return true;
  };
}

function rangesOf(doc: PMNode, ids: Set<string>): { from: number; to: number; mark: Mark }[] {
  const ranges: { from: number; to: number; mark: Mark }[] = [];
  doc.descendants((node, pos) => {
    if (!node.isText) return true;
    for (const mark of bracketMarks(node.marks)) if (ids.has(attrsOf(mark).id)) ranges.push({ from: pos, to: pos + node.nodeSize, mark });
    return false;
  });
  return ranges;
}
