import type { Group } from '../../shared/api.ts';
import { canManageDocuments } from '../../shared/roles.ts';
import { api, ApiError } from '../app/api.ts';
import { h, swatch } from '../app/dom.ts';
import { ROLE_LABEL } from '../app/format.ts';
import { loginPath, navigate } from '../app/router.ts';
import { clearSession } from '../app/session.ts';
import type { Cleanup, PageContext } from '../app/router.ts';
import { documentTable } from './document-table.ts';
import { newDocumentForm } from './new-document-form.ts';
import { importForm } from './import-form.ts';
import { compileForm } from './compile-form.ts';
import { knowDelegations, patternOf } from '../app/delegation-style.ts';

/** How often the list (and who is editing now) is refreshed while the page is visible. */
const REFRESH_MS = 10_000;

/**
 * `/groups/:slug`: the working group, the user's role in it and its documents with who is in each
 * one now. Chair and secretariat also get the "New document" form.
 */
export async function groupPage({ params, outlet, signal }: PageContext, showGroup: (slug: string) => void): Promise<Cleanup | void> {
  const slug = params.slug!;
  let group: Group = await api.group(slug);
  if (signal.aborted) return;
  knowDelegations(group.delegations);
  showGroup(group.slug);
  document.title = `${group.name} — Concord`;

  const managing = canManageDocuments(group.role);
  const table = documentTable(
    managing
      ? 'No documents yet. Create the first one with “New document” (the symbol and title it will carry), or bring in an existing draft with “Import a text” (pasted, or a .docx); the delegations can open it at once.'
      : 'No documents yet. The chair or the secretariat will add the drafts for negotiation; they will appear here, and this list updates by itself.',
  );
  table.update(group.documents);

  const refreshNote = h('p', { class: 'refresh-note', 'aria-live': 'polite' }, 'Updates every 10 seconds');
  outlet.append(
    h(
      'div',
      { class: 'page page-group' },
      h(
        'div',
        { class: 'page-heading' },
        h(
          'div',
          {},
          h('p', { class: 'eyebrow' }, 'Working group'),
          h('h1', {}, group.name),
          h(
            'p',
            { class: 'group-role' },
            'You take part as ',
            group.delegation && group.role === 'delegate'
              ? h('strong', {}, swatch(group.delegation.color, undefined, patternOf(group.delegation.name)), `${ROLE_LABEL[group.role]} of ${group.delegation.name}`)
              : h('strong', {}, ROLE_LABEL[group.role]),
            group.role === 'observer' ? ' — you can follow every document live, without editing.' : '.',
          ),
        ),
        managing &&
          h(
            'div',
            { class: 'group-actions' },
            newDocumentForm(group.slug, () => group.documents),
            importForm(
              group.slug,
              () => group.documents,
              () => group.delegations,
            ),
            compileForm(
              group.slug,
              () => group.documents,
              () => group.delegations,
            ),
          ),
      ),
      h('section', { class: 'panel', 'aria-labelledby': 'documents-title' }, h('div', { class: 'panel-heading' }, h('h2', { id: 'documents-title' }, 'Documents'), refreshNote), table.element),
      delegationsPanel(group),
    ),
  );

  const refresh = async () => {
    if (document.hidden) return;
    try {
      group = await api.group(slug);
      if (signal.aborted) return;
      table.update(group.documents);
      refreshNote.textContent = 'Updates every 10 seconds';
      refreshNote.classList.remove('is-error');
    } catch (error) {
      if (signal.aborted) return;
      if (error instanceof ApiError && error.status === 401) {
        clearSession();
        navigate(loginPath(), { replace: true });
        return;
      }
      refreshNote.textContent = `Could not refresh: ${error instanceof ApiError ? error.message : 'connection problem'}. Retrying…`;
      refreshNote.classList.add('is-error');
    }
  };
  const timer = window.setInterval(() => void refresh(), REFRESH_MS);
  const onVisible = () => {
    if (!document.hidden) void refresh();
  };
  document.addEventListener('visibilitychange', onVisible);
  return () => {
    window.clearInterval(timer);
    document.removeEventListener('visibilitychange', onVisible);
  };
}

/** The delegations of the group with their colours: the key to the carets and chips seen elsewhere. */
function delegationsPanel(group: Group): HTMLElement | null {
  if (group.delegations.length === 0) return null;
  return h(
    'section',
    { class: 'panel delegations', 'aria-labelledby': 'delegations-title' },
    h(
      'div',
      { class: 'panel-heading' },
      h('h2', { id: 'delegations-title' }, 'Delegations'),
      h('p', { class: 'refresh-note' }, 'Each delegation’s colour (past twelve, with a pattern) marks its caret and brackets; its name is always written beside it'),
    ),
    h(
      'ul',
      { class: 'delegation-list' },
      group.delegations.map((d) =>
        h('li', { class: `chip${group.delegation?.id === d.id ? ' is-own' : ''}` }, swatch(d.color, undefined, patternOf(d.name)), h('span', { class: 'chip-name' }, d.name)),
      ),
    ),
  );
}
