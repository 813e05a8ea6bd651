import { h } from '../app/dom.ts';
import type { ConnectionState } from './connection-status.ts';

/**
 * The always-visible answer to "are my edits getting through?". Worded for a delegate on conference
 * Wi-Fi: when the link drops, it says plainly that nothing typed is lost.
 *
 * The badge sits in the page header, which is off screen while the delegate works further down the
 * text; so the banner says the same under the sticky toolbar while not connected, and is the one
 * that screen readers hear (politely), including "back online" when the edits have gone out.
 */
export function connectionBadge(): { element: HTMLElement; show(state: ConnectionState): void } {
  const label = h('strong', { class: 'connection-label' });
  const detail = h('span', { class: 'connection-detail' });
  const element = h('div', { class: 'connection' }, h('span', { class: 'connection-dot', 'aria-hidden': 'true' }), h('span', { class: 'connection-text' }, label, detail));
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

/** A retry that succeeds within this time is a blip, not worth a banner. */
const RECONNECTING_GRACE_MS = 3000;
/** How long "back online" stays before the banner goes. */
const BACK_MS = 4000;

export function connectionBanner(): { element: HTMLElement; show(state: ConnectionState): void; destroy(): void } {
  const message = h('p', { class: 'connection-banner-text' });
  const element = h('div', { class: 'connection-banner', role: 'status', 'aria-live': 'polite' }, message);
  /** The banner says we are not connected (as against saying nothing, or "back online"). */
  let raised = false;
  let latest: ConnectionState | null = null;
  let grace = 0;
  let fade = 0;
  let shown = '';
  // The monitor repeats its state on every provider event: only a change is written (and heard).
  const put = (kind: string, label: string, more: string) => {
    if (shown === `${kind} ${label} ${more}`) return;
    shown = `${kind} ${label} ${more}`;
    element.dataset.state = kind;
    message.replaceChildren(h('strong', {}, label), more ? ` ${more}` : '');
  };
  const clear = () => {
    shown = '';
    delete element.dataset.state;
    message.replaceChildren();
  };
  const raise = () => {
    grace = 0;
    if (!latest) return;
    raised = true;
    window.clearTimeout(fade);
    const { text, more } = describe(latest);
    put(latest.kind, text, latest.kind === 'reconnecting' && !more ? '— your edits are kept and will be sent when the connection returns.' : more);
  };
  return {
    element,
    show(state) {
      const wasUnsent = latest?.unsent ?? false;
      latest = state;
      if (state.kind === 'connected' || state.kind === 'connecting') {
        window.clearTimeout(grace);
        grace = 0;
        if (!raised) return;
        raised = false;
        if (state.kind === 'connecting') return clear();
        put('back', 'Back online', wasUnsent ? '— your edits have been sent.' : '— the text is up to date.');
        fade = window.setTimeout(clear, BACK_MS);
        return;
      }
      // (the grace runs from the first failure, not from the latest retry)
      if (state.kind === 'reconnecting' && !raised) grace ||= window.setTimeout(raise, RECONNECTING_GRACE_MS);
      else raise();
    },
    destroy() {
      window.clearTimeout(grace);
      window.clearTimeout(fade);
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
