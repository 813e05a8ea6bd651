import { h } from '../app/dom.ts';

/**
 * Notes in the corner of the page when another delegation mentions yours ("@Brazil") in a thread
 * you may see: who, on which words, and a button that shows the thread. They stay until dismissed
 * or followed, or fade after a while; screen readers hear them through a polite live region.
 */
const LINGER_MS = 20_000;
let region: HTMLElement | null = null;

export function notifyMention(title: string, quote: string, show: () => void): void {
  if (!region || !region.isConnected) {
    region = h('div', { class: 'mention-notes', role: 'status', 'aria-live': 'polite' });
    document.body.append(region);
  }
  const dismiss = () => note.remove();
  const note = h('div', { class: 'mention-note' },
    h('p', { class: 'mention-note-title' }, title),
    h('q', { class: 'mention-note-quote' }, quote.length > 80 ? `${quote.slice(0, 79)}…` : quote),
    h('span', { class: 'mention-note-actions' },
      h('button', { type: 'button', class: 'button button-small button-primary', onclick: () => (dismiss(), show()) }, 'Show the thread'),
      h('button', { type: 'button', class: 'button button-small', onclick: dismiss }, 'Dismiss')));
  region.append(note);
  setTimeout(dismiss, LINGER_MS);
}

/** Removes every note (the document page is left). */
export function clearMentionNotes(): void {
  region?.remove();
  region = null;
}
