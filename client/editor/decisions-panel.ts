import { TextSelection } from 'prosemirror-state';
import type { EditorView } from 'prosemirror-view';
import type { DecisionEntry } from '../../shared/api.ts';
import { api, ApiError } from '../app/api.ts';
import { h } from '../app/dom.ts';

/**
 * The decision history of a document: every decision of the chair, newest first, with who took
 * it, when, and the text before and after; filterable by kind; each entry leads to its place in
 * the text; the chair can undo a decision (the server refuses if its text changed since).
 */
const ACTIONS: Record<string, string> = { accept: 'Accepted', reject: 'Rejected', choose: 'Chose', status: 'Status', undo: 'Undone' };

export function decisionsPanel(documentId: string, view: () => EditorView | null, isChair: boolean): { element: HTMLElement; refresh(): Promise<void> } {
  const filter = h(
    'select',
    { class: 'field', 'aria-label': 'Show decisions' },
    h('option', { value: '' }, 'All decisions'),
    Object.entries(ACTIONS).map(([k, label]) => h('option', { value: k }, label)),
  );
  const list = h('ol', { class: 'decisions-list' });
  const status = h('p', { class: 'proposals-status', role: 'status' });
  const element = h('section', { class: 'decisions', 'aria-label': 'Decision history' }, filter, status, list);
  let entries: DecisionEntry[] = [];

  const jump = (provisionId: string | null) => {
    const v = view();
    if (!v || !provisionId) return;
    let target = -1;
    v.state.doc.descendants((node, pos) => {
      if (target >= 0) return false;
      if (node.type.name === 'provision' && node.attrs.id === provisionId) target = pos + 2;
      return true;
    });
    if (target < 0) {
      status.textContent = 'That provision is no longer in the text.';
      return;
    }
    v.dispatch(v.state.tr.setSelection(TextSelection.near(v.state.doc.resolve(target))).scrollIntoView());
    v.focus();
  };

  const undo = async (entry: DecisionEntry) => {
    if (!confirm(`Undo this decision?\n\n${entry.summary}`)) return;
    try {
      await api.undoDecision(documentId, entry.id);
      status.textContent = 'Undone.';
      await refresh();
    } catch (error) {
      status.textContent = `Not undone: ${error instanceof ApiError ? error.message : 'connection problem'}`;
    }
  };

  const render = () => {
    const shown = entries.filter((e) => !filter.value || e.action === filter.value);
    list.replaceChildren(
      ...shown.map((e) =>
        h(
          'li',
          { class: `decision-entry action-${e.action}${e.undoneBy ? ' is-undone' : ''}` },
          h(
            'p',
            { class: 'decision-head' },
            h('strong', {}, ACTIONS[e.action] ?? e.action),
            ' · ',
            e.by,
            ' · ',
            h('time', { datetime: e.at }, new Date(e.at).toLocaleString([], { dateStyle: 'short', timeStyle: 'short' })),
            e.undoneBy && h('span', { class: 'decision-undone' }, ' · undone'),
          ),
          h('p', { class: 'decision-summary' }, e.summary),
          e.textBefore !== e.textAfter &&
            h(
              'details',
              { class: 'decision-texts' },
              h('summary', {}, 'Text before and after'),
              h('p', {}, h('span', { class: 'muted' }, 'Before: '), e.textBefore),
              h('p', {}, h('span', { class: 'muted' }, 'After: '), e.textAfter),
            ),
          h(
            'p',
            { class: 'decision-actions' },
            e.provisionId && h('button', { type: 'button', class: 'button button-small', onclick: () => jump(e.provisionId) }, 'Go to it'),
            isChair && e.action !== 'undo' && !e.undoneBy && h('button', { type: 'button', class: 'button button-small', onclick: () => void undo(e) }, 'Undo'),
          ),
        ),
      ),
    );
    if (shown.length === 0)
      list.append(
        h(
          'li',
          { class: 'muted' },
          entries.length
            ? 'No decision of this kind.'
            : 'No decisions yet. When the chair accepts, rejects or chooses text in the Proposals tab, or agrees a provision, it is listed here with the text before and after.',
        ),
      );
  };

  const refresh = async () => {
    try {
      entries = (await api.decisions(documentId)).decisions;
      render();
    } catch (error) {
      status.textContent = `Could not load the decisions: ${error instanceof ApiError ? error.message : 'connection problem'}`;
    }
  };
  filter.addEventListener('change', render);
  return { element, refresh };
}
