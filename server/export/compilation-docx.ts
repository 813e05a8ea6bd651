import { Document, Packer, PageOrientation, Paragraph, Table, TableCell, TableRow, TextRun, WidthType } from 'docx';
import { wordChanges } from '../../shared/revision-marks.ts';
import type { CompilationCell, CompilationTable } from '../../shared/compile/compile.ts';

/**
 * The compilation table as a Word document (landscape, Times New Roman), as a secretariat
 * circulates it: provision × source, each cell the marker and reference, the wording with
 * insertions underlined and deletions struck against the base, and the reasons.
 */
const FONT = 'Times New Roman';
const text = (value: string, style: { bold?: boolean; italics?: boolean; underline?: boolean; strike?: boolean } = {}) =>
  new TextRun({ text: value, font: FONT, size: 20, bold: style.bold, italics: style.italics, underline: style.underline ? {} : undefined, strike: style.strike });

function wording(cell: CompilationCell, base: string | null): TextRun[] {
  if (cell.marker === 'SUP' || cell.marker === 'SUP*') return [text(cell.text, { strike: true })];
  if (base === null) return [text(cell.text)];
  return wordChanges(base, cell.text).map((c) => text(c.text, { underline: c.kind === 'inserted', strike: c.kind === 'deleted' }));
}

function cellOf(cell: CompilationCell | undefined, base: string | null): TableCell {
  if (!cell) return new TableCell({ children: [new Paragraph({ children: [text('–')] })] });
  return new TableCell({
    children: [
      new Paragraph({ children: [text(cell.marker, { bold: true }), text(cell.reference ? ` ${cell.reference}` : '')] }),
      new Paragraph({ spacing: { before: 60 }, children: wording(cell, base) }),
      ...(cell.reasons ? [new Paragraph({ spacing: { before: 60 }, children: [text('Reasons:', { bold: true }), text(` ${cell.reasons}`)] })] : []),
    ],
  });
}

export async function compilationDocx(table: CompilationTable, title: string): Promise<Buffer> {
  const header = new TableRow({
    tableHeader: true,
    children: ['Provision', `Base text (${table.base.symbol})`, ...table.sources.map((s) => (s.symbol ? `${s.delegation} (${s.symbol})` : s.delegation))].map(
      (label) => new TableCell({ children: [new Paragraph({ children: [text(label, { bold: true })] })] }),
    ),
  });
  const rows = table.rows.map(
    (row) =>
      new TableRow({
        children: [
          new TableCell({ children: [new Paragraph({ children: [text(row.section, { italics: true }), text(` ${row.label}`)] })] }),
          new TableCell({ children: [new Paragraph({ children: [row.base === null ? text('(new provision)', { italics: true }) : text(row.base)] })] }),
          ...table.sources.map((s) =>
            cellOf(
              row.cells.find((c) => c.delegation === s.delegation),
              row.base,
            ),
          ),
        ],
      }),
  );
  const reasons = table.sources.filter((s) => s.reasons);
  const document = new Document({
    creator: 'Concord',
    title,
    sections: [
      {
        properties: { page: { size: { orientation: PageOrientation.LANDSCAPE } } },
        children: [
          new Paragraph({ spacing: { after: 200 }, children: [new TextRun({ text: title, font: FONT, size: 28, bold: true })] }),
          new Paragraph({ spacing: { after: 200 }, children: [text(`Proposals against ${table.base.symbol}${table.base.title ? ` — ${table.base.title}` : ''}, by source.`)] }),
          new Table({ width: { size: 100, type: WidthType.PERCENTAGE }, rows: [header, ...rows] }),
          ...(reasons.length ? [new Paragraph({ spacing: { before: 240 }, children: [text('Reasons given for whole proposals', { bold: true })] })] : []),
          ...reasons.map((s) => new Paragraph({ children: [text(s.delegation, { bold: true }), text(`${s.reference ? ` (${s.reference})` : ''}: ${s.reasons}`)] })),
        ],
      },
    ],
  });
  return Packer.toBuffer(document);
}
