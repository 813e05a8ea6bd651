import { h } from '../app/dom.ts';
import { sentence } from '../app/format.ts';

/** What the user sees when a page cannot be shown: the reason, and a way back. */
export function problemPage(outlet: HTMLElement, message: string): void {
  document.title = 'Problem — Concord';
  outlet.replaceChildren(
    h(
      'div',
      { class: 'page problem' },
      h('h1', {}, 'This page cannot be shown'),
      h('p', { class: 'problem-message', role: 'alert' }, sentence(message)),
      h('p', {}, h('a', { href: '/' }, 'Go to your working group')),
    ),
  );
}
