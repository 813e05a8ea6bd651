import type { Plugin } from 'prosemirror-state';
import { keymap } from 'prosemirror-keymap';
import { baseKeymap, chainCommands, exitCode } from 'prosemirror-commands';
import { liftListItem, sinkListItem, splitListItem } from 'prosemirror-schema-list';
import { redo, undo } from 'y-prosemirror';
import {
  enterFromSectionHead, joinProvisionBackward, joinProvisionForward, liftSubItem, sinkProvision, splitProvision,
} from '../../shared/editing/provisions.ts';
import { cycleNumbering } from '../../shared/editing/sections.ts';
import { makeParagraph, nodes, toggleBold, toggleBulletList, toggleHeading, toggleItalic, toggleOrderedList } from './commands.ts';

/**
 * Keyboard bindings, most specific first: undo/redo through the Yjs undo manager (so one only undoes
 * one's own edits, never another delegation's), lists, marks and block types, then ProseMirror's base
 * keymap. Tab where it cannot indent (outside a list, on a section's first provision) is left to
 * the browser, so keyboard users can leave the editor.
 */
export function editorKeymaps(): Plugin[] {
  const insertBreak = chainCommands(exitCode, (state, dispatch) => {
    dispatch?.(state.tr.replaceSelectionWith(nodes.paragraph.schema.nodes.hard_break!.create()).scrollIntoView());
    return true;
  });
  return [
    keymap({
      'Mod-z': undo,
      'Mod-y': redo,
      'Mod-Shift-z': redo,
    }),
    keymap({
      // Resolution structure first (shared/editing/provisions.ts), then Council lists.
      Enter: chainCommands(enterFromSectionHead, splitProvision, splitListItem(nodes.listItem)),
      Tab: chainCommands(sinkProvision, sinkListItem(nodes.listItem)),
      'Shift-Tab': chainCommands(liftSubItem, liftListItem(nodes.listItem)),
      Backspace: joinProvisionBackward,
      Delete: joinProvisionForward,
      'Mod-Alt-n': cycleNumbering,
      'Mod-b': toggleBold,
      'Mod-i': toggleItalic,
      'Shift-Enter': insertBreak,
      'Mod-Alt-0': makeParagraph,
      'Mod-Alt-2': toggleHeading,
      'Mod-Shift-8': toggleBulletList,
      'Mod-Shift-7': toggleOrderedList,
    }),
    keymap(baseKeymap),
  ];
}
