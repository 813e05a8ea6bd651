import type { Node as PMNode } from 'prosemirror-model';
import { renderModel } from '../../shared/render/model.ts';
import { plainTextOf } from '../../shared/render/plain-text.ts';
import { markdownOf } from '../../shared/render/markdown.ts';
import { htmlOf } from '../../shared/render/html.ts';
import { aknOf, documentName } from '../../shared/render/akoma-ntoso.ts';
import { alternativesPhrase, collectBrackets, openQuestions, optionsOf, ownerOf } from '../../shared/brackets/model.ts';
import type { Bracket, OpenQuestions } from '../../shared/brackets/model.ts';
import type { Role } from '../../shared/roles.ts';
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

/** One open question of the text, as the refusal lists it: a bracket, or an alternatives group with its options. */
export interface OpenQuestion {
  delegation: string;
  kind: string;
  text: string;
  where: string;
}

/**
 * A clean text was asked for while brackets are still open: the message counts the open questions
 * (an alternatives group is one), lists them, and says what the reader can do — the chair decides
 * them; anyone else asks the chair.
 */
export class OpenBracketsError extends Error {
  constructor(
    readonly brackets: OpenQuestion[],
    counts: OpenQuestions,
    reader: Role | null = null,
  ) {
    const single = counts.open - counts.alternatives;
    const what =
      counts.alternatives === 0
        ? `${counts.open} open bracket${counts.open === 1 ? '' : 's'}`
        : `${counts.open} open question${counts.open === 1 ? '' : 's'} (${single} bracket${single === 1 ? '' : 's'}, ${alternativesPhrase(counts)})`;
    const listed = brackets
      .slice(0, 8)
      .map((b) => `${b.where || 'outside the provisions'} (${b.delegation}): “${b.text.length > 40 ? `${b.text.slice(0, 39)}…` : b.text}”`)
      .join('; ');
    const todo =
      reader === 'chair'
        ? 'Accept or reject them (or choose an option) in the Proposals panel, export in negotiation mode, or ask for the clean text with its brackets kept'
        : 'Ask the chair to decide on them, export in negotiation mode, or ask for the clean text with its brackets kept';
    super(`the text still has ${what}, so it is not clean: ${listed}${brackets.length > 8 ? '; …' : ''}. ${todo}`);
  }
}

/** The open questions of a text: each bracket, and each alternatives group once, its options joined. */
function openList(doc: PMNode): OpenQuestion[] {
  const all = collectBrackets(doc);
  const where = (b: Bracket) => [b.provisionLabel, b.section && `of ${b.section}`].filter(Boolean).join(' ');
  const listed: OpenQuestion[] = [];
  const groups = new Set<string>();
  for (const b of all.values()) {
    if (b.kind !== 'alternative') listed.push({ delegation: ownerOf(b.delegation), kind: b.kind, text: b.text, where: where(b) });
    else if (!groups.has(b.group)) {
      groups.add(b.group);
      const options = optionsOf(all, b.group);
      listed.push({
        delegation: options.map((o) => ownerOf(o.delegation)).join(' / '),
        kind: 'alternative',
        text: options.map((o, i) => `Alt ${i + 1} ${o.text}`).join(' / '),
        where: where(b),
      });
    }
  }
  return listed;
}

/** Renders a document in a format and mode. A clean export refuses open brackets unless `keepBrackets`; `reader` words the refusal for their role. */
export async function renderDocument(doc: PMNode, format: ExportFormat, mode: ExportMode, meta: ExportMeta, options: { keepBrackets?: boolean; reader?: Role } = {}): Promise<Rendered> {
  if (mode === 'clean' && !options.keepBrackets) {
    const counts = openQuestions(collectBrackets(doc).values());
    if (counts.open) throw new OpenBracketsError(openList(doc), counts, options.reader ?? null);
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
