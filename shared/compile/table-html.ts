import { wordChanges } from '../revision-marks.ts';
import type { CompilationCell, CompilationTable } from './compile.ts';

/**
 * The compilation table as secretariats circulate it: one row per provision of the base text (and
 * per provision a source adds), one column per source, each cell the source's marker, reference,
 * wording (insertions and deletions against the base shown) and reasons. One rendering for the
 * page's view and the HTML export; every text is escaped here.
 */
const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function wording(cell: CompilationCell, base: string | null): string {
  if (cell.marker === 'SUP' || cell.marker === 'SUP*') return `<del>${escapeHtml(cell.text)}</del>`;
  if (base === null) return escapeHtml(cell.text);
  return wordChanges(base, cell.text)
    .map((c) => (c.kind === 'inserted' ? `<ins>${escapeHtml(c.text)}</ins>` : c.kind === 'deleted' ? `<del>${escapeHtml(c.text)}</del>` : escapeHtml(c.text)))
    .join('');
}

function cellHtml(cell: CompilationCell | undefined, base: string | null): string {
  if (!cell) return '<td class="no-proposal"><span aria-label="no proposal">–</span></td>';
  return [
    `<td class="proposal marker-${escapeHtml(cell.marker.replace(/[^A-Z]/g, ''))}">`,
    `<p class="marker"><strong>${escapeHtml(cell.marker)}</strong>${cell.reference ? ` ${escapeHtml(cell.reference)}` : ''}</p>`,
    `<p class="wording">${wording(cell, base)}</p>`,
    cell.reasons ? `<p class="reasons"><strong>Reasons:</strong> ${escapeHtml(cell.reasons)}</p>` : '',
    '</td>',
  ].join('');
}

/** The table element alone (for the page). */
export function compilationTableHtml(table: CompilationTable): string {
  const head = [
    `<th scope="col">Provision</th>`,
    `<th scope="col">Base text<br><span class="source-symbol">${escapeHtml(table.base.symbol)}</span></th>`,
    ...table.sources.map((s) => `<th scope="col">${escapeHtml(s.delegation)}${s.symbol ? `<br><span class="source-symbol">${escapeHtml(s.symbol)}</span>` : ''}</th>`),
  ];
  const rows = table.rows.map((row) => {
    const cells = table.sources.map((s) =>
      cellHtml(
        row.cells.find((c) => c.delegation === s.delegation),
        row.base,
      ),
    );
    const base = row.base === null ? '<td class="added-provision"><em>(new provision)</em></td>' : `<td class="base">${escapeHtml(row.base)}</td>`;
    return `<tr${row.cells.length ? ' class="proposed"' : ''}><th scope="row"><span class="row-section">${escapeHtml(row.section)}</span> ${escapeHtml(row.label)}</th>${base}${cells.join('')}</tr>`;
  });
  return `<table class="compilation-table"><thead><tr>${head.join('')}</tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

/** A whole HTML file: the table with its title and the sources' proposal-wide reasons. */
export function compilationHtmlDocument(table: CompilationTable, title: string): string {
  const reasons = table.sources
    .filter((s) => s.reasons)
    .map((s) => `<li><strong>${escapeHtml(s.delegation)}</strong>${s.reference ? ` (${escapeHtml(s.reference)})` : ''}: ${escapeHtml(s.reasons)}</li>`);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>
body { font-family: "Times New Roman", serif; margin: 2em; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 1px solid #555; padding: .4em; vertical-align: top; text-align: left; }
thead th { background: #eee; }
ins { text-decoration: underline; color: #0a4d8c; }
del { text-decoration: line-through; color: #9b1c1c; }
.no-proposal { color: #777; text-align: center; }
.source-symbol, .row-section { font-weight: normal; font-style: italic; }
.marker, .wording, .reasons { margin: 0 0 .3em; }
</style></head>
<body><h1>${escapeHtml(title)}</h1>
<p>Proposals against ${escapeHtml(table.base.symbol)}${table.base.title ? ` — ${escapeHtml(table.base.title)}` : ''}, by source.</p>
${compilationTableHtml(table)}
${reasons.length ? `<h2>Reasons given for whole proposals</h2><ul>${reasons.join('')}</ul>` : ''}
</body></html>
`;
}
