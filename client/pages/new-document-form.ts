import type { DocumentSummary } from '../../shared/api.ts';
import { DOCUMENT_TYPES, isDocumentSymbol } from '../../shared/documents.ts';
import type { DocumentType } from '../../shared/documents.ts';
import { api, ApiError } from '../app/api.ts';
import { h } from '../app/dom.ts';
import { sentence, TYPE_LABEL } from '../app/format.ts';
import { navigate } from '../app/router.ts';
import { disclosureForm } from '../app/disclosure-form.ts';

/**
 * "New document", for the chair and the secretariat: title, symbol and type. The server's refusal
 * (duplicate symbol, missing right) is shown as it says it; a created document opens at once.
 */
export function newDocumentForm(slug: string, existing: () => DocumentSummary[]): HTMLElement {
  const toggle = h('button', { type: 'button', class: 'button button-primary', 'aria-expanded': 'false', 'aria-controls': 'new-document' }, 'New document');
  const title = h('input', { id: 'new-title', name: 'title', type: 'text', required: true, maxlength: '300', autocomplete: 'off' });
  const symbol = h('input', { id: 'new-symbol', name: 'symbol', type: 'text', required: true, maxlength: '64', autocomplete: 'off', spellcheck: 'false', 'aria-describedby': 'new-symbol-hint' });
  const type = h(
    'select',
    { id: 'new-type', name: 'type' },
    DOCUMENT_TYPES.map((t) => h('option', { value: t }, TYPE_LABEL[t])),
  );
  const error = h('p', { class: 'form-error', role: 'alert', hidden: true });
  const submit = h('button', { type: 'submit', class: 'button button-primary' }, 'Create document');
  const cancel = h('button', { type: 'button', class: 'button button-quiet' }, 'Cancel');

  const form = h(
    'form',
    { id: 'new-document', class: 'new-document', hidden: true, novalidate: true, 'aria-label': 'New document' },
    h(
      'div',
      { class: 'field field-symbol' },
      h('label', { for: 'new-symbol' }, 'Symbol'),
      symbol,
      h('span', { class: 'field-hint', id: 'new-symbol-hint' }, 'As printed on the document, e.g. CWG-AI/3'),
    ),
    h('div', { class: 'field field-title' }, h('label', { for: 'new-title' }, 'Title'), title),
    h('div', { class: 'field field-type' }, h('label', { for: 'new-type' }, 'Type'), type),
    h('div', { class: 'form-actions' }, submit, cancel),
    error,
  );

  const { fail, clear } = disclosureForm({ toggle, form, cancel, error, first: symbol, onOpen: () => (symbol.placeholder = nextSymbol(existing()) ?? 'CWG-AI/3') });

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const body = { title: title.value.trim(), symbol: symbol.value.trim(), type: type.value as DocumentType };
    if (!body.symbol) return fail('Enter the document symbol, e.g. CWG-AI/3.', symbol);
    if (!isDocumentSymbol(body.symbol)) {
      return fail(`"${body.symbol}" is not a document symbol: use letters, digits and - . / ( ) only, starting with a letter, as in CWG-AI/3 or C24/67(Add.1).`, symbol);
    }
    if (!body.title) return fail('Enter the title of the document.', title);
    submit.disabled = true;
    clear();
    try {
      const created = await api.createDocument(slug, body);
      navigate(`/documents/${encodeURIComponent(created.id)}`);
    } catch (failure) {
      fail(failure instanceof ApiError ? sentence(failure.message) : 'The document could not be created. Try again.');
    } finally {
      submit.disabled = false;
    }
  });

  return h('div', { class: 'new-document-wrap' }, toggle, form);
}

/** A likely next symbol, one past the highest numbered one: CWG-AI/2 → CWG-AI/3. */
export function nextSymbol(documents: DocumentSummary[]): string | null {
  const highest = new Map<string, number>();
  for (const d of documents) {
    const match = /^(.*\/)(\d+)$/.exec(d.symbol);
    if (match) highest.set(match[1]!, Math.max(highest.get(match[1]!) ?? 0, Number(match[2])));
  }
  const best = [...highest.entries()].sort((a, b) => b[1] - a[1])[0];
  return best ? `${best[0]}${best[1] + 1}` : null;
}
