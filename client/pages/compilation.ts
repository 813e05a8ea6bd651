import { compilationTableHtml } from '../../shared/compile/table-html.ts';
import { api } from '../app/api.ts';
import { h } from '../app/dom.ts';
import type { PageContext } from '../app/router.ts';

/**
 * `/documents/:id/compilation`: the compilation table of a compiled negotiation text — one row per
 * provision, one column per source, each source's marker, reference, wording (changes against the
 * base shown) and reasons — with the way to the text itself and the table as Word or HTML.
 */
export async function compilationPage({ params, outlet, signal }: PageContext, showGroup: (slug: string) => void): Promise<void> {
  const id = params.id!;
  const [detail, { table }] = await Promise.all([api.document(id), api.compilation(id)]);
  if (signal.aborted) return;
  showGroup(detail.group.slug);
  document.title = `Compilation table — ${detail.symbol} — Concord`;
  const file = (format: string) => `/api/documents/${encodeURIComponent(id)}/compilation?format=${format}`;
  const holder = h('div', { class: 'compilation-scroll', tabindex: '0', 'aria-label': 'Compilation table' });
  // compilationTableHtml escapes every text it prints
  holder.innerHTML = compilationTableHtml(table);
  const proposed = table.rows.filter((r) => r.cells.length > 0).length;
  outlet.append(
    h(
      'div',
      { class: 'page page-compilation' },
      h(
        'div',
        { class: 'page-heading' },
        h(
          'div',
          {},
          h('p', { class: 'eyebrow' }, 'Compilation table'),
          h('h1', {}, detail.title),
          h(
            'p',
            {},
            `${detail.symbol}: proposals of ${table.sources.map((s) => s.delegation).join(', ')} against ${table.base.symbol} — ${proposed} of ${table.rows.length} provisions have proposals.`,
          ),
        ),
        h(
          'div',
          { class: 'group-actions' },
          h('a', { class: 'button button-primary', href: `/documents/${encodeURIComponent(id)}` }, 'Open the negotiation text'),
          h('a', { class: 'button', href: file('docx'), download: '' }, 'Word (.docx)'),
          h('a', { class: 'button', href: file('html'), download: '' }, 'HTML'),
        ),
      ),
      h('section', { class: 'panel' }, holder),
    ),
  );
}
