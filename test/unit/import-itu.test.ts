import { describe, expect, it } from 'vitest';
import type { Node as PMNode } from 'prosemirror-model';
import { importText, normaliseText } from '../../shared/import/index.ts';
import { renderPlainText } from '../../shared/render/plain-text.ts';
import { DELETION_CLOSE as DC, DELETION_OPEN as DO, INSERTION_CLOSE as IC, INSERTION_OPEN as IO } from '../../shared/import/revision-chars.ts';

const nodes = (doc: PMNode, type: string) => {
  const out: PMNode[] = [];
  doc.descendants((node) => {
    if (node.type.name === type) out.push(node);
    return true;
  });
  return out;
};
const text = (node: PMNode) => {
  let out = '';
  node.forEach((child) => {
    out += child.type.name === 'hard_break' ? '\n' : child.textContent;
  });
  return out;
};

describe('Council resolution and decision headers', () => {
  it('reads "R 1333 (C11)" with its parenthesised lines as the title, the name as subtitle', () => {
    const { doc, problems } = importText(
      ['R 1333 (C11)', '(C11, last amended C19)', 'Guiding principles for the creation, management and termination of Council working groups', 'The Council,', 'considering', 'a)\tone;'].join('\n'),
    );
    expect(problems).toEqual([]);
    expect(text(nodes(doc, 'title')[0]!)).toBe('R 1333 (C11)\n(C11, last amended C19)');
    expect(nodes(doc, 'subtitle')[0]!.textContent).toBe('Guiding principles for the creation, management and termination of Council working groups');
  });

  it('reads "Decision 5xx (C2x)" adopted by correspondence, a name over two lines joined', () => {
    const source = [
      'Decision 5xx (C2x)',
      '(adopted by correspondence)',
      'Dates and duration of the 2025 and 2026 sessions',
      'of the Council',
      'The Council,',
      'decides',
      'to hold its session in Geneva.',
    ].join('\n');
    const { doc, problems } = importText(source);
    expect(problems).toEqual([]);
    expect(text(nodes(doc, 'title')[0]!)).toBe('Decision 5xx (C2x)\n(adopted by correspondence)');
    expect(nodes(doc, 'subtitle')[0]!.textContent).toBe('Dates and duration of the 2025 and 2026 sessions of the Council');
    expect(nodes(doc, 'section')).toHaveLength(1);
  });

  it('reads "Resolution 1333" as a title', () => {
    const { doc } = importText(['Resolution 1333', 'Guiding principles', 'The Council,', 'noting', 'a)\tone'].join('\n'));
    expect(nodes(doc, 'title')[0]!.textContent).toBe('Resolution 1333');
  });
});

describe('keywords, footnotes, lists', () => {
  it('reads a keyword line of more than 200 characters as a keyword', () => {
    const keyword =
      'instructs the Director of the Telecommunication Standardization Bureau, in collaboration with the Secretary-General and the Directors of the Radiocommunication Bureau and the Telecommunication Development Bureau, within the available financial resources';
    expect(keyword.length).toBeGreaterThan(200);
    const { doc, problems } = importText(['recalling', 'a)\tone;', keyword, '1\tto act;', '2\tto report.'].join('\n'));
    expect(problems).toEqual([]);
    const sections = nodes(doc, 'section');
    expect(sections[1]!.firstChild!.textContent).toBe(keyword);
    expect(sections[1]!.attrs).toMatchObject({ part: 'operative', numbering: 'numbers' });
  });

  it("reads Word's inline footnote form and drops the stray digit after the reference", () => {
    const source = ['considering', 'a)\tthat developing countries[footnoteRef:1]1, in particular, need support; [1: 1 \tThese include the least developed countries.]', 'resolves', '1\tto act.'].join(
      '\n',
    );
    const { doc, problems } = importText(source);
    expect(problems).toEqual([]);
    expect(nodes(doc, 'footnote').map((f) => f.attrs.text)).toEqual(['These include the least developed countries.']);
    expect(nodes(doc, 'provision')[0]!.textContent).toBe('that developing countries, in particular, need support;');
    const rendered = renderPlainText(doc);
    expect(rendered).toContain('a)\tthat developing countries¹, in particular, need support;');
    expect(normaliseText(rendered)).toEqual(normaliseText(source));
  });

  it('numbers a section of en-dash items with dashes, printed "–"', () => {
    const source = ['considering', '–\ttelecommunications as a driver of development;', '–\tthat regions coordinate,', 'resolves', '1\tto act.'].join('\n');
    const { doc, problems } = importText(source);
    expect(problems).toEqual([]);
    expect(nodes(doc, 'section')[0]!.attrs.numbering).toBe('dashes');
    expect(nodes(doc, 'section')[0]!.childCount).toBe(3);
    expect(renderPlainText(doc)).toContain('–\ttelecommunications as a driver of development;');
    expect(normaliseText(renderPlainText(doc))).toEqual(normaliseText(source));
  });

  it('keeps i)–v) under a lettered provision as sub-items, and i) after h) ending with a colon', () => {
    const subs = ['i)\tone;', 'ii)\ttwo;', 'iii)\tthree;', 'iv)\tfour;', 'v)\tfive.'];
    const first = importText(['noting', 'a)\tthe Council was requested:', ...subs, 'b)\tnext.'].join('\n'));
    expect(first.problems).toEqual([]);
    expect(nodes(first.doc, 'provision')).toHaveLength(2);
    expect(nodes(first.doc, 'sub_item')).toHaveLength(5);
    const letters = ['a', 'b', 'c', 'd', 'e', 'f', 'g'].map((l) => `${l})\tx;`);
    const second = importText(['noting', ...letters, 'h)\tthe following:', ...subs].join('\n'));
    expect(second.problems).toEqual([]);
    expect(nodes(second.doc, 'provision')).toHaveLength(8);
    expect(nodes(second.doc, 'sub_item')).toHaveLength(5);
  });
});

describe('proposals', () => {
  it('reads a cover block as metadata, several proposals with references and Reasons', () => {
    const source = [
      'Plenipotentiary Conference (PP-22)',
      'Bucharest, 26 September – 14 October 2022',
      'PLENARY MEETING\tAddendum 7 to',
      'Document 44-E',
      '31 August 2022',
      'Original: English',
      'European Common Proposals',
      'Agenda item 1.2',
      'MOD\tEUR/44A7/1',
      'resolves',
      '1\tto act;',
      '2\tto report.',
      'Reasons:\tClarity.',
      'ADD    EUR/44A7/2',
      'instructs the Secretary-General',
      '1\tto consult.',
      'Reasons:\tNew task.',
    ].join('\n');
    const { doc, cover, problems } = importText(source);
    expect(problems).toEqual([]);
    expect(cover).toMatchObject({
      conference: 'Plenipotentiary Conference (PP-22)',
      document: 'Addendum 7 to Document 44-E',
      documentNumber: '44',
      addendum: '7',
      date: '31 August 2022',
      isoDate: '2022-08-31',
      original: 'English',
      source: 'European Common Proposals',
      agendaItem: '1.2',
    });
    const provisions = nodes(doc, 'provision').map((p) => [p.attrs.marker, p.attrs.reference, p.attrs.reasons]);
    expect(provisions).toEqual([
      ['MOD', 'EUR/44A7/1', 'Clarity.'],
      ['MOD', 'EUR/44A7/1', 'Clarity.'],
      ['ADD', 'EUR/44A7/2', 'New task.'],
    ]);
    expect(doc.textContent).not.toContain('Original');
    const revisions = renderPlainText(doc, { mode: 'revisions' });
    expect(revisions).toContain('MOD\tEUR/44A7/1\n1\tto act;');
    expect(revisions).toContain('Reasons:\tNew task.');
  });

  it('keeps a whole-text proposal as the proposal line with its Reasons, printed after the text', () => {
    const { doc } = importText(['SUP\tACP/47A1/3', 'RESOLUTION 40 (Montreal, 2000)', 'Regulatory aspects of ITU-T work', 'Reasons:\tNo longer needed.'].join('\n'));
    expect(doc.firstChild!.attrs).toEqual({ marker: 'SUP', reference: 'ACP/47A1/3', reasons: 'No longer needed.' });
    expect(renderPlainText(doc, { mode: 'revisions' }).trim().split('\n').at(-1)).toBe('Reasons:\tNo longer needed.');
    expect(renderPlainText(doc)).not.toContain('Reasons');
  });

  it('prints a whole-text Reasons after that text, before the next proposal, in revisions mode', async () => {
    const { readFileSync } = await import('node:fs');
    const source = readFileSync(new URL('../fixtures/itu/eur-wtsa16-add7-doc44-reconstructed.txt', import.meta.url), 'utf8');
    const lines = renderPlainText(importText(source).doc, { mode: 'revisions' }).split('\n');
    const sup = lines.indexOf('SUP\tEUR/44A7/2');
    expect(lines.slice(sup, sup + 5)).toEqual([
      'SUP\tEUR/44A7/2',
      'RESOLUTION 40 (Montreal, 2000)',
      'Regulatory aspects of ITU-T work',
      'Reasons:\tThe demarcation between technical matters and matters having policy or regulatory implications is addressed in Resolution 1.',
      'recalling',
    ]);
    expect(lines).toContain('MOD\tEUR/44A7/3');
  });

  it('reads revision marks: MOD with its base text, ADD when wholly inserted, SUP when wholly deleted', () => {
    const source = ['resolves', `1\tto ${IO}continue and ${IC}strengthen the work${DO} on AI${DC};`, `${IO}2\tto set up a repository;${IC}`, `${DO}3\tto report to Council.${DC}`].join('\n');
    const { doc, problems } = importText(source);
    expect(problems).toEqual([]);
    expect(doc.firstChild!.type.name).toBe('proposal_line');
    expect(doc.firstChild!.attrs.marker).toBe('MOD');
    const provisions = nodes(doc, 'provision');
    expect(provisions.map((p) => [p.attrs.marker, p.textContent, p.attrs.baseText])).toEqual([
      ['MOD', 'to continue and strengthen the work;', 'to strengthen the work on AI;'],
      ['ADD', 'to set up a repository;', null],
      ['SUP', 'to report to Council.', 'to report to Council.'],
    ]);
  });

  it('keeps base labels in a text with revision marks, so an inserted provision reads "2 bis"', () => {
    const source = ['resolves', '1\tto study;', `2\tto ${IO}promote${IC}${DO}encourage${DC} cooperation;`, `${IO}3\tto support developing countries;${IC}`, '3\tto report.'].join('\n');
    const { doc, problems } = importText(source);
    expect(problems).toEqual([]);
    expect(nodes(doc, 'provision').map((p) => [p.attrs.baseLabel, p.attrs.marker, p.attrs.baseText])).toEqual([
      ['1', null, 'to study;'],
      ['2', 'MOD', 'to encourage cooperation;'],
      [null, 'ADD', null],
      ['3', null, 'to report.'],
    ]);
    expect(renderPlainText(doc)).toContain('2 bis\tto support developing countries;\n3\tto report.');
  });

  it('treats unbalanced revision marks as plain text', () => {
    const { doc } = importText(['resolves', `1\tto ${IO}act${DO} now.`].join('\n'));
    expect(nodes(doc, 'provision')[0]!.textContent).toBe('to act now.');
  });
});

describe('bad input', () => {
  it('never throws, and reports what it could not place with its line number', () => {
    const inputs = ['', '\n\n', 'Reasons:\tnothing', 'MOD\tX/1', 'a)\torphan', '[1: 1 note]', '[footnoteRef:9]9', `${IO}${DO}${IC}`, 'Original: English', 'R 1 (C', '–\t', 'resolves\ni)\tx\nv)\ty'];
    for (const input of inputs) expect(() => importText(input)).not.toThrow();
    // a deterministic shuffle of the pieces real texts are made of
    const pieces = [
      'recalling',
      'resolves',
      'a)\t',
      'i)\t',
      '1\t',
      '1.1\t',
      '–\t',
      'MOD\tEUR/1/1',
      'Reasons:\t',
      'R 1333 (C11)',
      '(adopted by correspondence)',
      'The Council,',
      'Document 4-E',
      'Original: English',
      '[footnoteRef:1]1',
      '[1: 1 x]',
      IO,
      IC,
      DO,
      DC,
      'text',
      ':',
      ';',
      '\n',
      '\n',
      ' ',
    ];
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    for (let run = 0; run < 300; run++) {
      let input = '';
      for (let i = 0; i < 40; i++) input += pieces[Math.floor(random() * pieces.length)];
      expect(() => importText(input).doc.check(), input).not.toThrow();
    }
    const { problems } = importText(['recalling', 'a)\tone;', 'Reasons:\twhy'].join('\n'));
    expect(problems.map((p) => p.line)).toEqual([3]);
  });
});
