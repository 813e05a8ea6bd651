import type { Comparison, VersionSummary } from '../../shared/api.ts';
import { api, ApiError } from '../app/api.ts';
import { h } from '../app/dom.ts';
import { sentence } from '../app/format.ts';
import { possessive } from '../../shared/brackets/model.ts';

/**
 * Versions of the document: take a named one (chair, secretariat), open one read-only (as a
 * printable page), compare any two or a version with the current text, restore one. Autosave
 * points are folded away under the named versions.
 */
export function versionsPanel(documentId: string, mayManage: boolean): { element: HTMLElement; refresh(): Promise<void> } {
  const name = h('input', { class: 'field', placeholder: 'Rev.1, Chair’s text…', 'aria-label': 'Name of the new version', maxlength: '100' });
  const take = h('button', { type: 'button', class: 'button button-small button-primary' }, 'Take a version');
  const status = h('p', { class: 'proposals-status', role: 'status' });
  const list = h('ol', { class: 'versions-list' });
  const autosaves = h('details', { class: 'autosaves' });
  const fromPick = h('select', { class: 'field', 'aria-label': 'Compare from' });
  const toPick = h('select', { class: 'field', 'aria-label': 'Compare to' });
  const compare = h('button', { type: 'button', class: 'button button-small' }, 'Compare');
  const element = h(
    'section',
    { class: 'versions', 'aria-label': 'Versions' },
    mayManage && h('div', { class: 'version-take' }, name, take),
    status,
    h('div', { class: 'version-compare' }, fromPick, toPick, compare),
    list,
    autosaves,
  );
  let versions: VersionSummary[] = [];

  const say = (text: string, error = false) => {
    status.textContent = text;
    status.classList.toggle('is-error', error);
  };
  const failed = (error: unknown) => say(`Not done: ${error instanceof ApiError ? sentence(error.message) : 'connection problem'}`, true);

  const when = (at: string) => new Date(at).toLocaleString([], { dateStyle: 'short', timeStyle: 'short' });
  const entry = (v: VersionSummary) =>
    h(
      'li',
      { class: `version kind-${v.kind}` },
      h('p', {}, h('strong', {}, v.name), h('span', { class: 'muted' }, ` · ${v.by} · ${when(v.at)}`)),
      h(
        'p',
        { class: 'version-actions' },
        h(
          'a',
          { class: 'button button-small', href: `/api/documents/${encodeURIComponent(documentId)}/export?format=html&mode=negotiation&version=${v.id}`, target: '_blank', rel: 'noopener' },
          'Open',
        ),
        h('button', { type: 'button', class: 'button button-small', onclick: () => void showComparison(String(v.id), 'current') }, 'Compare with now'),
        mayManage && h('button', { type: 'button', class: 'button button-small button-danger', onclick: () => void restore(v) }, 'Restore'),
      ),
    );

  const render = () => {
    const named = versions.filter((v) => v.kind === 'named');
    const auto = versions.filter((v) => v.kind === 'autosave');
    list.replaceChildren(...named.map(entry));
    if (named.length === 0)
      list.append(
        h(
          'li',
          { class: 'muted' },
          mayManage
            ? 'No versions yet. Name one above (e.g. “Rev.1”) to keep this state of the text; you can compare with it and restore it later.'
            : 'No versions yet. The chair or the secretariat names versions (Rev.1, Rev.2 …) as the text progresses; they will be listed here to open and compare.',
        ),
      );
    autosaves.replaceChildren(h('summary', {}, `Autosave points (${auto.length})`), h('ol', { class: 'versions-list' }, auto.map(entry)));
    autosaves.hidden = auto.length === 0;
    const options = () => [h('option', { value: 'current' }, 'Current text'), ...versions.map((v) => h('option', { value: String(v.id) }, `${v.name} (${when(v.at)})`))];
    fromPick.replaceChildren(...options());
    toPick.replaceChildren(...options());
    if (versions[0]) fromPick.value = String(versions[0].id);
    toPick.value = 'current';
  };

  const refresh = async () => {
    try {
      versions = (await api.versions(documentId)).versions;
      render();
    } catch (error) {
      failed(error);
    }
  };

  const restore = async (v: VersionSummary) => {
    if (!confirm(`Make “${v.name}” the current text for everyone? The text it replaces is kept as a version first.`)) return;
    try {
      await api.restoreVersion(documentId, v.id);
      say(`“${v.name}” is the current text again.`);
      await refresh();
    } catch (error) {
      failed(error);
    }
  };

  take.addEventListener('click', async () => {
    if (!name.value.trim()) return say('Give the version a name, such as “Rev.1”.', true);
    try {
      const v = await api.takeVersion(documentId, name.value.trim());
      name.value = '';
      say(`Version “${v.name}” taken.`);
      await refresh();
    } catch (error) {
      failed(error);
    }
  });
  compare.addEventListener('click', () => void showComparison(fromPick.value, toPick.value));

  const showComparison = async (from: string, to: string) => {
    try {
      openComparison(await api.compare(documentId, from, to));
    } catch (error) {
      failed(error);
    }
  };
  return { element, refresh };
}

/** The comparison in a dialog: inline (insertions underlined, deletions struck) or side by side, with next/previous change. */
function openComparison(comparison: Comparison): void {
  const dialog = h('dialog', { class: 'comparison', 'aria-label': `Changes from ${comparison.from} to ${comparison.to}` });
  const body = h('div', { class: 'comparison-body' });
  const sideBySide = h('input', { type: 'checkbox', id: 'side-by-side' });
  const counter = h('span', { class: 'muted' });
  let current = -1;
  const render = () => {
    body.replaceChildren(
      ...comparison.entries.map((entry, i) => {
        const inline = h(
          'p',
          { class: 'comparison-text' },
          entry.parts.map((part) => (part.kind === 'inserted' ? h('ins', {}, part.text) : part.kind === 'deleted' ? h('del', {}, part.text) : part.text)),
        );
        const before = h(
          'p',
          { class: 'comparison-text' },
          entry.parts.filter((p) => p.kind !== 'inserted').map((p) => (p.kind === 'deleted' ? h('del', {}, p.text) : p.text)),
        );
        const after = h(
          'p',
          { class: 'comparison-text' },
          entry.parts.filter((p) => p.kind !== 'deleted').map((p) => (p.kind === 'inserted' ? h('ins', {}, p.text) : p.text)),
        );
        return h(
          'section',
          { class: `comparison-entry kind-${entry.kind}`, id: `change-${i}`, tabindex: '-1' },
          h('h3', {}, `${entry.where} — ${entry.kind}`, entry.proposedBy.length ? h('span', { class: 'muted' }, ` · brackets by ${entry.proposedBy.join(', ')}`) : ''),
          sideBySide.checked ? h('div', { class: 'side-by-side' }, before, after) : inline,
        );
      }),
    );
    // what the words alone do not show: the brackets that went, the statuses, the decisions behind them
    const removals = comparison.brackets.map((b) =>
      h(
        'li',
        { class: `comparison-bracket outcome-${b.outcome}` },
        h('strong', {}, b.where),
        ` — ${possessive(b.delegation)} ${b.option ? `option (${b.option})` : b.kind === 'awaiting' ? 'bracket awaiting instructions' : 'bracket'} “${b.text}”: `,
        b.outcome === 'kept' ? 'bracket removed, the words stayed' : 'removed with its words',
      ),
    );
    const statuses = comparison.statuses.map((c) => h('li', { class: 'comparison-status' }, h('strong', {}, c.where), `: ${c.from} → ${c.to}`));
    const decided = comparison.decisions.map((d) =>
      h('li', { class: 'comparison-decision' }, h('time', { datetime: d.at }, new Date(d.at).toLocaleString([], { dateStyle: 'short', timeStyle: 'short' })), ` · ${d.by} `, d.summary),
    );
    if (removals.length)
      body.append(h('section', { class: 'comparison-entry comparison-brackets', 'aria-label': 'Brackets removed' }, h('h3', {}, `Brackets removed (${removals.length})`), h('ul', {}, removals)));
    if (statuses.length)
      body.append(h('section', { class: 'comparison-entry comparison-statuses', 'aria-label': 'Status changes' }, h('h3', {}, `Status changes (${statuses.length})`), h('ul', {}, statuses)));
    if (decided.length)
      body.append(
        h('section', { class: 'comparison-entry comparison-decisions', 'aria-label': 'Decisions taken' }, h('h3', {}, `Decisions taken between them (${decided.length})`), h('ol', {}, decided)),
      );
    const total = comparison.entries.length + removals.length + statuses.length;
    if (total === 0) body.append(h('p', { class: 'muted' }, 'No differences.'));
    counter.textContent = total ? `${total} change${total === 1 ? '' : 's'}${decided.length ? ` · ${decided.length} decision${decided.length === 1 ? '' : 's'}` : ''}` : '';
  };
  const go = (step: number) => {
    if (!comparison.entries.length) return;
    current = (current + step + comparison.entries.length) % comparison.entries.length;
    const target = dialog.querySelector<HTMLElement>(`#change-${current}`);
    target?.scrollIntoView({ block: 'center' });
    target?.focus();
  };
  sideBySide.addEventListener('change', render);
  const close = h('button', { type: 'button', class: 'button button-small' }, 'Close');
  close.addEventListener('click', () => dialog.close());
  dialog.addEventListener('close', () => dialog.remove());
  dialog.append(
    h(
      'header',
      { class: 'comparison-head' },
      h('h2', {}, `From ${comparison.from} to ${comparison.to}`),
      counter,
      h('button', { type: 'button', class: 'button button-small', onclick: () => go(-1) }, '◀ Previous change'),
      h('button', { type: 'button', class: 'button button-small', onclick: () => go(1) }, 'Next change ▶'),
      h('label', { for: 'side-by-side', class: 'checkbox' }, sideBySide, ' Side by side'),
      close,
    ),
    body,
  );
  render();
  document.body.append(dialog);
  dialog.showModal();
}
