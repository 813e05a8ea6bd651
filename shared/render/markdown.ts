import type { Block, Rendering, Run } from './model.ts';

/**
 * Markdown of a rendering: keywords in italics, provisions as lists of labelled items (see markdownOf), insertions and
 * deletions as <ins>/<del> (Markdown has no underline), footnotes as [^n]. Every character of the
 * text that Markdown would read as markup is escaped.
 */
const escapeMarkdown = (text: string) => text.replace(/([\\`*_{}[\]()#+!|<>~])/g, '\\$1');

function runs(list: readonly Run[]): string {
  return list
    .map((run) => {
      if (run.footnote) return `[^${run.footnote}]`;
      let text = escapeMarkdown(run.text).replace(/\n/g, '  \n');
      if (!text.trim()) return text;
      if (run.bold || run.bracket) text = `**${text}**`;
      if (run.italic) text = `*${text}*`;
      if (run.inserted) text = `<ins>${text}</ins>`;
      if (run.deleted) text = `<del>${text}</del>`;
      return text;
    })
    .join('');
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
    default:
      return block.label ? `${escapeMarkdown(block.label)} ${text}` : text;
  }
}

/** Blocks that live in a section's list of provisions. */
const IN_LIST = new Set<Block['kind']>(['provision', 'sub-item', 'marker', 'reasons']);

/** Every line of a piece of Markdown indented to a list item's content column. */
const indent = (markdown: string, by: number) =>
  markdown
    .split('\n')
    .map((l) => (l ? ' '.repeat(by) + l : l))
    .join('\n');

/**
 * The provisions of a section as a CommonMark list, each sub-item a list nested in its provision's
 * item ("- a\) …", then "  - i\) …"), the label printed as in the ITU text at the start of the
 * item. (CommonMark has no list marker that prints "a)", "i)", "3 bis" or "–", so the items are
 * bullets; indenting a sub-item four spaces instead would make it a code block.) A provision's
 * marker line and reasons are paragraphs of its item, indented to the item's content so that none
 * reads as code or ends the list.
 */
export function markdownOf(rendering: Rendering): string {
  const out: string[] = [];
  let pending: string[] = [];
  /** The content column of the list item being written, or null outside a list. */
  let column: number | null = null;
  let section: string | undefined;
  for (const block of rendering.blocks) {
    if (!IN_LIST.has(block.kind) || (column !== null && block.section !== section)) {
      out.push(...pending.map((m) => indent(m, column ?? 0)));
      pending = [];
      column = null;
    }
    if (!IN_LIST.has(block.kind)) {
      out.push(line(block));
      continue;
    }
    section = block.section;
    if (block.kind === 'marker') {
      pending.push(line(block));
      continue;
    }
    if (block.kind === 'reasons') {
      out.push(indent(line(block), column ?? 0));
      continue;
    }
    const nested: boolean = block.kind === 'sub-item' && column !== null;
    const at: number = nested ? 2 : 0;
    const [first, ...rest] = [...pending, line(block)];
    pending = [];
    out.push(`${' '.repeat(at)}- ${indent(first!, at + 2).trimStart()}`, ...rest.map((m) => indent(m, at + 2)));
    column = at + 2;
  }
  out.push(...pending.map((m) => indent(m, column ?? 0)));
  if (rendering.footnotes.length) {
    out.push('', ...rendering.footnotes.map((f) => `[^${f.number}]: ${escapeMarkdown(f.text)}`));
  }
  return `${out.join('\n\n')}\n`;
}
