import type { DocumentSummary, ImportBody, ImportResponse } from '../../shared/api.ts';
import { isDocumentSymbol } from '../../shared/documents.ts';
import { api, ApiError } from '../app/api.ts';
import { h } from '../app/dom.ts';
import { sentence } from '../app/format.ts';
import { navigate } from '../app/router.ts';
import { nextSymbol } from './new-document-form.ts';
import { whileBusy } from '../app/busy.ts';
import { disclosureForm } from '../app/disclosure-form.ts';

/**
 * "Import a text", for the chair and the secretariat: paste the text as the secretariat has it
 * (laid out as ITU texts are pasted) or upload a .docx, and Concord builds the structure — sections,
 * provisions, numbering, footnotes. Lines the importer could not place are listed with their number
 * before the document is opened; the text was imported anyway, as plain paragraphs.
 */
const MAX_FILE_BYTES = 10 * 1024 * 1024;

export function importForm(slug: string, existing: () => DocumentSummary[], delegations: () => { name: string }[] = () => []): HTMLElement {
  const toggle = h('button', { type: 'button', class: 'button', 'aria-expanded': 'false', 'aria-controls': 'import-document' }, 'Import a text');
  const symbol = h('input', { id: 'import-symbol', type: 'text', required: true, maxlength: '64', autocomplete: 'off', spellcheck: 'false' });
  const title = h('input', { id: 'import-title', type: 'text', maxlength: '300', autocomplete: 'off', placeholder: 'Taken from the text when empty' });
  const text = h('textarea', {
    id: 'import-text',
    rows: 10,
    spellcheck: 'false',
    placeholder: 'Paste the text here: title, "The Plenipotentiary Conference …", keywords on their own line, a)  and 1  provisions…',
  });
  const file = h('input', { id: 'import-file', type: 'file', accept: '.docx,.txt,application/vnd.openxmlformats-officedocument.wordprocessingml.document,text/plain' });
  const fromBase = h('input', { id: 'import-base', type: 'checkbox' });
  const baseReference = h('input', { id: 'import-base-reference', type: 'text', maxlength: '300', placeholder: 'e.g. Resolution 214 (Rev. Bucharest, 2022)', disabled: true });
  const source = h('select', { id: 'import-source' });
  const error = h('p', { class: 'form-error', role: 'alert', hidden: true });
  const report = h('div', { class: 'import-report', hidden: true, role: 'status' });
  const submit = h('button', { type: 'submit', class: 'button button-primary' }, 'Import');
  const cancel = h('button', { type: 'button', class: 'button button-quiet' }, 'Cancel');

  const form = h(
    'form',
    { id: 'import-document', class: 'new-document import-document', hidden: true, novalidate: true, 'aria-label': 'Import a text' },
    h('div', { class: 'field field-symbol' }, h('label', { for: 'import-symbol' }, 'Symbol'), symbol),
    h('div', { class: 'field field-title' }, h('label', { for: 'import-title' }, 'Title'), title),
    h('div', { class: 'field field-text' }, h('label', { for: 'import-text' }, 'Text'), text),
    h('div', { class: 'field field-file' }, h('label', { for: 'import-file' }, 'or a Word file (.docx) or text file'), file),
    h('div', { class: 'field field-source' }, h('label', { for: 'import-source' }, 'A proposal of (for compiling)'), source),
    h(
      'div',
      { class: 'field field-base' },
      h('label', { class: 'checkbox' }, fromBase, ' Propose modifications to this text (every provision starts as NOC)'),
      h('label', { for: 'import-base-reference', class: 'visually-hidden' }, 'Base text reference'),
      baseReference,
    ),
    h('div', { class: 'form-actions' }, submit, cancel),
    error,
    report,
  );

  const { fail, clear } = disclosureForm({
    toggle,
    form,
    cancel,
    error,
    first: symbol,
    onOpen() {
      symbol.placeholder = nextSymbol(existing()) ?? 'CWG-AI/3';
      source.replaceChildren(h('option', { value: '' }, 'No delegation (a base text)'), ...delegations().map((d) => h('option', { value: d.name }, d.name)));
    },
  });
  fromBase.addEventListener('change', () => {
    baseReference.disabled = !fromBase.checked;
    if (fromBase.checked) baseReference.focus();
  });

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    report.hidden = true;
    const body: ImportBody = { symbol: symbol.value.trim() };
    if (!body.symbol) return fail('Enter the symbol the document will have, e.g. CWG-AI/4.');
    if (!isDocumentSymbol(body.symbol)) return fail(`"${body.symbol}" is not a document symbol: use letters, digits and - . / ( ) only, as in CWG-AI/4.`);
    if (title.value.trim()) body.title = title.value.trim();
    if (source.value) body.source = [source.value];
    if (fromBase.checked) {
      body.fromBase = true;
      if (baseReference.value.trim()) body.baseReference = baseReference.value.trim();
    }
    const chosen = file.files?.[0];
    if (chosen) {
      if (chosen.size > MAX_FILE_BYTES) return fail(`${chosen.name} is ${(chosen.size / 1048576).toFixed(1)} MB; files up to 10 MB can be imported.`, file);
      if (/\.docx$/i.test(chosen.name)) body.docx = await base64(chosen);
      else body.text = await chosen.text();
    } else if (text.value.trim()) {
      body.text = text.value;
    } else {
      return fail('Paste the text, or choose a .docx or text file.', text);
    }
    clear();
    await whileBusy(submit, 'Importing…', async () => {
      try {
        const result = await api.importDocument(slug, body);
        if (result.problems.length === 0) {
          navigate(`/documents/${encodeURIComponent(result.document.id)}`);
          return;
        }
        showReport(report, result);
      } catch (failure) {
        fail(failure instanceof ApiError ? sentence(failure.message) : 'The text could not be imported. Try again.');
      }
    });
  });

  return h('div', { class: 'new-document-wrap' }, toggle, form);
}

/** What the importer could not place, line by line, with the way to the imported document. */
function showReport(report: HTMLElement, result: ImportResponse): void {
  const { document: imported, problems } = result;
  report.replaceChildren(
    h(
      'p',
      {},
      h('strong', {}, `${imported.symbol} was imported. `),
      `${problems.length} line${problems.length === 1 ? '' : 's'} could not be placed in the structure and ${problems.length === 1 ? 'was' : 'were'} kept as plain text:`,
    ),
    h(
      'ul',
      { class: 'import-problems' },
      problems.map((p) => h('li', {}, h('span', { class: 'import-line' }, `Line ${p.line}`), ' ', p.message, p.text && h('q', {}, p.text.slice(0, 120)))),
    ),
    h('a', { class: 'button button-primary', href: `/documents/${encodeURIComponent(imported.id)}` }, `Open ${imported.symbol}`),
  );
  report.hidden = false;
  report.querySelector('a')?.focus();
}

async function base64(file: File): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}
