import type { Block, Rendering, Run } from './model.ts';

/**
 * Markdown of a rendering: keywords in italics, provisions as labelled lines, insertions and
 * deletions as <ins>/<del> (Markdown has no underline), footnotes as [^n]. Every character of the
 * text that Markdown would read as markup is escaped.
 */
const escapeMarkdown = (text: string) => text.replace(/([\\`*_{}[\]()#+!|<>~])/g, '\\$1');

function runs(list: readonly Run[]): string {
  return list.map((run) => {
    if (run.footnote) return `[^${run.footnote}]`;
    let text = escapeMarkdown(run.text).replace(/\n/g, '  \n');
    if (!text.trim()) return text;
    if (run.bold || run.bracket) text = `**${text}**`;
    if (run.italic) text = `*${text}*`;
    if (run.inserted) text = `<ins>${text}</ins>`;
    if (run.deleted) text = `<del>${text}</del>`;
    return text;
  }).join('');
}

function line(block: Block): string {
  const text = runs(block.runs);
  switch (block.kind) {
    case 'title':
      return `# ${text}`;
    case 'subtitle':
      return `## ${text}`;
    case 'annex-title':
      return `## ${text}`;
    case 'heading':
      return `${'#'.repeat(Math.min(6, (block.level ?? 2) + 1))} ${block.label ? `${block.label} ` : ''}${text}`;
    case 'rule':
      return '---';
    case 'sub-item':
      return `    ${block.label ?? ''} ${text}`.trimEnd();
    default:
      return block.label ? `${escapeMarkdown(block.label)} ${text}` : text;
  }
}

export function markdownOf(rendering: Rendering): string {
  const out = rendering.blocks.map(line);
  if (rendering.footnotes.length) {
    out.push('', ...rendering.footnotes.map((f) => `[^${f.number}]: ${escapeMarkdown(f.text)}`));
  }
  return `${out.join('\n\n')}\n`;
}
