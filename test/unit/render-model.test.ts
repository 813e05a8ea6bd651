import { describe, expect, it } from 'vitest';
import { display, plainRuns, renderModel } from '../../shared/render/model.ts';
import type { Block, Rendering } from '../../shared/render/model.ts';
import { markChanges } from '../../shared/render/revision-runs.ts';
import { plainTextOf, renderPlainText } from '../../shared/render/plain-text.ts';
import { negotiationDoc } from '../support/negotiation.ts';
import { renderingSample } from '../support/rendering-sample.ts';

/** The rendering model every export prints: labels, markers, revision marks and brackets per mode. */
const lines = (rendering: Rendering) => rendering.blocks.map((b: Block) => `${b.kind}${b.label ? ` ${b.label}` : ''}: ${plainRuns(b.runs)}`);
const provision = (rendering: Rendering, id: string) => rendering.blocks.find((b) => b.id === id && (b.kind === 'provision' || b.kind === 'sub-item'))!;

describe('the rendering model', () => {
  const doc = renderingSample();

  it('decides once, per mode, what is shown besides the text', () => {
    expect(display('clean')).toEqual({ brackets: 'none', markers: false, statuses: false, asAdopted: false });
    expect(display('clean', { keepBrackets: true, forCouncil: true })).toEqual({ brackets: 'plain', markers: false, statuses: false, asAdopted: true });
    expect(display('negotiation')).toMatchObject({ brackets: 'attributed', markers: false, statuses: true });
    expect(display('revisions')).toMatchObject({ brackets: 'attributed', markers: true, statuses: false });
  });

  it('clean for Council: computed labels, no markers, no brackets, no statuses, deleted provisions and the proposal line left out', () => {
    const clean = renderModel(doc, 'clean', { forCouncil: true });
    expect(lines(clean)).toEqual([
      'title: Resolution 214 (Rev. Bucharest, 2022)',
      'subtitle: AI & <ICT> "quotes"',
      'formula: The Plenipotentiary Conference (Bucharest, 2022),',
      'keyword: recalling',
      'provision a): Resolution 70/1 of the UN General Assembly¹',
      'provision b bis: a new provision <script>x</script>',
      'keyword: resolves',
      'intro: that ITU should:',
      'provision 1: to promote safe and trusted AI',
      // without brackets, open alternatives run together: a clean export refuses while any is open (formats.ts)
      'sub-item 1.1: first that ITU shallthat Members may act',
      'sub-item 1.2: second',
      'provision 1 bis: an agreed one',
      'annex-title: Annex: Terms',
      'paragraph: annex text',
    ]);
    expect(clean.footnotes).toEqual([{ number: 1, text: 'See A/RES/70/1.', added: false }]);
    expect(provision(clean, 'p-bbis').runs.find((r) => r.text === 'new')).toMatchObject({ italic: true });
  });

  it('clean with its brackets kept prints them without saying whose', () => {
    const kept = renderModel(doc, 'clean', { keepBrackets: true });
    expect(plainRuns(provision(kept, 'p-1').runs)).toBe('to promote [safe] and trusted AI');
    expect(plainRuns(provision(kept, 'p-1-1').runs)).toBe('first [Alt 1: that ITU shall / Alt 2: that Members may] act');
    expect(kept.footnotes.every((f) => !f.added)).toBe(true);
  });

  it('negotiation: brackets with their proposers as footnotes, alternatives stacked, statuses', () => {
    const negotiation = renderModel(doc, 'negotiation');
    expect(plainRuns(provision(negotiation, 'p-1').runs)).toBe('to promote [safe]² and trusted AI');
    expect(plainRuns(provision(negotiation, 'p-1-1').runs)).toBe('first [Alt 1: that ITU shall / Alt 2: that Members may]³ act');
    expect(plainRuns(provision(negotiation, 'p-1-2').runs)).toBe('[second]⁴');
    expect(plainRuns(provision(negotiation, 'p-1bis').runs)).toBe('an agreed one (agreed)');
    expect(negotiation.footnotes.map((f) => f.text)).toEqual(['See A/RES/70/1.', 'Proposed by Kenya', 'Alternatives proposed by Brazil, Kenya', 'Awaiting instructions: ACP']);
    expect(negotiation.blocks.some((b) => b.kind === 'marker')).toBe(false);
  });

  it('nested brackets close innermost first, each with its own note', () => {
    const rendering = renderModel(negotiationDoc(), 'negotiation');
    expect(plainRuns(provision(rendering, 'p-b').runs)).toBe('to [promote [safe]¹ and]² trusted AI');
    expect(rendering.footnotes.map((f) => f.text)).toEqual(['Proposed by Kenya', 'Proposed by Brazil', 'Proposed by Kenya', 'Alternatives proposed by Brazil, Kenya']);
  });

  it('revisions: markers and references, MOD marked word by word with footnotes and brackets kept, SUP struck, reasons', () => {
    const revisions = renderModel(doc, 'revisions');
    expect(lines(revisions).slice(4, 14)).toEqual([
      'keyword: recalling',
      'marker: MOD\tACP/47A1/2',
      'provision a): Resolution 70/1 of the UN General Assembly¹',
      'reasons: Reasons:\tUpdate',
      'marker: SUP\tACP/47A1/3',
      'provision b): an old text to delete',
      'reasons: Reasons:\tObsolete',
      'marker: ADD\tACP/47A1/4',
      'provision b bis: a new provision <script>x</script>',
      'reasons: Reasons:\tNew',
    ]);
    expect(provision(revisions, 'p-a').runs).toEqual([{ text: 'Resolution 70/1 of the UN ' }, { text: 'General Assembly', inserted: true }, { text: '1', footnote: 1 }]);
    expect(provision(revisions, 'p-b').runs.every((r) => r.deleted)).toBe(true);
    expect(provision(revisions, 'p-1').runs.map((r) => [r.text, r.inserted ?? r.bracket ?? r.footnote ?? false])).toEqual([
      ['to promote ', false],
      ['[', true],
      ['safe', false],
      [']', true],
      ['2', 2],
      [' ', false],
      ['and trusted ', true],
      ['AI', false],
    ]);
    // a status is a negotiation matter, not part of a proposal
    expect(plainRuns(provision(revisions, 'p-1bis').runs)).toBe('an agreed one');
  });
});

describe('revision marks laid over formatted runs', () => {
  it('puts deleted words back where they stood, struck, and underlines inserted ones, keeping italics', () => {
    expect(markChanges('to promote safe AI everywhere', [{ text: 'to ensure ' }, { text: 'safe', italic: true }, { text: ' AI' }])).toEqual([
      { text: 'to ' },
      { text: 'promote', deleted: true },
      { text: 'ensure', inserted: true },
      { text: ' ' },
      { text: 'safe', italic: true },
      { text: ' AI' },
      { text: ' everywhere', deleted: true },
    ]);
  });

  it('keeps a deletion outside a bracket that opens where it stood', () => {
    const runs = markChanges('to promote AI', [{ text: 'to ' }, { text: '[', bracket: true }, { text: 'ensure' }, { text: ']', bracket: true }, { text: ' AI' }]);
    expect(runs.map((r) => r.text)).toEqual(['to ', 'promote', '[', 'ensure', ']', ' AI']);
    expect(runs[1]).toEqual({ text: 'promote', deleted: true });
    expect(runs[3]).toEqual({ text: 'ensure', inserted: true });
  });

  it('spells the current text exactly when the deletions are left out', () => {
    const current = [{ text: 'Hello  ' }, { text: 'wide', bold: true }, { text: '\tworld!' }];
    const marked = markChanges('Hello, world.', current);
    expect(
      marked
        .filter((r) => !r.deleted)
        .map((r) => r.text)
        .join(''),
    ).toBe('Hello  wide\tworld!');
    expect(
      marked
        .filter((r) => !r.inserted)
        .map((r) => r.text)
        .join(''),
    ).toMatch(/^Hello, .*world\.$/);
  });
});

describe('plain text printed from the rendering model', () => {
  it('prints the same text through renderPlainText and plainTextOf', () => {
    const doc = renderingSample();
    expect(renderPlainText(doc, { mode: 'negotiation' })).toBe(plainTextOf(renderModel(doc, 'negotiation')));
    expect(renderPlainText(doc, { markers: true })).toBe(plainTextOf(renderModel(doc, 'revisions')));
    expect(renderPlainText(doc)).toBe(plainTextOf(renderModel(doc, 'clean')));
  });

  it('keeps the proposal line and deleted provisions unless the text is for Council', () => {
    const text = renderPlainText(renderingSample());
    expect(text.split('\n').slice(0, 2)).toEqual(['MOD\tACP/47A1/1', 'Resolution 214 (Rev. Bucharest, 2022)']);
    expect(text).toContain('b)\tan old text to delete\n');
    expect(text.trimEnd().split('\n').slice(-2)).toEqual(['__________________', '1\tSee A/RES/70/1.']);
  });
});
