import type { DecorationAttrs } from 'prosemirror-view';
import { safeColor, textColorOn } from '../app/dom.ts';
import { asParticipant, describeParticipant } from '../app/participant.ts';
import { patternOf } from '../app/delegation-style.ts';

/**
 * How other participants' carets and selections are drawn (y-prosemirror's `cursorBuilder` and
 * `selectionBuilder`). Colours are set through `element.style`, never a style attribute string, and
 * each caret carries the delegation's name — colour is never the only cue — with the person on hover.
 */
export function buildCursor(user: unknown): HTMLElement {
  const who = asParticipant(user);
  const color = safeColor(who?.color);
  const caret = document.createElement('span');
  caret.className = `ProseMirror-yjs-cursor pattern-${patternOf(who?.delegation)}`;
  caret.style.borderColor = color;
  const label = document.createElement('span');
  label.className = 'cursor-label';
  label.style.backgroundColor = color;
  label.style.color = textColorOn(color);
  label.textContent = who?.name ?? 'Someone';
  if (who?.person && who.person !== who.name) {
    const person = document.createElement('span');
    person.className = 'cursor-person';
    person.textContent = ` · ${who.person}`;
    label.append(person);
  }
  caret.title = who ? describeParticipant(who) : '';
  // Word joiners keep the caret from creating a line-break opportunity in the text.
  caret.append(document.createTextNode('\u2060'), label, document.createTextNode('\u2060'));
  return caret;
}

export function buildSelection(user: unknown): DecorationAttrs {
  const color = safeColor(asParticipant(user)?.color);
  // ProseMirror applies this through the CSSOM (`style.cssText`), which the CSP permits.
  return { class: 'ProseMirror-yjs-selection', style: `background-color: ${color}33` };
}
