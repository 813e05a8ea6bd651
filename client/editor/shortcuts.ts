import type { Command } from 'prosemirror-state';
import { chainCommands, exitCode } from 'prosemirror-commands';
import { liftListItem, sinkListItem, splitListItem } from 'prosemirror-schema-list';
import { redo, undo } from 'y-prosemirror';
import { enterFromSectionHead, joinProvisionBackward, joinProvisionForward, liftSubItem, sinkProvision, splitProvision } from '../../shared/editing/provisions.ts';
import { cycleNumbering } from '../../shared/editing/sections.ts';
import { makeParagraph, nodes, toggleBold, toggleBulletList, toggleHeading, toggleItalic, toggleOrderedList } from './commands.ts';

/**
 * Every keyboard shortcut of the document page, in one table: the editor's keymap is built from the
 * entries that carry a command (keymap.ts), the toolbar's tooltips and the help overlay
 * (shortcuts-help.ts) read their keys from here, so what the help says is what the keys do.
 *
 * Keys are written as prosemirror-keymap writes them: `Mod-Alt-n` is Ctrl+Alt+N (⌘⌥N on a Mac).
 */
export type ShortcutGroup = 'Provisions and sections' | 'Text' | 'Brackets' | 'Comments' | 'History' | 'Page';

export interface Shortcut {
  id: string;
  keys: string[];
  /** What the keys do, as the help overlay says it. */
  what: string;
  group: ShortcutGroup;
  /** The editor command bound to the keys; absent for keys the page or another plugin handles. */
  command?: Command;
}

const nodeSchema = nodes.paragraph.schema;
const insertBreak: Command = chainCommands(exitCode, (state, dispatch) => {
  dispatch?.(state.tr.replaceSelectionWith(nodeSchema.nodes.hard_break!.create()).scrollIntoView());
  return true;
});

export const SHORTCUTS: readonly Shortcut[] = [
  // Resolution structure first (shared/editing/provisions.ts), then Council lists.
  {
    id: 'split',
    keys: ['Enter'],
    what: 'New provision (at the end of one); an empty one before it (at its start)',
    group: 'Provisions and sections',
    command: chainCommands(enterFromSectionHead, splitProvision, splitListItem(nodes.listItem)),
  },
  {
    id: 'sink',
    keys: ['Tab'],
    what: 'Make the provision a sub-item of the one before (in a list: indent)',
    group: 'Provisions and sections',
    command: chainCommands(sinkProvision, sinkListItem(nodes.listItem)),
  },
  {
    id: 'lift',
    keys: ['Shift-Tab'],
    what: 'Make the sub-item a provision again (in a list: outdent)',
    group: 'Provisions and sections',
    command: chainCommands(liftSubItem, liftListItem(nodes.listItem)),
  },
  { id: 'join-back', keys: ['Backspace'], what: 'At the start of a provision: join it to the one before', group: 'Provisions and sections', command: joinProvisionBackward },
  { id: 'join-forward', keys: ['Delete'], what: 'At the end of a provision: join the next one to it', group: 'Provisions and sections', command: joinProvisionForward },
  { id: 'numbering', keys: ['Mod-Alt-n'], what: 'Switch the section’s numbering: a) b), 1 2, none', group: 'Provisions and sections', command: cycleNumbering },
  { id: 'bold', keys: ['Mod-b'], what: 'Bold', group: 'Text', command: toggleBold },
  { id: 'italic', keys: ['Mod-i'], what: 'Italic', group: 'Text', command: toggleItalic },
  { id: 'line-break', keys: ['Shift-Enter'], what: 'Line break within the paragraph', group: 'Text', command: insertBreak },
  { id: 'paragraph', keys: ['Mod-Alt-0'], what: 'Paragraph', group: 'Text', command: makeParagraph },
  { id: 'heading', keys: ['Mod-Alt-2'], what: 'Heading (Council documents)', group: 'Text', command: toggleHeading },
  { id: 'bullet-list', keys: ['Mod-Shift-8'], what: 'Bullet list', group: 'Text', command: toggleBulletList },
  { id: 'ordered-list', keys: ['Mod-Shift-7'], what: 'Numbered list', group: 'Text', command: toggleOrderedList },
  { id: 'footnote', keys: ['Mod-Alt-f'], what: 'Insert a footnote at the caret (its text asked for beside it)', group: 'Text' },
  // The tools of the toolbar's bracket group (bracket-tools.ts binds them, with the delegation they bracket for).
  { id: 'bracket', keys: ['Mod-Alt-b'], what: 'Put the selection in square brackets for your delegation (or start bracketed text)', group: 'Brackets' },
  { id: 'awaiting', keys: ['Mod-Alt-/'], what: '[?] Bracket the selection as awaiting instructions from capital', group: 'Brackets' },
  { id: 'bracket-provision', keys: ['Mod-Alt-p'], what: '[¶] Bracket the whole provision', group: 'Brackets' },
  { id: 'alternative', keys: ['Mod-Alt-v'], what: 'Alt… Offer an alternative wording to the selection (or another option in an alternative)', group: 'Brackets' },
  { id: 'withdraw', keys: ['Mod-Alt-r'], what: '[×] Take back your bracket at the caret', group: 'Brackets' },
  { id: 'next-bracket', keys: ['Mod-Alt-.'], what: 'Go to the next open bracket (after the last, the first)', group: 'Brackets' },
  { id: 'previous-bracket', keys: ['Mod-Alt-,'], what: 'Go to the previous open bracket', group: 'Brackets' },
  { id: 'comment', keys: ['Mod-Alt-k'], what: 'Comment on the selection', group: 'Comments' },
  { id: 'next-thread', keys: ["Mod-Alt-'"], what: 'Go to the next open comment thread', group: 'Comments' },
  { id: 'previous-thread', keys: ['Mod-Alt-;'], what: 'Go to the previous open comment thread', group: 'Comments' },
  { id: 'undo', keys: ['Mod-z'], what: 'Undo your last edit (never another delegation’s)', group: 'History', command: undo },
  { id: 'redo', keys: ['Mod-y', 'Mod-Shift-z'], what: 'Redo', group: 'History', command: redo },
  { id: 'help', keys: ['?', 'Mod-/'], what: 'Show these shortcuts (? when not typing in the text)', group: 'Page' },
  { id: 'screen', keys: ['Escape'], what: 'Leave the chair’s screen mode, close this list or a popover, or dismiss a “Not done” note or a mention’s note', group: 'Page' },
];

export function shortcut(id: string): Shortcut {
  const found = SHORTCUTS.find((s) => s.id === id);
  if (!found) throw new Error(`no shortcut "${id}"`);
  return found;
}

/** The editor's bindings: every key of every entry that has a command. */
export function editorBindings(): Record<string, Command> {
  const bindings: Record<string, Command> = {};
  for (const entry of SHORTCUTS) {
    if (!entry.command) continue;
    for (const key of entry.keys) {
      if (bindings[key]) throw new Error(`${key} is bound twice`);
      bindings[key] = entry.command;
    }
  }
  return bindings;
}

/** Key bindings for entries whose command is made where its tool is (it needs the page's state): id → command. */
export function bindingsFor(commands: Record<string, Command>): Record<string, Command> {
  const bindings: Record<string, Command> = {};
  for (const [id, command] of Object.entries(commands)) for (const key of shortcut(id).keys) bindings[key] = command;
  return bindings;
}

const KEY_NAMES: Record<string, string> = { Mod: 'Ctrl', Alt: 'Alt', Shift: 'Shift', Ctrl: 'Ctrl', Meta: 'Meta', Backspace: 'Backspace', Delete: 'Delete', Enter: 'Enter', Tab: 'Tab', Escape: 'Esc' };
const MAC_NAMES: Record<string, string> = { Mod: '⌘', Alt: '⌥', Shift: '⇧', Ctrl: '⌃', Meta: '⌘' };

/** `Mod-Alt-n` → "Ctrl+Alt+N" (or "⌘⌥N" on a Mac), as people read keys. */
export function keyLabel(key: string, mac = false): string {
  // `Mod--` would be Ctrl and minus; a lone `-` is minus too.
  const parts = key.length > 1 && key.endsWith('-') ? [...key.slice(0, -2).split('-'), '-'] : key.split('-');
  const last = parts.pop()!;
  const mods = parts.map((m) => (mac ? (MAC_NAMES[m] ?? m) : (KEY_NAMES[m] ?? m)));
  const main = last.length === 1 ? last.toUpperCase() : (KEY_NAMES[last] ?? last);
  return mac ? [...mods, main].join('') : [...mods, main].join('+');
}

export const isMac = (): boolean => typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);

/** The first key of a shortcut, for tooltips: "Bold (Ctrl+B)". */
export function shortcutLabel(id: string): string {
  return keyLabel(shortcut(id).keys[0]!, isMac());
}
