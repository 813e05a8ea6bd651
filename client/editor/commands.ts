import type { NodeType, MarkType } from 'prosemirror-model';
import type { Command, EditorState } from 'prosemirror-state';
import { setBlockType, toggleMark } from 'prosemirror-commands';
import { liftListItem, wrapInList } from 'prosemirror-schema-list';
import { schema } from '../../shared/schema/index.ts';

/**
 * The formatting commands of the editor, shared by the toolbar and the keymap so a button and its
 * shortcut always do the same thing.
 */
const { paragraph, heading, bullet_list: bulletList, ordered_list: orderedList, list_item: listItem } = schema.nodes as Record<string, NodeType>;
const { strong, em } = schema.marks as Record<string, MarkType>;

export const makeParagraph: Command = setBlockType(paragraph!);
export const makeHeading: Command = setBlockType(heading!, { level: 2 });
/** Heading on a paragraph; back to a paragraph on a heading. */
export const toggleHeading: Command = (state, dispatch, view) => (isBlock(state, heading!) ? makeParagraph(state, dispatch, view) : makeHeading(state, dispatch, view));
export const toggleBold: Command = toggleMark(strong!);
export const toggleItalic: Command = toggleMark(em!);
export const toggleBulletList: Command = toggleList(bulletList!);
export const toggleOrderedList: Command = toggleList(orderedList!);

/** Wraps the selection in a list of this type, or lifts it out when it already is one. */
function toggleList(type: NodeType): Command {
  const wrap = wrapInList(type);
  const lift = liftListItem(listItem!);
  return (state, dispatch, view) => (innermostList(state) === type ? lift(state, dispatch, view) : wrap(state, dispatch, view));
}

/** The type of the list the selection is in, if any. */
function innermostList(state: EditorState): NodeType | null {
  const { $from } = state.selection;
  for (let depth = $from.depth; depth > 0; depth--) {
    const type = $from.node(depth).type;
    if (type === bulletList || type === orderedList) return type;
  }
  return null;
}

/** Whether the selection's textblock is of this type (and level, for headings). */
export function isBlock(state: EditorState, type: NodeType, attrs?: Record<string, unknown>): boolean {
  const { $from, to } = state.selection;
  if (to > $from.end()) return false;
  const parent = $from.parent;
  return parent.type === type && (!attrs || Object.entries(attrs).every(([k, v]) => parent.attrs[k] === v));
}

export function isList(state: EditorState, type: NodeType): boolean {
  return innermostList(state) === type;
}

/** Whether a mark is on at the cursor (stored or present) or across the whole selection. */
export function isMarkActive(state: EditorState, type: MarkType): boolean {
  const { from, $from, to, empty } = state.selection;
  if (empty) return Boolean(type.isInSet(state.storedMarks ?? $from.marks()));
  return state.doc.rangeHasMark(from, to, type);
}

export const nodes = { paragraph: paragraph!, heading: heading!, bulletList: bulletList!, orderedList: orderedList!, listItem: listItem! };
export const marks = { strong: strong!, em: em! };
