import { Plugin } from 'prosemirror-state';
import type { Command, EditorState } from 'prosemirror-state';
import type { EditorView } from 'prosemirror-view';
import { h } from '../app/dom.ts';
import { undoCommand, redoCommand } from 'y-prosemirror';
import { cycleNumbering, insertSection, OPERATIVE_KEYWORDS, PREAMBLE_KEYWORDS, sectionAt } from '../../shared/editing/sections.ts';
import { isBlock, isList, isMarkActive, makeParagraph, marks, nodes, toggleHeading, toggleBold, toggleBulletList, toggleItalic, toggleOrderedList } from './commands.ts';
import { shortcutLabel } from './shortcuts.ts';

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

const GROUPS: ToolbarItem[][] = [
  [
    {
      text: 'Paragraph',
      label: 'Paragraph',
      shortcut: shortcutLabel('paragraph'),
      command: makeParagraph,
      active: (s) => isBlock(s, nodes.paragraph) && !isList(s, nodes.bulletList) && !isList(s, nodes.orderedList),
    },
    { text: 'Heading', label: 'Heading', shortcut: shortcutLabel('heading'), command: toggleHeading, active: (s) => isBlock(s, nodes.heading) },
  ],
  [
    { text: '• List', label: 'Bullet list', shortcut: shortcutLabel('bullet-list'), command: toggleBulletList, active: (s) => isList(s, nodes.bulletList) },
    { text: '1. List', label: '1. List (numbered list)', shortcut: shortcutLabel('ordered-list'), command: toggleOrderedList, active: (s) => isList(s, nodes.orderedList) },
  ],
  [
    { text: 'B', label: 'Bold', shortcut: shortcutLabel('bold'), className: 'tool-bold', command: toggleBold, active: (s) => isMarkActive(s, marks.strong) },
    { text: 'I', label: 'Italic', shortcut: shortcutLabel('italic'), className: 'tool-italic', command: toggleItalic, active: (s) => isMarkActive(s, marks.em) },
  ],
  [
    { text: '↶', label: 'Undo your last edit', shortcut: shortcutLabel('undo'), command: undoCommand },
    { text: '↷', label: 'Redo', shortcut: shortcutLabel('redo'), command: redoCommand },
  ],
];

/** More tools a page adds to the toolbar (brackets, for instance): an element and how it follows the editor. */
export type ToolGroup = (view: EditorView) => { element: HTMLElement; update(view: EditorView): void };

export function toolbarPlugin(mount: HTMLElement, extra: ToolGroup[] = []): Plugin {
  return new Plugin({
    view(view) {
      const buttons: { item: ToolbarItem; button: HTMLButtonElement }[] = [];
      const bar = h('div', { class: 'toolbar', role: 'toolbar', 'aria-label': 'Formatting', 'aria-controls': 'document-text' });
      for (const group of GROUPS) {
        const groupElement = h('div', { class: 'toolbar-group' });
        for (const item of group) {
          const button = h(
            'button',
            {
              type: 'button',
              class: `tool ${item.className ?? ''}`.trim(),
              'aria-label': item.label,
              title: item.shortcut ? `${item.label} (${item.shortcut})` : item.label,
            },
            item.text,
          );
          // Keep the editor's selection: act on mousedown focus-less, then give focus back.
          button.addEventListener('mousedown', (event) => event.preventDefault());
          button.addEventListener('click', () => run(view, item.command));
          groupElement.append(button);
          buttons.push({ item, button });
        }
        bar.append(groupElement);
      }
      const structure = structureTools(view);
      bar.insertBefore(structure.element, bar.lastElementChild);
      const extras = extra.map((group) => group(view));
      for (const group of extras) bar.insertBefore(group.element, bar.lastElementChild);
      // Arrow keys move between the buttons, as in any toolbar (the page's tools included).
      bar.addEventListener('keydown', (event) => {
        if (event.key !== 'ArrowLeft' && event.key !== 'ArrowRight') return;
        const enabled = [...bar.querySelectorAll<HTMLButtonElement>('button.tool:not(:disabled)')];
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
        structure.update(v);
        for (const group of extras) group.update(v);
      };
      update(view);
      return { update, destroy: () => bar.remove() };
    },
  });
}

export function run(view: EditorView, command: Command): void {
  command(view.state, view.dispatch, view);
  view.focus();
}

const NUMBERING_TEXT: Record<string, { text: string; label: string }> = {
  letters: { text: 'a) b)', label: 'lettered a), b), c)' },
  numbers: { text: '1 2', label: 'numbered 1, 2, 3' },
  none: { text: '¶', label: 'not numbered' },
  dashes: { text: '– –', label: 'dashes – (as imported); change to number it' },
};

/**
 * The resolution tools: insert a section with a chosen keyword (the common ones listed, any other
 * typed), and switch the numbering of the section holding the cursor (letters, numbers, none).
 */
function structureTools(view: EditorView): { element: HTMLElement; update(v: EditorView): void } {
  const OTHER = '\u0000other';
  const select = h(
    'select',
    { class: 'tool tool-select', 'aria-label': 'Insert a section after this one', title: 'Insert a section after this one' },
    h('option', { value: '' }, '+ Section…'),
    h('optgroup', { label: 'Preamble' }, ...PREAMBLE_KEYWORDS.map((k) => h('option', { value: k }, k))),
    h('optgroup', { label: 'Operative' }, ...OPERATIVE_KEYWORDS.map((k) => h('option', { value: k }, k))),
    h('option', { value: OTHER }, 'Other keyword…'),
  );
  select.addEventListener('change', () => {
    let keyword = select.value;
    select.value = '';
    if (keyword === OTHER) keyword = window.prompt('Keyword of the new section (e.g. "noting with concern"):')?.trim() ?? '';
    if (keyword) run(view, insertSection(keyword));
  });
  const numbering = h('button', { type: 'button', class: 'tool tool-numbering' });
  numbering.addEventListener('mousedown', (event) => event.preventDefault());
  numbering.addEventListener('click', () => run(view, cycleNumbering));
  const element = h('div', { class: 'toolbar-group' }, select, numbering);
  return {
    element,
    update(v) {
      select.disabled = !v.editable;
      const section = sectionAt(v.state);
      const style = NUMBERING_TEXT[(section?.node.attrs.numbering as string) ?? 'letters']!;
      numbering.textContent = style.text;
      numbering.disabled = !v.editable || !section;
      // the name starts with what the button shows, so speech input ("click a b") finds it
      const label = section ? `${style.text}: numbering of this section, ${style.label}. Change (${shortcutLabel('numbering')})` : `${style.text}: numbering of a section (put the cursor in one)`;
      numbering.setAttribute('aria-label', label);
      numbering.title = label;
    },
  };
}
