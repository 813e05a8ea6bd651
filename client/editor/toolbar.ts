import { Plugin } from 'prosemirror-state';
import type { Command, EditorState } from 'prosemirror-state';
import type { EditorView } from 'prosemirror-view';
import { h } from '../app/dom.ts';
import { undoCommand, redoCommand } from 'y-prosemirror';
import {
  isBlock, isList, isMarkActive, makeParagraph, marks, nodes, toggleHeading,
  toggleBold, toggleBulletList, toggleItalic, toggleOrderedList,
} from './commands.ts';

/**
 * The formatting toolbar. It is a ProseMirror plugin view, so its buttons follow every state
 * change: pressed when the format is on at the cursor, disabled when the command cannot apply.
 */
interface ToolbarItem {
  /** Visible text of the button (short). */
  text: string;
  /** What the button does, for screen readers and the tooltip. */
  label: string;
  shortcut?: string;
  className?: string;
  command: Command;
  /** When present, the button is a toggle and reports its state with aria-pressed. */
  active?: (state: EditorState) => boolean;
}

const mod = /Mac|iPhone|iPad/.test(navigator.platform) ? '⌘' : 'Ctrl+';

const GROUPS: ToolbarItem[][] = [
  [
    { text: 'Paragraph', label: 'Paragraph', shortcut: `${mod}Alt+0`, command: makeParagraph, active: (s) => isBlock(s, nodes.paragraph) && !isList(s, nodes.bulletList) && !isList(s, nodes.orderedList) },
    { text: 'Heading', label: 'Heading', shortcut: `${mod}Alt+2`, command: toggleHeading, active: (s) => isBlock(s, nodes.heading) },
  ],
  [
    { text: '• List', label: 'Bullet list', shortcut: `${mod}Shift+8`, command: toggleBulletList, active: (s) => isList(s, nodes.bulletList) },
    { text: '1. List', label: 'Numbered list', shortcut: `${mod}Shift+7`, command: toggleOrderedList, active: (s) => isList(s, nodes.orderedList) },
  ],
  [
    { text: 'B', label: 'Bold', shortcut: `${mod}B`, className: 'tool-bold', command: toggleBold, active: (s) => isMarkActive(s, marks.strong) },
    { text: 'I', label: 'Italic', shortcut: `${mod}I`, className: 'tool-italic', command: toggleItalic, active: (s) => isMarkActive(s, marks.em) },
  ],
  [
    { text: '↶', label: 'Undo your last edit', shortcut: `${mod}Z`, command: undoCommand },
    { text: '↷', label: 'Redo', shortcut: `${mod}Y`, command: redoCommand },
  ],
];

export function toolbarPlugin(mount: HTMLElement): Plugin {
  return new Plugin({
    view(view) {
      const buttons: { item: ToolbarItem; button: HTMLButtonElement }[] = [];
      const bar = h('div', { class: 'toolbar', role: 'toolbar', 'aria-label': 'Formatting', 'aria-controls': 'document-text' });
      for (const group of GROUPS) {
        const groupElement = h('div', { class: 'toolbar-group' });
        for (const item of group) {
          const button = h('button', {
            type: 'button',
            class: `tool ${item.className ?? ''}`.trim(),
            'aria-label': item.label,
            title: item.shortcut ? `${item.label} (${item.shortcut})` : item.label,
          }, item.text);
          // Keep the editor's selection: act on mousedown focus-less, then give focus back.
          button.addEventListener('mousedown', (event) => event.preventDefault());
          button.addEventListener('click', () => run(view, item.command));
          groupElement.append(button);
          buttons.push({ item, button });
        }
        bar.append(groupElement);
      }
      // Arrow keys move between the buttons, as in any toolbar.
      bar.addEventListener('keydown', (event) => {
        if (event.key !== 'ArrowLeft' && event.key !== 'ArrowRight') return;
        const enabled = buttons.map((b) => b.button).filter((b) => !b.disabled);
        const index = enabled.indexOf(document.activeElement as HTMLButtonElement);
        if (index < 0) return;
        event.preventDefault();
        enabled[(index + (event.key === 'ArrowRight' ? 1 : enabled.length - 1)) % enabled.length]!.focus();
      });
      mount.append(bar);
      const update = (v: EditorView) => {
        for (const { item, button } of buttons) {
          const active = item.active?.(v.state) ?? false;
          // A pressed toggle stays enabled even when pressing it again changes nothing.
          button.disabled = !v.editable || (!active && !item.command(v.state));
          if (item.active) button.setAttribute('aria-pressed', String(active));
        }
      };
      update(view);
      return { update, destroy: () => bar.remove() };
    },
  });
}

function run(view: EditorView, command: Command): void {
  command(view.state, view.dispatch, view);
  view.focus();
}
