import { h } from '../app/dom.ts';
import { sentence } from '../app/format.ts';
import { whileBusy } from '../app/busy.ts';

/**
 * "Export": the text for Council (clean), the text as negotiated (brackets and who proposed
 * them) or the proposal layout (revision marks), as Word, HTML, Markdown, plain text or Akoma
 * Ntoso. A clean export refused because brackets remain says which, and offers to keep them.
 */
const FORMATS: [string, string][] = [
  ['docx', 'Word (.docx)'],
  ['html', 'HTML (print)'],
  ['md', 'Markdown'],
  ['txt', 'Plain text'],
  ['akn', 'Akoma Ntoso XML'],
];
const MODES: [string, string][] = [
  ['clean', 'Clean text for Council'],
  ['negotiation', 'Negotiation text (brackets)'],
  ['revisions', 'Revision marks (proposal)'],
];

export function exportMenu(documentId: string): HTMLElement {
  const format = h(
    'select',
    { class: 'field', 'aria-label': 'Export format' },
    FORMATS.map(([v, label]) => h('option', { value: v }, label)),
  );
  const mode = h(
    'select',
    { class: 'field', 'aria-label': 'Export mode' },
    MODES.map(([v, label]) => h('option', { value: v }, label)),
  );
  const go = h('button', { type: 'button', class: 'button button-primary button-small' }, 'Download');
  const message = h('p', { class: 'export-message', role: 'status', hidden: true });
  const panel = h('div', { class: 'export-panel', hidden: true, role: 'dialog', 'aria-label': 'Export the document' }, mode, format, go, message);
  const toggle = h('button', { type: 'button', class: 'button button-small', 'aria-expanded': 'false' }, 'Export');
  toggle.addEventListener('click', () => {
    panel.hidden = !panel.hidden;
    toggle.setAttribute('aria-expanded', String(!panel.hidden));
    if (!panel.hidden) mode.focus();
  });
  panel.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') {
      panel.hidden = true;
      toggle.setAttribute('aria-expanded', 'false');
      toggle.focus();
    }
  });

  const download = (keep: boolean) =>
    whileBusy([go, toggle], 'Preparing…', async () => {
      message.hidden = false;
      message.textContent = `Preparing the ${FORMATS.find(([v]) => v === format.value)?.[1] ?? ''} file… a long text can take a few seconds.`;
      try {
        const url = `/api/documents/${encodeURIComponent(documentId)}/export?format=${format.value}&mode=${mode.value}${keep ? '&brackets=keep' : ''}`;
        const response = await fetch(url, { credentials: 'same-origin' });
        if (!response.ok) {
          const body = (await response.json().catch(() => null)) as { message?: string } | null;
          message.replaceChildren(sentence(body?.message ?? `The export failed (${response.status}).`));
          if (response.status === 409 && mode.value === 'clean') {
            message.append(' ', h('button', { type: 'button', class: 'link-button', onclick: () => void download(true) }, 'Export the clean text with its brackets anyway'));
          }
          return;
        }
        const name = /filename="([^"]+)"/.exec(response.headers.get('content-disposition') ?? '')?.[1] ?? `export.${format.value}`;
        const link = h('a', { href: URL.createObjectURL(await response.blob()), download: name });
        document.body.append(link);
        link.click();
        link.remove();
        setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
        message.textContent = `Downloaded ${name}.`;
      } catch {
        message.textContent = 'The server could not be reached. Try again.';
      }
    });
  go.addEventListener('click', () => void download(false));
  return h('div', { class: 'export-menu' }, toggle, panel);
}
