import { TextSelection } from 'prosemirror-state';
import type { Command, EditorState } from 'prosemirror-state';
import type { Node as PMNode, NodeType } from 'prosemirror-model';
import { schema, NUMBERING_STYLES } from '../schema/index.ts';
import type { NumberingStyle, SectionPart } from '../schema/index.ts';
import { newId } from '../ids.ts';
import { newItemAttrs } from './provisions.ts';

/**
 * Sections of a resolution: inserting one with its keyword, and choosing how its provisions are
 * numbered. The keyword lists are the phrases ITU texts use most; any other text is allowed.
 */
export const PREAMBLE_KEYWORDS = [
  'recalling',
  'recognizing',
  'noting',
  'considering',
  'considering further',
  'bearing in mind',
  'emphasizing',
  'taking into account',
  'aware',
  'convinced',
  'noting with satisfaction',
  'having regard to',
] as const;
export const OPERATIVE_KEYWORDS = [
  'resolves',
  'decides',
  'instructs the Secretary-General',
  'instructs the Directors of the three Bureaux',
  'instructs the Secretary-General, in consultation with the Directors of the three Bureaux',
  'invites Member States',
  'invites Member States and Sector Members',
  'requests',
  'encourages',
  'invites the Council',
] as const;

const { section, keyword, provision, paragraph } = schema.nodes as Record<string, NodeType>;

/** The part a keyword belongs to: operative for the verbs that act, preamble otherwise. */
export function partOfKeyword(text: string): SectionPart {
  return /^(further |also )?(resolves|decides|instructs|invites|requests|encourages|urges|calls upon|recommends|charges|approves|adopts|agrees|endorses|authorizes|entrusts)\b/i.test(text.trim())
    ? 'operative'
    : 'preamble';
}

/** The section around the cursor, if any. */
export function sectionAt(state: EditorState): { node: PMNode; pos: number } | null {
  const { $from } = state.selection;
  for (let depth = $from.depth; depth > 0; depth--) {
    if ($from.node(depth).type === section) return { node: $from.node(depth), pos: $from.before(depth) };
  }
  return null;
}

/**
 * Inserts a section with this keyword after the section the cursor is in (or after the last
 * section, or at the end), with one empty provision; preamble sections are lettered, operative
 * ones numbered. The cursor lands in the new provision.
 */
export function insertSection(keywordText: string): Command {
  return (state, dispatch) => {
    const text = keywordText.replace(/\s+/g, ' ').trim();
    if (!text) return false;
    const at = insertionPoint(state);
    if (at === null) return false;
    if (dispatch) {
      const part = partOfKeyword(text);
      const node = section!.create({ id: newId('s'), part, numbering: part === 'operative' ? 'numbers' : 'letters' }, [
        keyword!.create(null, schema.text(text)),
        provision!.create(newItemAttrs(), paragraph!.create()),
      ]);
      const tr = state.tr.insert(at, node);
      const cursor = at + 1 + node.child(0).nodeSize + 2;
      dispatch(tr.setSelection(TextSelection.create(tr.doc, cursor)).scrollIntoView());
    }
    return true;
  };
}

/** Where a new section goes: after the current one, else after the last one, else before the annexes. */
function insertionPoint(state: EditorState): number | null {
  const current = sectionAt(state);
  if (current) return current.pos + current.node.nodeSize;
  let lastSectionEnd: number | null = null;
  let firstAnnex: number | null = null;
  state.doc.forEach((node, offset) => {
    if (node.type === section) lastSectionEnd = offset + node.nodeSize;
    if (node.type.name === 'annex' && firstAnnex === null) firstAnnex = offset;
  });
  return lastSectionEnd ?? firstAnnex ?? state.doc.content.size;
}

/** Sets how the current section's provisions are numbered: a) b) c), 1 2 3, or none. */
export function setNumbering(style: NumberingStyle): Command {
  return (state, dispatch) => {
    const current = sectionAt(state);
    if (!current) return false;
    if (current.node.attrs.numbering === style) return false;
    dispatch?.(state.tr.setNodeMarkup(current.pos, undefined, { ...current.node.attrs, numbering: style }));
    return true;
  };
}

/** The next numbering style after the current section's: letters → numbers → none → letters. */
export const cycleNumbering: Command = (state, dispatch) => {
  const current = sectionAt(state);
  if (!current) return false;
  const index = NUMBERING_STYLES.indexOf(current.node.attrs.numbering as NumberingStyle);
  return setNumbering(NUMBERING_STYLES[(index + 1) % NUMBERING_STYLES.length]!)(state, dispatch);
};
