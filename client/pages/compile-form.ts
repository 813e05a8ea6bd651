import type { CompileBody, DocumentSummary } from '../../shared/api.ts';
import { isDocumentSymbol } from '../../shared/documents.ts';
import { api, ApiError } from '../app/api.ts';
import { h } from '../app/dom.ts';
import { sentence } from '../app/format.ts';
import { navigate } from '../app/router.ts';
import { whileBusy } from '../app/busy.ts';
import { nextSymbol } from './new-document-form.ts';
import { disclosureForm } from '../app/disclosure-form.ts';

/**
 * "Compile proposals", for the chair and the secretariat: pick the base text (the resolution in
 * force) and the proposal documents of the sources, each with the delegation it comes from, and
 * Concord builds one negotiation text — each source's wording an attributed alternative — and its
 * compilation table.
 */
export function compileForm(slug: string, documents: () => DocumentSummary[], delegations: () => { name: string }[]): HTMLElement {
  const toggle = h('button', { type: 'button', class: 'button', 'aria-expanded': 'false', 'aria-controls': 'compile-proposals' }, 'Compile proposals');
  const symbol = h('input', { id: 'compile-symbol', type: 'text', required: true, maxlength: '64', autocomplete: 'off', spellcheck: 'false' });
  const title = h('input', { id: 'compile-title', type: 'text', maxlength: '300', autocomplete: 'off', placeholder: 'Compilation of proposals on … when empty' });
  const base = h('select', { id: 'compile-base', required: true });
  const sources = h('fieldset', { class: 'compile-sources' }, h('legend', {}, 'Proposals, each with the delegation it comes from'));
  const error = h('p', { class: 'form-error', role: 'alert', hidden: true });
  const submit = h('button', { type: 'submit', class: 'button button-primary' }, 'Compile');
  const cancel = h('button', { type: 'button', class: 'button button-quiet' }, 'Cancel');
  const form = h(
    'form',
    { id: 'compile-proposals', class: 'new-document compile-proposals', hidden: true, novalidate: true, 'aria-label': 'Compile proposals' },
    h('div', { class: 'field field-symbol' }, h('label', { for: 'compile-symbol' }, 'Symbol of the compiled text'), symbol),
    h('div', { class: 'field field-title' }, h('label', { for: 'compile-title' }, 'Title'), title),
    h('div', { class: 'field' }, h('label', { for: 'compile-base' }, 'Base text'), base),
    sources,
    h('div', { class: 'form-actions' }, submit, cancel),
    error,
  );
  let rows: { documentId: string; use: HTMLInputElement; delegation: HTMLSelectElement }[] = [];

  /** One row per document other than the base: a tick (none by default: the secretariat picks) and the delegation (its source when it has one). */
  const fill = () => {
    const docs = documents();
    const chosenBase = base.value;
    base.replaceChildren(...docs.map((d) => h('option', { value: d.id, selected: d.id === chosenBase }, `${d.symbol} — ${d.title}`)));
    if (!chosenBase && docs[0]) base.value = docs.find((d) => d.source.length === 0)?.id ?? docs[0].id;
    const names = delegations().map((d) => d.name);
    rows = [];
    sources.replaceChildren(
      sources.firstElementChild!,
      ...docs
        .filter((d) => d.id !== base.value)
        .map((d, i) => {
          const use = h('input', { type: 'checkbox', id: `compile-use-${i}` });
          const delegation = h(
            'select',
            { id: `compile-delegation-${i}`, 'aria-label': `Delegation of ${d.symbol}` },
            h('option', { value: '' }, 'Choose the delegation…'),
            ...names.map((name) => h('option', { value: name, selected: d.source[0]?.toLowerCase() === name.toLowerCase() }, name)),
          );
          rows.push({ documentId: d.id, use, delegation });
          return h('div', { class: 'compile-source' }, h('label', { class: 'checkbox', for: `compile-use-${i}` }, use, ` ${d.symbol} — ${d.title}`), delegation);
        }),
    );
  };
  base.addEventListener('change', fill);

  const { fail, clear } = disclosureForm({
    toggle,
    form,
    cancel,
    error,
    first: symbol,
    onOpen() {
      fill();
      symbol.placeholder = nextSymbol(documents()) ?? 'CWG-AI/5';
    },
  });
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const body: CompileBody = { symbol: symbol.value.trim(), baseDocumentId: base.value, sources: [] };
    if (!body.symbol) return fail('Enter the symbol the compiled text will have, e.g. CWG-AI/5.');
    if (!isDocumentSymbol(body.symbol)) return fail(`"${body.symbol}" is not a document symbol: use letters, digits and - . / ( ) only, as in CWG-AI/5.`);
    if (title.value.trim()) body.title = title.value.trim();
    for (const row of rows.filter((r) => r.use.checked)) {
      if (!row.delegation.value) return fail('Choose the delegation each ticked proposal comes from.', row.delegation);
      body.sources.push({ documentId: row.documentId, delegation: row.delegation.value });
    }
    if (body.sources.length === 0) return fail('Tick at least one proposal to compile against the base text.', sources);
    clear();
    await whileBusy(submit, 'Compiling…', async () => {
      try {
        const { document } = await api.compile(slug, body);
        navigate(`/documents/${encodeURIComponent(document.id)}/compilation`);
      } catch (failure) {
        fail(failure instanceof ApiError ? sentence(failure.message) : 'The proposals could not be compiled. Try again.');
      }
    });
  });
  return h('div', { class: 'new-document-wrap' }, toggle, form);
}
