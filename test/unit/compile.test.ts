import { describe, expect, it } from 'vitest';
import type { Node as PMNode } from 'prosemirror-model';
import { Transform } from 'prosemirror-transform';
import { importText } from '../../shared/import/index.ts';
import { compileProposals } from '../../shared/compile/compile.ts';
import { collectBrackets, optionsOf } from '../../shared/brackets/model.ts';
import { applyDecision } from '../../shared/brackets/decisions.ts';
import { renderPlainText } from '../../shared/render/plain-text.ts';
import { schema } from '../../shared/schema/index.ts';

const BASE = [
  'RESOLUTION 214 (REV. BUCHAREST, 2022)',
  'Artificial intelligence technologies and telecommunications/information and communication technologies',
  'The Plenipotentiary Conference of the International Telecommunication Union (Bucharest, 2022),',
  'considering',
  'a)\tthat artificial intelligence (AI) technologies are developing rapidly;',
  'b)\tthat AI may help to achieve the Sustainable Development Goals;',
  'resolves',
  '1\tto continue the work of ITU on AI within its mandate;',
  '2\tto cooperate with other United Nations agencies;',
  '3\tto encourage the exchange of best practices,',
  'instructs the Secretary-General',
  '1\tto report to the Council on the implementation of this resolution;',
  '2\tto maintain a repository of AI use cases,',
].join('\n');

/** A source's text: the base with some lines replaced, removed or added (as a whole-resolution MOD pastes). */
function edited(changes: Record<string, string | null>, extra: [after: string, line: string][] = []): string {
  const lines: string[] = [];
  for (const line of BASE.split('\n')) {
    const replacement = Object.hasOwn(changes, line) ? changes[line] : line;
    if (replacement !== null && replacement !== undefined) lines.push(replacement);
    for (const [after, added] of extra) if (after === line) lines.push(added);
  }
  return lines.join('\n');
}

/** Sets marker, reference and reasons on every provision whose text contains `words`. */
function mark(doc: PMNode, words: string, attrs: Record<string, unknown>): PMNode {
  const tr = new Transform(doc);
  doc.descendants((node, pos) => {
    if (node.type.name === 'provision' && node.firstChild!.textContent.includes(words)) tr.setNodeMarkup(pos, null, { ...node.attrs, ...attrs });
    return true;
  });
  return tr.doc;
}

const base = importText(BASE).doc;
const INFO = { symbol: 'Res. 214', title: 'Artificial intelligence technologies' };

/** EUR: a MOD of the whole resolution, changing resolves 2 and adding a provision after resolves 3. */
const eur = importText(
  [
    'MOD\tEUR/44A7/1',
    edited({ '2\tto cooperate with other United Nations agencies;': '2\tto cooperate closely with other United Nations agencies and standards bodies;' }, [
      ['3\tto encourage the exchange of best practices,', '4\tto promote capacity building in developing countries,'],
    ]),
  ].join('\n'),
).doc;
/** ARB: changes resolves 2 differently, with reasons on the provision. */
const arb = mark(
  importText(edited({ '2\tto cooperate with other United Nations agencies;': '2\tto cooperate with other United Nations agencies, within existing resources;' })).doc,
  'within existing resources',
  { marker: 'MOD', reference: 'ARB/12A1/3', reasons: 'Budget neutrality.' },
);
/** AFR: deletes instructs the Secretary-General 2 (SUP) and leaves the rest unchanged. */
const afr = mark(importText(BASE).doc, 'repository of AI use cases', { marker: 'SUP', reference: 'AFR/30/2', reasons: 'Duplicates existing work.' });

describe('compiling a negotiation text from proposals', () => {
  const { doc, table } = compileProposals(
    base,
    INFO,
    [
      { delegation: 'EUR', doc: eur, symbol: 'PP-26/44(Add.7)' },
      { delegation: 'ARB', doc: arb, symbol: 'PP-26/12(Add.1)' },
      { delegation: 'AFR', doc: afr, symbol: 'PP-26/30' },
    ],
    '2026-12-02T10:00:00Z',
  );
  const brackets = [...collectBrackets(doc).values()];

  it('leaves untouched provisions clean and stacks each source’s wording as an attributed alternative to the base', () => {
    const untouched = brackets.filter((b) => b.text.includes('artificial intelligence (AI) technologies are developing'));
    expect(untouched).toEqual([]);
    const options = brackets.filter((b) => b.kind === 'alternative');
    expect(options.map((b) => [b.delegation, b.text])).toEqual([
      ['', 'to cooperate with other United Nations agencies;'],
      ['EUR', 'to cooperate closely with other United Nations agencies and standards bodies;'],
      ['ARB', 'to cooperate with other United Nations agencies, within existing resources;'],
    ]);
    expect(new Set(options.map((b) => b.group)).size).toBe(1);
    expect(options.every((b) => b.provisionLabel === '2' && b.section === 'resolves')).toBe(true);
  });

  it('brackets an added provision for its source, numbered bis after the one it follows, and a deletion for its source', () => {
    const added = brackets.find((b) => b.text.startsWith('to promote capacity building'))!;
    expect(added).toMatchObject({ delegation: 'EUR', kind: 'contested', provisionLabel: '3 bis', section: 'resolves', wholeProvision: true });
    const deleted = brackets.find((b) => b.text.startsWith('to maintain a repository'))!;
    expect(deleted).toMatchObject({ delegation: 'AFR', kind: 'contested', provisionLabel: '2', section: 'instructs the Secretary-General', wholeProvision: true });
    expect(brackets).toHaveLength(5);
  });

  it('carries references and reasons with each proposal, in the text and in the table', () => {
    let reasons = '';
    doc.descendants((node) => {
      if (node.type.name === 'provision' && node.firstChild!.textContent.includes('repository')) reasons = node.attrs.reasons as string;
      return true;
    });
    expect(reasons).toBe('Duplicates existing work.');
    const row = table.rows.find((r) => r.section === 'resolves' && r.label === '2')!;
    expect(row.base).toBe('to cooperate with other United Nations agencies;');
    expect(row.cells.map((c) => [c.delegation, c.marker, c.reference, c.reasons])).toEqual([
      ['EUR', 'MOD', 'EUR/44A7/1', ''],
      ['ARB', 'MOD', 'ARB/12A1/3', 'Budget neutrality.'],
    ]);
    expect(table.rows.find((r) => r.label === '3 bis')).toMatchObject({ base: null, cells: [{ delegation: 'EUR', marker: 'ADD' }] });
    expect(table.rows.filter((r) => r.cells.length === 0).map((r) => `${r.section} ${r.label}`)).toEqual([
      'considering a)',
      'considering b)',
      'resolves 1',
      'resolves 3',
      'instructs the Secretary-General 1',
    ]);
    expect(table.sources.map((s) => s.delegation)).toEqual(['EUR', 'ARB', 'AFR']);
  });

  it('is cleaned by the chair’s ordinary decisions into the expected text', () => {
    const option = optionsOf(collectBrackets(doc), brackets.find((b) => b.delegation === 'EUR' && b.kind === 'alternative')!.group)[1]!;
    let text = applyDecision(doc, { action: 'choose', optionId: option.id }).doc;
    const find = (t: PMNode, words: string) => [...collectBrackets(t).values()].find((b) => b.text.includes(words))!;
    text = applyDecision(text, { action: 'accept', bracketIds: [find(text, 'capacity building').id] }).doc;
    const choice = applyDecision(text, { action: 'reject', bracketIds: [find(text, 'repository').id] });
    expect(choice.summary).toContain("rejected AFR's bracket");
    text = choice.doc;
    expect(collectBrackets(text).size).toBe(0);
    const clean = renderPlainText(text);
    expect(clean).toContain('2\tto cooperate closely with other United Nations agencies and standards bodies;');
    expect(clean).toContain('3 bis\tto promote capacity building in developing countries,');
    expect(clean).not.toContain('repository');
    expect(clean).toContain('1\tto report to the Council on the implementation of this resolution;');
  });

  it('says the base wording is the base text’s, never a delegation’s, when it is set aside', () => {
    const group = brackets.find((b) => b.kind === 'alternative')!.group;
    const arbOption = optionsOf(collectBrackets(doc), group).find((b) => b.delegation === 'ARB')!;
    const { summary } = applyDecision(doc, { action: 'choose', optionId: arbOption.id });
    expect(summary).toContain("chose ARB's option");
    expect(summary).toContain("the base text's option “to cooperate with other United Nations agencies;”");
  });

  it('keeps a source that changes nothing from adding anything', () => {
    const same = compileProposals(base, INFO, [{ delegation: 'EUR', doc: importText(BASE).doc }]);
    expect(collectBrackets(same.doc).size).toBe(0);
    expect(renderPlainText(same.doc)).toBe(renderPlainText(base));
  });

  it('compiles into a valid document whatever a source holds (an unrelated text, an empty one)', () => {
    const stray = importText('Purpose\nThis document has nothing to do with the resolution.').doc;
    const empty = schema.nodes.doc!.create(null, [schema.nodes.paragraph!.create()]);
    const result = compileProposals(base, INFO, [
      { delegation: 'X', doc: stray },
      { delegation: 'Y', doc: empty },
    ]);
    result.doc.check();
    expect(collectBrackets(result.doc).size).toBe(0);
  });
});
