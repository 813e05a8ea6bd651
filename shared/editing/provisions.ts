import { Fragment } from 'prosemirror-model';
import type { Node as PMNode, ResolvedPos } from 'prosemirror-model';
import { TextSelection } from 'prosemirror-state';
import type { Command, EditorState, Transaction } from 'prosemirror-state';
import { schema } from '../schema/index.ts';
import { newId } from '../ids.ts';

/**
 * Editing that keeps the structure of a resolution: Enter makes the next provision, Tab makes a
 * provision a sub-item of the one before, Shift-Tab (or Backspace at its start) makes a sub-item a
 * provision again, Backspace at the start of a provision joins it to the one before. Pure
 * ProseMirror commands, so the editor and the tests run exactly the same code. Written to the
 * shared text, most of them delete a line and write it anew elsewhere (Yjs cannot move it); what
 * another delegation was typing there meanwhile is kept by late-typing.ts, on its side.
 */
const { provision, sub_item: subItem, paragraph, section } = schema.nodes as Record<string, import('prosemirror-model').NodeType>;

/** Attributes of a provision or sub-item that a proposal adds: no base, marker from the text. */
export function newItemAttrs(): Record<string, unknown> {
  return { id: newId('p'), marker: null, reference: '', reasons: '', baseText: null, baseLabel: null };
}

/** The provision or sub-item whose text holds the cursor, with its depth, position and parent. */
export interface ItemAt {
  node: PMNode;
  depth: number;
  pos: number;
  /** The section (for a provision) or provision (for a sub-item) it belongs to. */
  parent: PMNode;
  parentPos: number;
  index: number;
}

export function itemAt($pos: ResolvedPos): ItemAt | null {
  if ($pos.parent.type !== paragraph || $pos.depth < 2) return null;
  const depth = $pos.depth - 1;
  const node = $pos.node(depth);
  if (node.type !== provision && node.type !== subItem) return null;
  return { node, depth, pos: $pos.before(depth), parent: $pos.node(depth - 1), parentPos: depth - 1 === 0 ? -1 : $pos.before(depth - 1), index: $pos.index(depth - 1) };
}

const withCursor = (tr: Transaction, pos: number) => tr.setSelection(TextSelection.create(tr.doc, pos)).scrollIntoView();

/**
 * Enter in a provision or sub-item: at its start, a new empty one before it (the text keeps its
 * identity and base); in the middle, split in two; at the end, the next one — or, for a provision
 * with sub-items, its first sub-item. Enter in an empty sub-item makes it a provision.
 */
export const splitProvision: Command = (state, dispatch) => {
  const { $from, $to } = state.selection;
  const item = itemAt($from);
  if (!item || !$from.sameParent($to)) return false;
  if (item.node.type === subItem && $from.parent.content.size === 0) return liftSubItem(state, dispatch);
  if (!dispatch) return true;
  const tr = state.tr.deleteSelection();
  const $pos = tr.selection.$from;
  const atStart = $pos.parentOffset === 0 && $pos.parent.content.size > 0;
  const atEnd = $pos.parentOffset === $pos.parent.content.size;
  const fresh = () => item.node.type.create(newItemAttrs(), paragraph!.create());
  if (atStart) {
    tr.insert(item.pos, fresh());
    dispatch(tr.scrollIntoView());
    return true;
  }
  if (atEnd && item.node.type === provision && item.node.childCount > 1) {
    const at = $pos.after(); // after the provision's own paragraph: its first sub-item goes here
    tr.insert(at, subItem!.create(newItemAttrs(), paragraph!.create()));
    dispatch(withCursor(tr, at + 2));
    return true;
  }
  tr.split($pos.pos, 2, [{ type: item.node.type, attrs: newItemAttrs() }, { type: paragraph! }]);
  dispatch(tr.scrollIntoView());
  return true;
};

/** Tab in a provision (not the first of its section): it becomes the last sub-item of the provision before, its own sub-items following it. */
export const sinkProvision: Command = (state, dispatch) => {
  const { $from } = state.selection;
  const item = itemAt($from);
  if (!item || item.node.type !== provision || item.index === 0) return false;
  const previous = item.parent.child(item.index - 1);
  if (previous.type !== provision) return false;
  if (dispatch) {
    const previousPos = item.pos - previous.nodeSize;
    const ownSubItems: PMNode[] = [];
    item.node.forEach((child, _offset, i) => i > 0 && ownSubItems.push(child));
    const asSubItem = subItem!.create({ ...item.node.attrs, baseLabel: null }, item.node.firstChild!);
    const merged = previous.copy(previous.content.append(Fragment.from([asSubItem, ...ownSubItems])));
    const tr = state.tr.replaceWith(previousPos, item.pos + item.node.nodeSize, merged);
    dispatch(withCursor(tr, previousPos + 1 + previous.content.size + 2 + $from.parentOffset));
  }
  return true;
};

/** Shift-Tab in a sub-item: it becomes the provision after its parent, taking the sub-items after it. */
export const liftSubItem: Command = (state, dispatch) => {
  const { $from } = state.selection;
  const item = itemAt($from);
  if (!item || item.node.type !== subItem) return false;
  if (dispatch) {
    const parent = item.parent;
    const kept: PMNode[] = [];
    const following: PMNode[] = [];
    parent.forEach((child, _offset, i) => (i < item.index ? kept : i > item.index ? following : []).push(child));
    const trimmed = parent.copy(Fragment.from(kept));
    const lifted = provision!.create({ ...item.node.attrs, baseLabel: null }, [item.node.firstChild!, ...following]);
    const tr = state.tr.replaceWith(item.parentPos, item.parentPos + parent.nodeSize, [trimmed, lifted]);
    dispatch(withCursor(tr, item.parentPos + trimmed.nodeSize + 2 + $from.parentOffset));
  }
  return true;
};

/**
 * Backspace at the very start of a provision or sub-item. A sub-item becomes a provision; an empty
 * provision is removed (unless it is its section's only one); a provision with text joins the
 * provision before, its text appended to the last line there. At the start of a section's first
 * provision nothing happens, so the keyword and the structure around it stay whole.
 */
export const joinProvisionBackward: Command = (state, dispatch) => {
  const { $from, empty } = state.selection;
  if (!empty || $from.parentOffset > 0) return false;
  const item = itemAt($from);
  if (!item) return false;
  if (item.node.type === subItem) return liftSubItem(state, dispatch);
  const previous = item.index > 0 ? item.parent.child(item.index - 1) : null;
  if (!previous || previous.type !== provision) {
    const emptyItem = item.node.childCount === 1 && item.node.firstChild!.content.size === 0;
    const others = countChildren(item.parent, provision!) > 1;
    if (emptyItem && others) {
      if (dispatch) {
        const tr = state.tr.delete(item.pos, item.pos + item.node.nodeSize);
        dispatch(withCursor(tr, Math.min(item.pos + 2, tr.doc.content.size)));
      }
    }
    return true; // swallowed: a default join would pull the text into the keyword
  }
  if (dispatch) dispatch(mergeIntoPrevious(state.tr, item.pos, item.node, previous));
  return true;
};

/** Delete at the very end of a provision's last line: the next provision of the section joins it. */
export const joinProvisionForward: Command = (state, dispatch) => {
  const { $from, empty } = state.selection;
  if (!empty || $from.parentOffset < $from.parent.content.size) return false;
  const item = itemAt($from);
  if (!item || item.node.type !== provision) return false;
  if ($from.index(item.depth) !== item.node.childCount - 1) return false; // not the provision's last line
  const next = item.index + 1 < item.parent.childCount ? item.parent.child(item.index + 1) : null;
  if (!next || next.type !== provision) return true; // end of the section: keep the next section's keyword whole
  if (dispatch) dispatch(mergeIntoPrevious(state.tr, item.pos + item.node.nodeSize, next, item.node));
  return true;
};

/** Joins `item` (at `pos`) into `previous` (just before it): its first line onto previous's last line, its sub-items after. */
function mergeIntoPrevious(tr: Transaction, pos: number, item: PMNode, previous: PMNode): Transaction {
  const previousPos = pos - previous.nodeSize;
  const last = previous.lastChild!;
  const lastLine = last.type === subItem ? last.firstChild! : last;
  const joinedLine = lastLine.copy(lastLine.content.append(item.firstChild!.content));
  const rest: PMNode[] = [];
  item.forEach((child, _offset, i) => i > 0 && rest.push(child));
  const newLast = last.type === subItem ? last.copy(Fragment.from(joinedLine)) : joinedLine;
  const children: PMNode[] = [];
  previous.forEach((child, _offset, i) => children.push(i === previous.childCount - 1 ? newLast : child));
  const merged = previous.copy(Fragment.from([...children, ...rest]));
  // the cursor goes where the two texts meet: the end of previous's last line
  const joinAt = previousPos + previous.nodeSize - 1 - (last.type === subItem ? 2 : 1);
  tr.replaceWith(previousPos, pos + item.nodeSize, merged);
  return withCursor(tr, joinAt);
}

function countChildren(node: PMNode, type: import('prosemirror-model').NodeType): number {
  let n = 0;
  node.forEach((child) => child.type === type && n++);
  return n;
}

/** Whether the cursor is in a section's keyword or introductory line. */
export function inSectionHead(state: EditorState): boolean {
  const parent = state.selection.$from.parent.type.name;
  return parent === 'keyword' || parent === 'intro';
}

/** Enter at the end of a keyword or introductory line: go on to the first line below it, never split it. */
export const enterFromSectionHead: Command = (state, dispatch) => {
  const { $from } = state.selection;
  if (!inSectionHead(state) || $from.node($from.depth - 1).type !== section) return false;
  if (dispatch) {
    const after = $from.after();
    dispatch(state.tr.setSelection(TextSelection.near(state.doc.resolve(after + 1))).scrollIntoView());
  }
  return true;
};
