import type { EditorView } from 'prosemirror-view';
import { h } from '../app/dom.ts';
import { holdSelection, releaseSelection } from './held-selection.ts';

/**
 * The small dialog in which a delegate types words a tool needs: the wording of an alternative,
 * the text of a footnote. It opens beside the selected words — under them, or above them when
 * there is no room below — never on them and never under the sticky toolbar, and the words stay
 * highlighted while it is open (held-selection.ts), so the delegate sees what the wording is for.
 * Enter or its button does it, Escape or Cancel closes it; the focus then goes back to the text.
 */
export interface WordingRequest {
  title: string;
  label: string;
  placeholder: string;
  /** Text of the button that does it ("Offer", "Insert"). */
  action: string;
  value?: string;
  /** Does it; false keeps the popover open (the field may say why through `say`). */
  submit(text: string): boolean;
}

export interface WordingPopover {
  open(view: EditorView, request: WordingRequest): void;
  close(): void;
  /** A line under the field (why nothing was done). */
  say(message: string): void;
  destroy(): void;
}

const GAP = 8;

let counter = 0;

export function wordingPopover(className: string): WordingPopover {
  const id = `wording-${++counter}`;
  const title = h('h2', { class: 'wording-title', id: `${id}-title` });
  const label = h('label', { class: 'wording-label', for: `${id}-input` });
  const input = h('input', { type: 'text', id: `${id}-input`, class: `field wording-input ${className}`, autocomplete: 'off' });
  const problem = h('p', { class: 'field-error wording-problem', id: `${id}-problem`, role: 'alert', hidden: true });
  const action = h('button', { type: 'button', class: 'button button-small button-primary' });
  const cancel = h('button', { type: 'button', class: 'button button-small' }, 'Cancel');
  const element = h(
    'div',
    { class: 'wording-popover', role: 'dialog', 'aria-labelledby': `${id}-title`, hidden: true },
    title,
    label,
    input,
    problem,
    h('div', { class: 'wording-actions' }, action, cancel),
  );
  input.setAttribute('aria-describedby', problem.id);
  document.body.append(element);

  let current: { view: EditorView; request: WordingRequest } | null = null;

  /** Beside the selection, inside the window, clear of the sticky toolbar. */
  const place = () => {
    if (!current) return;
    const { view } = current;
    const { from, to } = view.state.selection;
    const start = view.coordsAtPos(from);
    const end = view.coordsAtPos(to);
    const top = Math.min(start.top, end.top);
    const bottom = Math.max(start.bottom, end.bottom);
    const toolbar = document.querySelector('.document-sticky, .toolbar-slot')?.getBoundingClientRect().bottom ?? 0;
    const height = element.offsetHeight;
    const width = element.offsetWidth;
    let y = bottom + GAP;
    if (y + height > window.innerHeight - GAP && top - GAP - height >= toolbar + GAP) y = top - GAP - height;
    y = Math.max(toolbar + GAP, Math.min(y, window.innerHeight - height - GAP));
    const x = Math.max(GAP, Math.min(start.left - 16, window.innerWidth - width - GAP));
    element.style.top = `${Math.round(y)}px`;
    element.style.left = `${Math.round(x)}px`;
  };

  const close = () => {
    if (!current) return;
    const { view } = current;
    current = null;
    element.hidden = true;
    window.removeEventListener('scroll', place, true);
    window.removeEventListener('resize', place);
    releaseSelection(view);
    if (!view.isDestroyed) view.focus();
  };
  const submit = () => {
    if (current?.request.submit(input.value)) close();
  };
  const say = (message: string) => {
    problem.textContent = message;
    problem.hidden = !message;
  };

  action.addEventListener('click', submit);
  cancel.addEventListener('click', close);
  input.addEventListener('keydown', (event) => {
    if (event.key === 'Enter') {
      event.preventDefault();
      submit();
    }
  });
  // Escape closes the popover only (not the page's note, nor the chair's screen mode).
  element.addEventListener('keydown', (event) => {
    if (event.key !== 'Escape') return;
    event.preventDefault();
    event.stopPropagation();
    close();
  });

  return {
    open(view, request) {
      if (current) close();
      current = { view, request };
      title.textContent = request.title;
      label.textContent = request.label;
      input.placeholder = request.placeholder;
      input.value = request.value ?? '';
      action.textContent = request.action;
      say('');
      view.dispatch(view.state.tr.scrollIntoView());
      holdSelection(view);
      element.hidden = false;
      place();
      window.addEventListener('scroll', place, true);
      window.addEventListener('resize', place);
      input.focus();
      input.select();
    },
    close,
    say,
    destroy() {
      close();
      element.remove();
    },
  };
}
