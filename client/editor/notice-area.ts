import { h } from '../app/dom.ts';

/**
 * The one place at the foot of the window where the delegate is told that a change was not made
 * ("Not done: …", refused by the editor) or not kept ("Not kept: …", taken back by the server).
 * Fixed to the window, so it is seen wherever the delegate is in a long text and never under the
 * sticky toolbar. The alert region is in the page from the start and the note is put into it,
 * which screen readers announce. A note stays until dismissed (its button, Escape) or replaced,
 * or until the page calls `hide` on the delegate's next edit: never on a timer, which would take
 * it away before a slow reader has read it.
 */
export type NoticeKind = 'refused' | 'taken-back';

export interface NoticeArea {
  element: HTMLElement;
  show(kind: NoticeKind, message: string): void;
  /** Takes the note away; with a kind, only a note of that kind. */
  hide(kind?: NoticeKind): void;
  destroy(): void;
}

const HEADING: Record<NoticeKind, string> = { refused: 'Not done: ', 'taken-back': 'Not kept: ' };
const CLASS: Record<NoticeKind, string> = { refused: 'refusal-note', 'taken-back': 'taken-back-note' };

export function noticeArea(onDismiss: () => void): NoticeArea {
  const element = h('div', { class: 'notice-area taken-back', role: 'alert' });
  let shown: NoticeKind | null = null;

  const hide = (kind?: NoticeKind) => {
    if (shown === null || (kind && kind !== shown)) return;
    shown = null;
    element.replaceChildren();
  };
  const show = (kind: NoticeKind, message: string) => {
    shown = kind;
    const dismiss = h(
      'button',
      {
        type: 'button',
        class: 'button',
        onclick: () => {
          hide();
          onDismiss();
        },
      },
      'Dismiss',
    );
    element.replaceChildren(h('div', { class: `notice notice-warning notice-note ${CLASS[kind]}` }, h('p', {}, h('strong', {}, HEADING[kind]), message), dismiss));
  };
  const onKey = (event: KeyboardEvent) => {
    if (event.key !== 'Escape' || shown === null) return;
    // one Escape dismisses one note: the mention note below it waits for the next
    event.preventDefault();
    hide();
    onDismiss();
  };
  document.addEventListener('keydown', onKey);
  return { element, show, hide, destroy: () => document.removeEventListener('keydown', onKey) };
}
