import type { EditorView } from 'prosemirror-view';
import { h } from '../app/dom.ts';
import { placeElement } from '../editor/follow.ts';
import type { ChairPlace } from '../editor/follow.ts';
import { isTyping } from '../editor/shortcuts-help.ts';

/**
 * The room's view of the document page:
 *
 * - **Screen mode**, for the projector: the text alone in large type, the chair's current provision
 *   highlighted; header, toolbar, side panels, comments and other participants' carets hidden.
 *   Toggled by a button, or opened directly with `?screen=1` (kept in the address, so a projector
 *   laptop reopens in it); Escape or "Leave screen mode" ends it.
 * - **Follow the chair**: the view scrolls to keep the chair's current provision in sight. A
 *   delegate turns it on; the screen mode always follows. Scrolling away by hand (or typing
 *   elsewhere, which scrolls there) pauses it, and "Follow the chair again" resumes.
 */
export interface RoomView {
  /** Header controls: the screen mode button, and "Follow the chair" for everyone but the chair. */
  controls: HTMLElement;
  /** Floating elements: the screen-mode bar and the resume button. */
  overlay: HTMLElement;
  /** Called by the follow plugin when the chair's place moves (or the text around it changes). */
  onPlace(view: EditorView, place: ChairPlace | null): void;
  destroy(): void;
}

const FOLLOW_KEY = 'concord.followChair';
/** Margin kept between what covers the top of the window and the chair's provision. */
const MARGIN = 16;
/** In screen mode, the band of the screen bar (client/styles/room.css) and a margin. */
const SCREEN_TOP_CLEAR = 60;

/**
 * Where the window's top stops being covered: below the sticky header and toolbar (which wraps to
 * two rows on a laptop, and may carry the connection banner).
 */
function coveredTop(): number {
  let bottom = 0;
  for (const element of document.querySelectorAll('.app-header, .document-sticky, .connection-banner-text:not(:empty)')) {
    bottom = Math.max(bottom, element.getBoundingClientRect().bottom);
  }
  return bottom;
}

export function roomView(options: { isChair: boolean; screen: boolean }): RoomView {
  const { isChair } = options;
  let screen = false;
  let chosen = !isChair && localStorage.getItem(FOLLOW_KEY) === '1';
  let paused = false;
  let view: EditorView | null = null;
  let place: ChairPlace | null = null;
  let ignoreScrollUntil = 0;

  const following = () => (screen || chosen) && !paused;
  const reduceMotion = () => window.matchMedia?.('(prefers-reduced-motion: reduce)').matches ?? false;
  const topClear = () => (screen ? SCREEN_TOP_CLEAR : coveredTop() + MARGIN);

  // --- controls ---
  const followBox = h('input', { type: 'checkbox', id: 'follow-chair', class: 'follow-checkbox' });
  const followStatus = h('span', { class: 'follow-status', 'aria-live': 'polite' });
  const followControl = h('label', { class: 'follow-control', for: 'follow-chair', title: 'Keep the provision the chair is in on your screen' }, followBox, ' Follow the chair', followStatus);
  const screenButton = h(
    'button',
    { type: 'button', class: 'button button-small button-quiet screen-button', 'aria-pressed': 'false', title: 'The text alone, in large type, for the projector (Esc to leave)' },
    'Screen mode',
  );
  const controls = h('div', { class: 'room-controls' }, !isChair && followControl, screenButton);

  const resume = h('button', { type: 'button', class: 'button button-primary follow-resume', hidden: true }, 'Follow the chair again');
  const leave = h('button', { type: 'button', class: 'button button-small screen-leave' }, 'Leave screen mode');
  const screenNote = h('span', { class: 'screen-note', 'aria-live': 'polite' });
  const screenBar = h('div', { class: 'screen-bar', hidden: true, role: 'region', 'aria-label': 'Screen mode' }, screenNote, leave);
  const overlay = h('div', { class: 'room-overlay' }, screenBar, resume);

  const inView = (element: HTMLElement) => {
    const rect = element.getBoundingClientRect();
    return rect.bottom > topClear() + 16 && rect.top < window.innerHeight - 16;
  };
  const wellInView = (element: HTMLElement) => {
    const rect = element.getBoundingClientRect();
    const room = window.innerHeight - topClear();
    // fully visible, or (taller than the window) its start at the top
    return rect.height <= room ? rect.top >= topClear() && rect.bottom <= window.innerHeight : rect.top >= topClear() - 4 && rect.top < topClear() + room / 3;
  };

  const scrollToPlace = (force = false) => {
    if (!view || !following()) return;
    const element = placeElement(view, place);
    if (!element || (!force && wellInView(element))) return;
    const smooth = !reduceMotion();
    ignoreScrollUntil = Date.now() + (smooth ? 1200 : 200);
    // Centred in what the window leaves uncovered, or (taller than that) its start at the top of it.
    const rect = element.getBoundingClientRect();
    const room = window.innerHeight - topClear();
    const offset = topClear() + Math.max(0, (room - rect.height) / 2);
    window.scrollTo({ top: window.scrollY + rect.top - offset, behavior: smooth ? 'smooth' : 'auto' });
  };

  const render = () => {
    followBox.checked = screen || chosen;
    followBox.disabled = screen;
    resume.hidden = !((screen || chosen) && paused && place);
    const status = !(screen || chosen) ? '' : !place ? 'the chair is not in the text' : paused ? 'paused' : '';
    followStatus.textContent = status ? ` (${status})` : '';
    screenNote.textContent = place ? '' : isChair ? 'Put the cursor in a provision to show it here' : 'Waiting for the chair to put the cursor in the text';
    screenButton.setAttribute('aria-pressed', String(screen));
  };

  const setScreen = (on: boolean) => {
    screen = on;
    paused = false;
    document.documentElement.classList.toggle('screen-mode', on);
    screenBar.hidden = !on;
    const url = new URL(location.href);
    if (on) url.searchParams.set('screen', '1');
    else url.searchParams.delete('screen');
    history.replaceState(history.state, '', url.pathname + url.search + url.hash);
    render();
    // The layout changed size: bring the chair's place back into view.
    requestAnimationFrame(() => scrollToPlace(true));
  };

  followBox.addEventListener('change', () => {
    chosen = followBox.checked;
    paused = false;
    localStorage.setItem(FOLLOW_KEY, chosen ? '1' : '0');
    render();
    scrollToPlace(true);
  });
  screenButton.addEventListener('click', () => setScreen(!screen));
  leave.addEventListener('click', () => {
    setScreen(false);
    screenButton.focus();
  });
  resume.addEventListener('click', () => {
    paused = false;
    render();
    scrollToPlace(true);
  });

  // Our own (smooth) scrolling fires scroll events for a while: those are not the reader's.
  let recheck = 0;
  const onScroll = () => {
    if (!following() || !view) return;
    const wait = ignoreScrollUntil - Date.now();
    if (wait > 0) {
      window.clearTimeout(recheck);
      recheck = window.setTimeout(onScroll, wait + 50);
      return;
    }
    const element = placeElement(view, place);
    if (element && !inView(element)) {
      paused = true;
      render();
    }
  };
  // A wheel, a touch or a scrolling key is the reader's own doing, even during our scrolling.
  const SCROLL_KEYS = new Set(['PageUp', 'PageDown', 'Home', 'End', 'ArrowUp', 'ArrowDown', ' ']);
  const byHand = (event: Event) => {
    if (event instanceof KeyboardEvent && (!SCROLL_KEYS.has(event.key) || isTyping(event.target))) return;
    ignoreScrollUntil = 0;
  };
  const onKey = (event: KeyboardEvent) => {
    if (event.key !== 'Escape' || !screen || event.defaultPrevented || document.querySelector('dialog[open]')) return;
    setScreen(false);
  };
  window.addEventListener('scroll', onScroll, { passive: true });
  for (const type of ['wheel', 'touchstart', 'keydown']) window.addEventListener(type, byHand, { passive: true, capture: true });
  document.addEventListener('keydown', onKey);

  setScreen(options.screen);

  return {
    controls,
    overlay,
    onPlace(v, p) {
      view = v;
      place = p;
      render();
      // After the editor has drawn the change.
      requestAnimationFrame(() => scrollToPlace());
    },
    destroy() {
      window.removeEventListener('scroll', onScroll);
      for (const type of ['wheel', 'touchstart', 'keydown']) window.removeEventListener(type, byHand, { capture: true });
      window.clearTimeout(recheck);
      document.removeEventListener('keydown', onKey);
      document.documentElement.classList.remove('screen-mode');
    },
  };
}
