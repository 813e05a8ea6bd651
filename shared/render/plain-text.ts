import type { Node as PMNode } from 'prosemirror-model';
import { plainRuns, renderModel } from './model.ts';
import type { Rendering, RenderMode } from './model.ts';

export { isProposal, provisionMarker } from './model.ts';

/** How to render: the text as it stands, or with each provision's proposal marker and reasons. */
export interface PlainTextOptions {
  /** Print "MOD ACP/47A1/1" before and "Reasons: …" after each provision of a proposal. */
  markers: boolean;
  /** Overrides `markers`: clean, negotiation (brackets shown) or revisions. */
  mode: RenderMode;
}

/**
 * The document as plain text, laid out as ITU texts are pasted: labels as computed, a tab after
 * each label, keywords on their own line, footnote numbers as superscripts and footnotes at the end.
 * (Plain text cannot strike through: in revisions mode a MOD prints its current text.)
 */
export function renderPlainText(doc: PMNode, options: Partial<PlainTextOptions> = {}): string {
  const mode = options.mode ?? (options.markers ? 'revisions' : 'clean');
  return plainTextOf(renderModel(doc, mode));
}

export function plainTextOf(rendering: Rendering): string {
  const lines: string[] = [];
  let inAnnex = false;
  for (const block of rendering.blocks) {
    if (block.annex && !inAnnex) {
      lines.push('');
      inAnnex = true;
    }
    // a MOD reads as its current text; a SUP keeps the text it deletes
    const text = plainRuns(block.runs, { deleted: block.marker === 'SUP' || block.marker === 'SUP*' });
    if (block.kind === 'rule') lines.push('__________________');
    else if (block.label) lines.push(`${block.label}\t${text}`);
    else lines.push(text);
  }
  if (rendering.footnotes.length) lines.push('__________________', ...rendering.footnotes.map((f) => `${f.number}\t${f.text}`));
  return `${lines.join('\n')}\n`;
}
