import type { Node as PMNode } from 'prosemirror-model';
import { schema } from '../schema/index.ts';
import { cleanLine, extractInlineFootnotes, FOOTNOTE_BODY } from './artefacts.ts';
import type { ImportProblem } from './problems.ts';
import { FORMULA, isKeywordLine, MARKER_LINE, parseResolution } from './resolution.ts';
import type { ParsedLine } from './resolution.ts';
import { isCouncilHeading, parseCouncilDocument } from './council.ts';
import { readCover } from './cover.ts';
import type { CoverBlock } from './cover.ts';
import { hasRevisionMarks } from './revision-chars.ts';
import { stripRevisionMarks } from './revisions.ts';

export type { ImportProblem } from './problems.ts';
export type { CoverBlock } from './cover.ts';
export { normaliseText } from './artefacts.ts';

/** Which layout a text follows: a resolution-like instrument or a Council document. */
export type TextKind = 'resolution' | 'council-document';

export interface ImportResult {
  doc: PMNode;
  kind: TextKind;
  /** Lines that were not where the layout expected them; their text is imported all the same. */
  problems: ImportProblem[];
  /** The cover block at the top (conference, document, date, original, source, agenda item), or null; its lines are not in `doc`. */
  cover: CoverBlock | null;
}

/** A resolution has keyword lines (and no Council headings such as "Purpose"); anything else is a Council document. */
export function detectKind(lines: readonly ParsedLine[]): TextKind {
  const plain = lines.map((l) => stripRevisionMarks(l.text));
  const keywords = plain.filter((l) => isKeywordLine(l)).length;
  const councilHeadings = plain.filter((l) => isCouncilHeading(l)).length;
  const markers = plain.filter((l) => MARKER_LINE.test(l)).length;
  const formula = plain.some((l) => FORMULA.test(l));
  return keywords >= 2 || (keywords === 1 && (councilHeadings === 0 || formula)) || (markers > 0 && councilHeadings === 0) ? 'resolution' : 'council-document';
}

/**
 * Reads a text pasted from Word (or extracted from a .docx) into the structured schema.
 * One parser for the browser's paste, the API and the CLI. Never throws on what the text holds:
 * what the layout does not expect is imported as paragraphs and reported in `problems`.
 */
export function importText(text: string, kind?: TextKind): ImportResult {
  const footnotes = new Map<string, string>();
  const lines: ParsedLine[] = [];
  String(text ?? '')
    .split(/\r?\n/)
    .forEach((raw, i) => {
      const cleaned = cleanLine(raw);
      if (cleaned === '') return;
      const body = FOOTNOTE_BODY.exec(cleaned);
      if (body) {
        footnotes.set(body[1]!, body[2]!.trim());
        return;
      }
      const { line, bodies } = extractInlineFootnotes(cleaned);
      for (const [n, note] of bodies) footnotes.set(n, note);
      const rest = line.replace(/\s+$/, '');
      if (rest !== '') lines.push({ number: i + 1, text: rest });
    });
  const cover = readCover(lines);
  const body = cover ? lines.filter((l) => !cover.lines.includes(l.number)) : lines;
  const chosen = kind ?? detectKind(body);
  try {
    const parsed =
      chosen === 'resolution'
        ? parseResolution(body, footnotes)
        : parseCouncilDocument(
            body.map((l) => ({ number: l.number, text: stripRevisionMarks(l.text) })),
            footnotes,
          );
    const blocks = parsed.blocks;
    // a text carrying revision marks and no proposal marker is a MOD of the whole text
    if (chosen === 'resolution' && body.some((l) => hasRevisionMarks(l.text)) && !body.some((l) => MARKER_LINE.test(stripRevisionMarks(l.text)))) {
      blocks.unshift(schema.nodes.proposal_line!.create({ marker: 'MOD', reference: '' }));
    }
    if (blocks.length === 0) blocks.push(schema.nodes.paragraph!.create());
    const doc = schema.nodes.doc!.create(null, blocks);
    doc.check();
    return { doc, kind: chosen, problems: parsed.problems, cover };
  } catch (error) {
    // the layout could not be built: every line as a paragraph, and say so
    const paragraphs = body.map((l) => schema.nodes.paragraph!.create(null, stripRevisionMarks(l.text).replace(/\t+/g, ' ') ? schema.text(stripRevisionMarks(l.text).replace(/\t+/g, ' ')) : null));
    const doc = schema.nodes.doc!.create(null, paragraphs.length ? paragraphs : [schema.nodes.paragraph!.create()]);
    const problems = [{ line: body[0]?.number ?? 1, text: body[0]?.text ?? '', message: `the text could not be read as a ${chosen} (${(error as Error).message}); imported as plain paragraphs` }];
    return { doc, kind: chosen, problems, cover };
  }
}
