import { h } from '../app/dom.ts';
import { SHORTCUTS, isMac, keyLabel, shortcut } from './shortcuts.ts';
import type { Shortcut, ShortcutGroup } from './shortcuts.ts';

/**
 * The keyboard shortcuts overlay: a modal dialog listing the table of shortcuts.ts by group. It
 * opens with `?` (when not typing), Ctrl+/ anywhere on the page, or its button; Escape or Close
 * shuts it and focus goes back where it was. As a modal `<dialog>` the rest of the page is inert,
 * and Tab cycles between its own controls.
 */
const ORDER: ShortcutGroup[] = ['Provisions and sections', 'Text', 'Brackets', 'Comments', 'History', 'Page'];

export interface ShortcutsHelp {
  /** The toolbar/header button that opens it. */
  button: HTMLButtonElement;
  open(): void;
  destroy(): void;
}

export function shortcutsHelp(options: { canEdit: boolean }): ShortcutsHelp {
  const mac = isMac();
  const shown = SHORTCUTS.filter((s) => options.canEdit || s.group === 'Page');
  const close = h('button', { type: 'button', class: 'button button-small shortcuts-close' }, 'Close');
  const dialog = h(
    'dialog',
    { class: 'shortcuts-dialog', 'aria-labelledby': 'shortcuts-title', 'aria-describedby': 'shortcuts-intro' },
    h('div', { class: 'shortcuts-head' }, h('h2', { id: 'shortcuts-title' }, 'Keyboard shortcuts'), close),
    h('p', { id: 'shortcuts-intro', class: 'muted' }, options.canEdit ? 'In the text of the document:' : 'You follow this document read-only; these keys work on the page:'),
    h(
      'div',
      { class: 'shortcuts-groups' },
      ORDER.map((group) => {
        const entries = shown.filter((s) => s.group === group);
        return (
          entries.length > 0 &&
          h(
            'section',
            { class: 'shortcuts-group', 'aria-labelledby': `shortcuts-${slug(group)}` },
            h('h3', { id: `shortcuts-${slug(group)}` }, group),
            h(
              'dl',
              { class: 'shortcuts-list' },
              entries.flatMap((s) => row(s, mac)),
            ),
          )
        );
      }),
    ),
  );
  document.body.append(dialog);

  let returnTo: Element | null = null;
  const open = () => {
    if (dialog.open) return;
    returnTo = document.activeElement;
    dialog.showModal();
    close.focus();
  };
  dialog.addEventListener('close', () => {
    if (returnTo instanceof HTMLElement && returnTo.isConnected) returnTo.focus();
    returnTo = null;
  });
  close.addEventListener('click', () => dialog.close());
  // Clicking the backdrop (outside the box) closes it too.
  dialog.addEventListener('click', (event) => {
    if (event.target === dialog) dialog.close();
  });
  // Keep Tab inside the dialog, even past its last control.
  dialog.addEventListener('keydown', (event) => {
    if (event.key !== 'Tab') return;
    const focusable = [...dialog.querySelectorAll<HTMLElement>('button, [href], [tabindex]:not([tabindex="-1"])')];
    const first = focusable[0];
    const last = focusable[focusable.length - 1];
    if (!first || !last) return;
    if (event.shiftKey && document.activeElement === first) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && document.activeElement === last) {
      event.preventDefault();
      first.focus();
    }
  });

  const onKey = (event: KeyboardEvent) => {
    if (dialog.open) return;
    const mod = mac ? event.metaKey : event.ctrlKey;
    if (mod && !event.altKey && event.key === '/') {
      event.preventDefault();
      open();
    } else if (event.key === '?' && !event.ctrlKey && !event.metaKey && !event.altKey && !isTyping(event.target)) {
      event.preventDefault();
      open();
    }
  };
  document.addEventListener('keydown', onKey);

  const button = h(
    'button',
    {
      type: 'button',
      class: 'button button-small button-quiet shortcuts-button',
      'aria-haspopup': 'dialog',
      title: `Keyboard shortcuts (${shortcut('help')
        .keys.map((key) => keyLabel(key, mac))
        .join(' or ')})`,
    },
    h('span', { 'aria-hidden': 'true' }, '⌨ '),
    'Shortcuts',
  );
  button.addEventListener('click', open);

  return {
    button,
    open,
    destroy() {
      document.removeEventListener('keydown', onKey);
      if (dialog.open) dialog.close();
      dialog.remove();
    },
  };
}

function row(s: Shortcut, mac: boolean): HTMLElement[] {
  return [
    h(
      'dt',
      {},
      s.keys.flatMap((key, i) => [i > 0 ? ' or ' : '', h('kbd', {}, keyLabel(key, mac))]),
    ),
    h('dd', {}, s.what),
  ];
}

function slug(text: string): string {
  return text.toLowerCase().replace(/[^a-z]+/g, '-');
}

/** Whether a key press goes into text (the editor, a field): `?` is then a question mark. */
export function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName);
}
