import type { Node as PMNode } from 'prosemirror-model';
import { schema } from '../schema/index.ts';
import { cleanLine, FOOTNOTE_BODY } from './artefacts.ts';
import type { ImportProblem } from './problems.ts';
import { isKeywordLine, parseResolution } from './resolution.ts';
import type { ParsedLine } from './resolution.ts';
import { isCouncilHeading, parseCouncilDocument } from './council.ts';

export type { ImportProblem } from './problems.ts';
export { normaliseText } from './artefacts.ts';

/** Which layout a text follows: a resolution-like instrument or a Council document. */
export type TextKind = 'resolution' | 'council-document';

export interface ImportResult {
  doc: PMNode;
  kind: TextKind;
  /** Lines that were not where the layout expected them; their text is imported all the same. */
  problems: ImportProblem[];
}

/** A resolution has keyword lines (and no Council headings such as "Purpose"); anything else is a Council document. */
export function detectKind(lines: readonly ParsedLine[]): TextKind {
  const keywords = lines.filter((l) => isKeywordLine(l.text)).length;
  const councilHeadings = lines.filter((l) => isCouncilHeading(l.text)).length;
  return keywords >= 2 || (keywords === 1 && councilHeadings === 0) ? 'resolution' : 'council-document';
}

/**
 * Reads a text pasted from Word (or extracted from a .docx) into the structured schema.
 * One parser for the browser's paste, the API and the CLI.
 */
export function importText(text: string, kind?: TextKind): ImportResult {
  const footnotes = new Map<string, string>();
  const lines: ParsedLine[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = cleanLine(raw);
    if (line === '') return;
    const body = FOOTNOTE_BODY.exec(line);
    if (body) {
      footnotes.set(body[1]!, body[2]!.trim());
      return;
    }
    lines.push({ number: i + 1, text: line });
  });
  const chosen = kind ?? detectKind(lines);
  const { blocks, problems } = chosen === 'resolution' ? parseResolution(lines, footnotes) : parseCouncilDocument(lines, footnotes);
  if (blocks.length === 0) blocks.push(schema.nodes.paragraph!.create());
  const doc = schema.nodes.doc!.create(null, blocks);
  doc.check();
  return { doc, kind: chosen, problems };
}
