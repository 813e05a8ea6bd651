import { expect } from 'vitest';
import type { Node as PMNode } from 'prosemirror-model';
import { EditorState, TextSelection } from 'prosemirror-state';
import type { Command } from 'prosemirror-state';
import type * as Y from 'yjs';
import { initProseMirrorDoc, updateYFragment } from 'y-prosemirror';
import { schema } from '../../shared/schema/index.ts';
import { labels } from '../../shared/numbering.ts';
import { TEXT_FRAGMENT } from '../../shared/protocol.ts';

/** A state with the cursor just after (or at the start of, or `offset` into) the first occurrence of `text`. */
export function stateAt(doc: PMNode, text: string, where: 'start' | 'end' | number = 'end'): EditorState {
  let found = -1;
  doc.descendants((node, pos) => {
    if (found >= 0) return false;
    if (node.isText && node.text!.includes(text)) found = pos + node.text!.indexOf(text);
    return true;
  });
  if (found < 0) throw new Error(`"${text}" not in the document`);
  const at = where === 'start' ? found : where === 'end' ? found + text.length : found + where;
  return EditorState.create({ doc, selection: TextSelection.create(doc, at) });
}

/** Runs a command, failing the test when it does not apply; checks the result against the schema. */
export function run(state: EditorState, command: Command): EditorState {
  let next: EditorState | null = null;
  expect(command(state, (tr) => (next = state.apply(tr)))).toBe(true);
  next!.doc.check();
  return next!;
}

export const typeText = (state: EditorState, text: string) => state.apply(state.tr.insertText(text));

/** Each provision and sub-item as "label text", in document order. */
export function outline(doc: PMNode): string[] {
  const map = labels(doc);
  const out: string[] = [];
  doc.descendants((node, pos) => {
    if (node.type.name === 'provision' || node.type.name === 'sub_item') {
      out.push(`${node.type.name === 'sub_item' ? '  ' : ''}${map.get(pos)?.printed ?? '-'} ${node.firstChild!.textContent}`);
    }
    return true;
  });
  return out;
}

/**
 * Edits a shared text as the browser editor does: reads it into ProseMirror, runs `edit` on an
 * editor state, and writes the result back through y-prosemirror's own diffing (updateYFragment),
 * so the Yjs operations are the ones a real editor would send.
 */
export function editShared(ydoc: Y.Doc, edit: (doc: PMNode) => EditorState): void {
  const fragment = ydoc.getXmlFragment(TEXT_FRAGMENT);
  const { doc, meta } = initProseMirrorDoc(fragment, schema);
  const next = edit(doc);
  ydoc.transact(() => updateYFragment(ydoc, fragment, next.doc, meta), 'editor');
}
