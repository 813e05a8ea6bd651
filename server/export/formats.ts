import type { Node as PMNode } from 'prosemirror-model';
import { renderModel } from '../../shared/render/model.ts';
import { plainTextOf } from '../../shared/render/plain-text.ts';
import { markdownOf } from '../../shared/render/markdown.ts';
import { htmlOf } from '../../shared/render/html.ts';
import { aknOf, documentName } from '../../shared/render/akoma-ntoso.ts';
import { collectBrackets } from '../../shared/brackets/model.ts';
import { docxOf } from './docx.ts';

/**
 * Every export format and mode, from one rendering of the document model (shared/render/model.ts),
 * for the API, the CLI and the document page alike.
 */
export const EXPORT_FORMATS = ['txt', 'md', 'html', 'docx', 'akn'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const EXPORT_MODES = ['clean', 'negotiation', 'revisions'] as const;
export type ExportMode = (typeof EXPORT_MODES)[number];

export interface Rendered {
  body: string | Buffer;
  contentType: string;
  extension: string;
}

/** What the document is, for headers and metadata. */
export interface ExportMeta {
  symbol: string;
  title: string;
  date: string | null;
  language: string;
  group: string;
  /** An imported proposal's cover block, line by line (conference, document, agenda item, source): printed once, in the header. */
  cover?: string[];
}

/** A clean text was asked for while brackets are still open: the message lists them. */
export class OpenBracketsError extends Error {
  constructor(readonly brackets: { delegation: string; kind: string; text: string; where: string }[]) {
    super(`the text still has ${brackets.length} open bracket${brackets.length === 1 ? '' : 's'}, so it is not clean: ${brackets
      .slice(0, 8).map((b) => `${b.where || 'outside the provisions'} (${b.delegation}): “${b.text.length > 40 ? `${b.text.slice(0, 39)}…` : b.text}”`).join('; ')}${brackets.length > 8 ? '; …' : ''}. Have the chair clean them, export in negotiation mode, or ask for the clean text with its brackets kept`);
  }
}

/** Renders a document in a format and mode. A clean export refuses open brackets unless `keepBrackets`. */
export async function renderDocument(doc: PMNode, format: ExportFormat, mode: ExportMode, meta: ExportMeta, options: { keepBrackets?: boolean } = {}): Promise<Rendered> {
  if (mode === 'clean') {
    const open = [...collectBrackets(doc).values()];
    if (open.length && !options.keepBrackets) {
      throw new OpenBracketsError(open.map((b) => ({ delegation: b.delegation, kind: b.kind, text: b.text, where: [b.provisionLabel, b.section && `of ${b.section}`].filter(Boolean).join(' ') })));
    }
  }
  // Clean: the text for Council, its brackets printed without names when asked to keep them.
  const rendering = renderModel(doc, mode, { keepBrackets: options.keepBrackets === true, forCouncil: true });
  // A Council document's text starts with "Purpose": its title block comes from the document's
  // metadata (a resolution, with keywords, is printed exactly as its text stands).
  if (meta.title && !rendering.blocks.some((block) => block.kind === 'title' || block.kind === 'keyword')) rendering.blocks.unshift({ kind: 'title', runs: [{ text: meta.title }] });
  const date = meta.date ?? new Date().toISOString().slice(0, 10);
  // the document's whole name wherever a format names it (a stored title may be cut: see documentName)
  const title = documentName(rendering, meta.title);
  switch (format) {
    case 'txt':
      return { body: plainTextOf(rendering), contentType: 'text/plain; charset=utf-8', extension: 'txt' };
    case 'md':
      return { body: markdownOf(rendering), contentType: 'text/markdown; charset=utf-8', extension: 'md' };
    case 'html':
      return { body: htmlOf(rendering, { ...meta, title, date }), contentType: 'text/html; charset=utf-8', extension: 'html' };
    case 'akn':
      return { body: aknOf(rendering, { ...meta, title, date }), contentType: 'application/akn+xml; charset=utf-8', extension: 'akn.xml' };
    case 'docx':
      return {
        body: await docxOf(rendering, { symbol: meta.symbol, title, date, language: meta.language, cover: meta.cover }),
        contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
        extension: 'docx',
      };
  }
}
