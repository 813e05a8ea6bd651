import type { DocumentSummary } from '../../shared/api.ts';
import { alternativesPhrase } from '../../shared/brackets/model.ts';
import { h, replaceChildren } from '../app/dom.ts';
import { formatFull, formatUpdated, STATUS_LABEL, TYPE_LABEL } from '../app/format.ts';
import { distinctParticipants, participantChip } from '../app/participant.ts';
import { navigate } from '../app/router.ts';

/**
 * The documents of a working group as a table: symbol, title, type, status, last change and who is
 * in the document now. It is refreshed in place, and rows are rebuilt only when something changed,
 * so a keyboard user's focus is not thrown away every ten seconds.
 */
export interface DocumentTable {
  element: HTMLElement;
  update(documents: DocumentSummary[]): void;
}

export function documentTable(emptyText: string): DocumentTable {
  const body = h('tbody');
  const table = h(
    'table',
    { class: 'documents' },
    h('caption', { class: 'visually-hidden' }, 'Documents of the working group'),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        h('th', { scope: 'col', class: 'col-symbol' }, 'Symbol'),
        h('th', { scope: 'col', class: 'col-title' }, 'Title'),
        h('th', { scope: 'col', class: 'col-type' }, 'Type'),
        h('th', { scope: 'col', class: 'col-status' }, 'Status'),
        h('th', { scope: 'col', class: 'col-brackets' }, 'In brackets'),
        h('th', { scope: 'col', class: 'col-threads' }, 'Open threads'),
        h('th', { scope: 'col', class: 'col-updated' }, 'Last change'),
        h('th', { scope: 'col', class: 'col-present' }, 'Editing now'),
      ),
    ),
    body,
  );
  const empty = h('div', { class: 'empty-state', hidden: true }, h('p', {}, emptyText));
  const element = h('div', { class: 'documents-wrap' }, table, empty);

  // Clicking anywhere on a row opens the document; the symbol link stays the keyboard route.
  body.addEventListener('click', (event) => {
    const target = event.target as Element;
    if (target.closest('a, button')) return;
    const link = target.closest('tr')?.querySelector('a');
    if (link && !window.getSelection()?.toString()) navigate(link.pathname);
  });

  let shown = '';
  return {
    element,
    update(documents) {
      const signature = JSON.stringify(documents);
      if (signature === shown) {
        for (const time of body.querySelectorAll('time')) time.textContent = formatUpdated(time.dateTime);
        return;
      }
      shown = signature;
      table.hidden = documents.length === 0;
      empty.hidden = documents.length !== 0;
      const focused = document.activeElement instanceof HTMLAnchorElement && body.contains(document.activeElement) ? document.activeElement.pathname : null;
      replaceChildren(body, ...documents.map(row));
      if (focused) body.querySelector<HTMLAnchorElement>(`a[href="${CSS.escape(focused)}"]`)?.focus();
    },
  };
}

function row(d: DocumentSummary): HTMLTableRowElement {
  const href = `/documents/${encodeURIComponent(d.id)}`;
  const present = distinctParticipants(d.present);
  return h(
    'tr',
    { class: 'document-row' },
    h('td', { class: 'col-symbol' }, h('a', { href, class: 'document-link' }, d.symbol)),
    h('td', { class: 'col-title' }, d.title),
    h('td', { class: 'col-type' }, TYPE_LABEL[d.type] ?? d.type),
    h('td', { class: 'col-status' }, h('span', { class: `status status-${d.status}` }, STATUS_LABEL[d.status] ?? d.status)),
    h('td', { class: 'col-brackets' }, bracketsCell(d.brackets)),
    h('td', { class: 'col-threads' }, d.openThreads ? String(d.openThreads) : h('span', { class: 'muted' }, '0')),
    h('td', { class: 'col-updated' }, h('time', { datetime: d.updatedAt, title: formatFull(d.updatedAt) }, formatUpdated(d.updatedAt))),
    h('td', { class: 'col-present' }, present.length ? h('span', { class: 'chips' }, present.map(participantChip)) : h('span', { class: 'muted' }, 'Nobody')),
  );
}

/** "5 open · 12.4%" with a bar, or "Clean" — how far the document is from a text for Council. */
function bracketsCell(stats: DocumentSummary['brackets']): HTMLElement {
  if (!stats) return h('span', { class: 'muted' }, '—');
  if (stats.open === 0) return h('span', { class: 'brackets-clean' }, 'Clean');
  const bar = h('span', { class: 'brackets-bar', 'aria-hidden': 'true' }, h('span', { class: 'brackets-fill' }));
  (bar.firstChild as HTMLElement).style.width = `${Math.min(100, Math.max(2, stats.share))}%`;
  const alternatives = stats.alternatives ? `, of which ${alternativesPhrase(stats)}` : '';
  return h(
    'span',
    { class: 'brackets-stat', title: `${stats.open} open question${stats.open === 1 ? '' : 's'}${alternatives}; ${stats.share}% of the text is in brackets` },
    `${stats.open} open · ${stats.share}%`,
    bar,
  );
}
