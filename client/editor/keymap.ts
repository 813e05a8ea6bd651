import type { Plugin } from 'prosemirror-state';
import { keymap } from 'prosemirror-keymap';
import { baseKeymap } from 'prosemirror-commands';
import { editorBindings } from './shortcuts.ts';

/**
 * Keyboard bindings: every shortcut of the table in shortcuts.ts that carries a command — undo/redo
 * through the Yjs undo manager (so one only undoes one's own edits, never another delegation's),
 * the resolution structure, lists, marks and block types — then ProseMirror's base keymap. The help
 * overlay lists the same table. Tab where it cannot indent (outside a list, on a section's first
 * provision) is left to the browser, so keyboard users can leave the editor.
 */
export function editorKeymaps(): Plugin[] {
  return [keymap(editorBindings()), keymap(baseKeymap)];
}
