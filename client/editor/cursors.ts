import type { DecorationAttrs } from 'prosemirror-view';
import { Plugin } from 'prosemirror-state';
import type { Awareness } from 'y-protocols/awareness';
import type * as Y from 'yjs';
import { safeColor, textColorOn } from '../app/dom.ts';
import { asParticipant, describeParticipant } from '../app/participant.ts';
import { patternOf } from '../app/delegation-style.ts';

/**
 * How other participants' carets and selections are drawn (y-prosemirror's `cursorBuilder` and
 * `selectionBuilder`). Colours are set through `element.style`, never a style attribute string, and
 * each caret carries the delegation's name — colour is never the only cue — with the person on hover.
 */
export function buildCursor(user: unknown, clientId: number): HTMLElement {
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
  caret.dataset.client = String(clientId);
  // Word joiners keep the caret from creating a line-break opportunity in the text.
  caret.append(document.createTextNode('\u2060'), label, document.createTextNode('\u2060'));
  return caret;
}

/**
 * A caret's label folds a few seconds after it appears (cursors.css) so it does not cover the line
 * above; ProseMirror keeps the same element when the caret moves, so the label is unfolded again
 * here each time its participant moves (awareness) or types (its Yjs client's clock advances: the
 * caret's place may not change while it types at the end of words).
 */
export function cursorLabelsPlugin(awareness: Awareness): Plugin {
  return new Plugin({
    view(view) {
      const unfold = (id: number) => {
        const label = view.dom.querySelector<HTMLElement>(`.ProseMirror-yjs-cursor[data-client="${id}"] > .cursor-label`);
        // back to the start of the fold's delay, written in full
        for (const animation of label?.getAnimations() ?? []) {
          animation.currentTime = 0;
          animation.play();
        }
      };
      const onMove = ({ updated }: { updated: number[] }) => updated.forEach(unfold);
      const onTyping = (transaction: Y.Transaction) => {
        if (transaction.local) return;
        for (const [client, clock] of transaction.afterState) if (clock !== transaction.beforeState.get(client)) unfold(client);
      };
      const doc = awareness.doc;
      awareness.on('change', onMove);
      doc.on('afterTransaction', onTyping);
      return {
        destroy() {
          awareness.off('change', onMove);
          doc.off('afterTransaction', onTyping);
        },
      };
    },
  });
}

export function buildSelection(user: unknown): DecorationAttrs {
  const color = safeColor(asParticipant(user)?.color);
  // ProseMirror applies this through the CSSOM (`style.cssText`), which the CSP permits.
  return { class: 'ProseMirror-yjs-selection', style: `background-color: ${color}33` };
}
