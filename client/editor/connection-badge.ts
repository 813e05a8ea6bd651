import { h } from '../app/dom.ts';
import type { ConnectionState } from './connection-status.ts';

/**
 * The always-visible answer to "are my edits getting through?". Worded for a delegate on conference
 * Wi-Fi: when the link drops, it says plainly that nothing typed is lost.
 */
export function connectionBadge(): { element: HTMLElement; show(state: ConnectionState): void } {
  const label = h('strong', { class: 'connection-label' });
  const detail = h('span', { class: 'connection-detail' });
  const element = h('div', { class: 'connection', role: 'status', 'aria-live': 'polite' },
    h('span', { class: 'connection-dot', 'aria-hidden': 'true' }),
    h('span', { class: 'connection-text' }, label, detail),
  );
  return {
    element,
    show(state) {
      const { text, more } = describe(state);
      element.dataset.state = state.kind;
      label.textContent = text;
      detail.textContent = more ? ` ${more}` : '';
      detail.hidden = !more;
      element.title = more ? `${text} ${more}` : text;
    },
  };
}

function describe(state: ConnectionState): { text: string; more: string } {
  switch (state.kind) {
    case 'connecting':
      return { text: 'Connecting…', more: '' };
    case 'connected':
      return { text: 'Connected', more: '' };
    case 'reconnecting':
      return { text: 'Reconnecting…', more: state.unsent ? 'Your latest edits are kept on this computer and will be sent when the connection returns.' : '' };
    case 'offline':
      return { text: 'Offline', more: '— your edits are kept and will be sent when the connection returns' };
    case 'stopped':
      return { text: 'Disconnected', more: state.message ?? 'Reload the page to continue.' };
  }
}
