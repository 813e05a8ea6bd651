import { h } from '../app/dom.ts';

/**
 * Notes when another delegation mentions yours ("@Brazil") in a thread you may see: who, on which
 * words; the note itself is the button that shows the thread. They sit at the bottom left, clear of
 * the side column (the Comments panel, the chair's Proposals) and of the notices at the foot of the
 * window, and go after a while unless the pointer or the focus is on them; Dismiss or Escape take
 * the newest away at once. Screen readers hear them through a polite live region.
 */
const LINGER_MS = 10_000;
let region: HTMLElement | null = null;
const dismissers = new WeakMap<Element, () => void>();

export function notifyMention(title: string, quote: string, show: () => void): void {
  if (!region?.isConnected) {
    region = h('div', { class: 'mention-notes', role: 'status', 'aria-live': 'polite' });
    document.body.append(region);
    document.addEventListener('keydown', onEscape);
  }
  let timer = 0;
  const linger = () => {
    window.clearTimeout(timer);
    timer = window.setTimeout(dismiss, LINGER_MS);
  };
  const hold = () => window.clearTimeout(timer);
  const dismiss = () => {
    window.clearTimeout(timer);
    note.remove();
  };
  const note = h(
    'div',
    {
      class: 'mention-note',
      onmouseenter: hold,
      onmouseleave: () => !note.contains(document.activeElement) && linger(),
      onfocusin: hold,
      onfocusout: (event) => !note.contains((event as FocusEvent).relatedTarget as Node | null) && !note.matches(':hover') && linger(),
    },
    h(
      'button',
      { type: 'button', class: 'mention-note-open', title: 'Show the thread', onclick: () => (dismiss(), show()) },
      h('span', { class: 'mention-note-title' }, title),
      h('q', { class: 'mention-note-quote' }, quote.length > 80 ? `${quote.slice(0, 79)}…` : quote),
      h('span', { class: 'mention-note-action' }, 'Show the thread'),
    ),
    h('button', { type: 'button', class: 'mention-note-dismiss', 'aria-label': 'Dismiss', title: 'Dismiss (Esc)', onclick: dismiss }, '×'),
  );
  dismissers.set(note, dismiss);
  region.append(note);
  linger();
}

/**
 * Escape takes the newest note away, unless something nearer used it (a popover stops it, a dialog
 * is open: Escape is theirs then).
 */
function onEscape(event: KeyboardEvent): void {
  const newest = region?.lastElementChild;
  if (event.key !== 'Escape' || event.defaultPrevented || !newest || document.querySelector('dialog[open]') || !newest.checkVisibility()) return;
  event.preventDefault();
  dismissers.get(newest)?.();
}

/** Removes every note (the document page is left). */
export function clearMentionNotes(): void {
  region?.remove();
  region = null;
  document.removeEventListener('keydown', onEscape);
}
