import { AlignmentType, Document, FootnoteReferenceRun, Header, Packer, PageNumber, Paragraph, TabStopType, TextRun } from 'docx';
import type { Block, Rendering, Run } from '../../shared/render/model.ts';

/**
 * A Word document of a rendering, in ITU's layout (the `docx` library writes the OOXML): a header
 * with the symbol, date and "Original: English" on the first page, and on the others the page
 * number centred ("- 2 -") above the symbol, printed there only (no footer); Times New Roman 12;
 * title block centred; keywords in italics; provisions with their computed labels hanging in the
 * margin; insertions underlined, deletions struck; the text's
 * footnotes (and, in negotiation mode, who proposed each bracket) as real Word footnotes.
 */
export interface DocxMeta {
  symbol: string;
  /** The document's whole name, for the file's title property. */
  title?: string;
  date: string | null;
  language: string;
  font?: string;
  sizePt?: number;
  /** A proposal's cover block, printed above the symbol on the first page. */
  cover?: string[];
}

const HANG = 567; // 1 cm in twips: where the text starts after a short label ("a)", "12")

/** Where the text starts after the labels of a document: 1 cm, wider when labels such as "3 bis" or "b quater" need it. */
function hangFor(rendering: Rendering): number {
  const longest = Math.max(0, ...rendering.blocks.filter((b) => b.kind !== 'heading').map((b) => b.label?.length ?? 0));
  return longest <= 3 ? HANG : longest <= 6 ? Math.round(HANG * 1.5) : HANG * 2;
}

function runs(list: readonly Run[]): (TextRun | FootnoteReferenceRun)[] {
  return list.flatMap((run) => {
    if (run.footnote) return [new FootnoteReferenceRun(run.footnote)];
    // a line break inside a paragraph starts the next piece on a new line
    return run.text.split('\n').map(
      (part, i) =>
        new TextRun({
          text: part,
          ...(i > 0 ? { break: 1 } : {}),
          italics: run.italic,
          bold: run.bold || run.bracket,
          underline: run.inserted ? {} : undefined,
          strike: run.deleted,
        }),
    );
  });
}

function paragraph(block: Block, hang: number): Paragraph {
  const children = runs(block.runs);
  switch (block.kind) {
    case 'title':
      return new Paragraph({ alignment: AlignmentType.CENTER, spacing: { before: 240, after: 120 }, children: runs(block.runs.map((r) => ({ ...r, text: r.text.toUpperCase() }))) });
    case 'subtitle':
      return new Paragraph({ alignment: AlignmentType.CENTER, spacing: { after: 240 }, children: runs(block.runs.map((r) => ({ ...r, bold: true }))) });
    case 'annex-title':
      return new Paragraph({ alignment: AlignmentType.CENTER, pageBreakBefore: true, spacing: { after: 240 }, children: runs(block.runs.map((r) => ({ ...r, bold: true }))) });
    case 'keyword':
      return new Paragraph({ spacing: { before: 240, after: 80 }, children });
    case 'heading':
      return new Paragraph({
        spacing: { before: 240, after: 120 },
        children: [...(block.label ? [new TextRun({ text: `${block.label}\t`, bold: true })] : []), ...runs(block.runs.map((r) => ({ ...r, bold: true })))],
        tabStops: [{ type: TabStopType.LEFT, position: HANG }],
      });
    case 'rule':
      return new Paragraph({ children: [new TextRun('__________________')] });
    case 'marker':
    case 'proposal-line':
      return new Paragraph({ spacing: { before: 200, after: 40 }, keepNext: true, children, tabStops: [{ type: TabStopType.LEFT, position: 1701 }] });
    case 'sub-item':
      return new Paragraph({
        spacing: { after: 80 },
        indent: { left: hang * 2, hanging: hang },
        tabStops: [{ type: TabStopType.LEFT, position: hang * 2 }],
        children: [new TextRun(`${block.label ?? ''}\t`), ...children],
      });
    default:
      if (block.label) {
        return new Paragraph({
          spacing: { after: 120 },
          indent: { left: hang, hanging: hang },
          tabStops: [{ type: TabStopType.LEFT, position: hang }],
          children: [new TextRun(`${block.label}\t`), ...children],
        });
      }
      return new Paragraph({ spacing: { after: 120 }, children });
  }
}

export async function docxOf(rendering: Rendering, meta: DocxMeta): Promise<Buffer> {
  const footnotes: Record<number, { children: Paragraph[] }> = {};
  // as in Word's own footnotes: the note's number, a space, then its text (never glued to the words)
  for (const note of rendering.footnotes) footnotes[note.number] = { children: [new Paragraph({ children: [new TextRun({ text: ` ${note.text}`, size: 20 })] })] };
  const hang = hangFor(rendering);
  const headerLine = (children: TextRun[]) => new Paragraph({ tabStops: [{ type: TabStopType.RIGHT, position: 9638 }], children });
  const document = new Document({
    creator: 'Concord',
    title: meta.title ? `${meta.symbol} — ${meta.title}` : meta.symbol,
    styles: { default: { document: { run: { font: meta.font ?? 'Times New Roman', size: (meta.sizePt ?? 12) * 2 } } } },
    footnotes,
    sections: [
      {
        properties: { titlePage: true, page: { margin: { top: 1134, bottom: 1134, left: 1134, right: 1134 } } },
        headers: {
          first: new Header({
            children: [
              ...(meta.cover ?? []).map((line) => new Paragraph({ children: [new TextRun({ text: line, size: 20 })] })),
              headerLine([new TextRun({ text: meta.symbol, bold: true }), new TextRun({ text: `\t${meta.date ?? ''}` })]),
              headerLine([new TextRun(''), new TextRun({ text: `\tOriginal: ${meta.language}` })]),
            ],
          }),
          // pages after the first, as ITU prints them: "- 2 -" centred at the top, the symbol under it;
          // no footer, so the page number is printed once
          default: new Header({
            children: [
              new Paragraph({ alignment: AlignmentType.CENTER, children: [new TextRun({ children: ['- ', PageNumber.CURRENT, ' -'] })] }),
              new Paragraph({ alignment: AlignmentType.CENTER, spacing: { after: 240 }, children: [new TextRun({ text: meta.symbol })] }),
            ],
          }),
        },
        children: rendering.blocks.map((block) => paragraph(block, hang)),
      },
    ],
  });
  return Packer.toBuffer(document);
}
