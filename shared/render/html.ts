import type { Block, Rendering, Run } from './model.ts';

/**
 * A print-ready HTML file of a rendering: ITU's layout (Times New Roman, centred title block,
 * italic keywords, hanging labels), insertions underlined and deletions struck, brackets in bold,
 * footnotes at the end. Every piece of text is escaped: nothing a delegation typed becomes markup.
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

function runs(list: readonly Run[]): string {
  return list
    .map((run) => {
      if (run.footnote) return `<sup class="fn"><a href="#fn${run.footnote}" id="ref${run.footnote}">${run.footnote}</a></sup>`;
      let html = escapeHtml(run.text).replace(/\n/g, '<br>');
      if (run.bold) html = `<b>${html}</b>`;
      if (run.bracket) html = `<b class="bracket">${html}</b>`;
      if (run.italic) html = `<i>${html}</i>`;
      if (run.inserted) html = `<ins>${html}</ins>`;
      if (run.deleted) html = `<del>${html}</del>`;
      return html;
    })
    .join('');
}

function block(b: Block): string {
  const text = runs(b.runs);
  const label = b.label ? `<span class="label">${escapeHtml(b.label)}</span>` : '';
  switch (b.kind) {
    case 'title':
      return `<h1 class="title">${text}</h1>`;
    case 'subtitle':
      return `<h2 class="subtitle">${text}</h2>`;
    case 'annex-title':
      return `<h2 class="annex-title">${text}</h2>`;
    case 'heading':
      return `<h${Math.min(6, (b.level ?? 2) + 1)} class="heading">${label}${text}</h${Math.min(6, (b.level ?? 2) + 1)}>`;
    case 'rule':
      return '<hr>';
    case 'keyword':
      return `<p class="keyword">${text}</p>`;
    case 'marker':
    case 'proposal-line':
      return `<p class="marker">${text}</p>`;
    default:
      return `<p class="${b.kind}${b.label ? ' labelled' : ''}">${label}${text}</p>`;
  }
}

export function htmlOf(rendering: Rendering, meta: { title: string; symbol: string; date?: string | null; language?: string; cover?: string[] }): string {
  const notes = rendering.footnotes.length
    ? `<hr class="notes"><ol class="footnotes">${rendering.footnotes.map((f) => `<li id="fn${f.number}">${escapeHtml(f.text)} <a href="#ref${f.number}" aria-label="back">↩</a></li>`).join('')}</ol>`
    : '';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escapeHtml(meta.symbol)} — ${escapeHtml(meta.title)}</title>
<style>
  @page { size: A4; margin: 2cm 2cm 2.2cm; }
  body { font: 12pt/1.45 "Times New Roman", Times, serif; max-width: 17cm; margin: 2em auto; color: #000; }
  header.cover p { margin: 0 0 2pt; font-size: 11pt; }
  header.meta { display: flex; justify-content: space-between; font-size: 11pt; border-bottom: 1px solid #000; padding-bottom: 4pt; margin-bottom: 18pt; }
  h1.title { font-size: 13pt; font-weight: normal; text-transform: uppercase; text-align: center; }
  h2.subtitle, h2.annex-title { font-size: 13pt; text-align: center; }
  p { margin: 0 0 6pt; }
  p.keyword { font-style: italic; margin-top: 12pt; }
  p.labelled { padding-left: 2.2em; text-indent: -2.2em; }
  p.sub-item { margin-left: 2.2em; }
  .label { display: inline-block; min-width: 2.2em; text-indent: 0; }
  p.marker { font-weight: bold; margin-top: 10pt; }
  ins { text-decoration: underline; } del { text-decoration: line-through; }
  b.bracket { font-weight: bold; }
  sup.fn a { text-decoration: none; color: inherit; }
  ol.footnotes { font-size: 10pt; padding-left: 1.2em; }
  hr.notes { width: 33%; margin-left: 0; }
</style>
</head>
<body>
${meta.cover?.length ? `<header class="cover">${meta.cover.map((line) => `<p>${escapeHtml(line)}</p>`).join('')}</header>\n` : ''}<header class="meta"><span>${escapeHtml(meta.symbol)}</span><span>${meta.date ? `${escapeHtml(meta.date)} · ` : ''}Original: ${escapeHtml(meta.language ?? 'English')}</span></header>
${rendering.blocks.map(block).join('\n')}
${notes}
</body>
</html>
`;
}
