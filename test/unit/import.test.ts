import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Node as PMNode } from 'prosemirror-model';
import { importText, normaliseText } from '../../shared/import/index.ts';
import { renderPlainText } from '../../shared/render/plain-text.ts';
import { labels } from '../../shared/numbering.ts';

const fixture = (name: string) => readFileSync(resolve(import.meta.dirname, '../fixtures', name), 'utf8');

interface SectionShape {
  part: string;
  keyword: string;
  numbering: string;
  intro: string | null;
  provisions: number;
}

function sections(doc: PMNode): SectionShape[] {
  const out: SectionShape[] = [];
  doc.forEach((node) => {
    if (node.type.name !== 'section') return;
    let intro: string | null = null;
    let provisions = 0;
    node.forEach((child) => {
      if (child.type.name === 'intro') intro = child.textContent;
      if (child.type.name === 'provision') provisions++;
    });
    out.push({ part: node.attrs.part, keyword: node.firstChild!.textContent, numbering: node.attrs.numbering, intro, provisions });
  });
  return out;
}

describe('importing the draft new resolution', () => {
  const source = fixture('draft-new-resolution-ai.txt');
  const { doc, kind, problems } = importText(source);

  it('reads it as a resolution with its proposal line, title, name and enacting formula', () => {
    expect(kind).toBe('resolution');
    expect(problems).toEqual([]);
    const front = [doc.child(0), doc.child(1), doc.child(2), doc.child(3)];
    expect(front.map((b) => b.type.name)).toEqual(['proposal_line', 'title', 'subtitle', 'enacting_formula']);
    expect(front[0]!.attrs).toEqual({ marker: 'MOD', reference: 'AD HOC WGPL/47/1', reasons: '' });
    expect(front[1]!.textContent).toBe('Draft New Resolution [WGPL-XX]');
    expect(front[2]!.textContent).toBe('Artificial Intelligence (AI) technologies and telecommunications/ICTs');
    expect(front[3]!.textContent).toMatch(/^The Plenipotentiary Conference .*\(Bucharest, 2022\),$/);
  });

  it('finds every section with its keyword, numbering and number of provisions', () => {
    expect(sections(doc)).toEqual([
      { part: 'preamble', keyword: 'recalling', numbering: 'letters', intro: null, provisions: 4 },
      { part: 'preamble', keyword: 'recognizing', numbering: 'letters', intro: null, provisions: 2 },
      { part: 'preamble', keyword: 'noting', numbering: 'letters', intro: null, provisions: 3 },
      { part: 'preamble', keyword: 'considering', numbering: 'letters', intro: null, provisions: 4 },
      { part: 'operative', keyword: 'resolves', numbering: 'letters', intro: 'that ITU should within its mandate and core competencies:', provisions: 2 },
      { part: 'operative', keyword: 'instructs the Secretary-General in consultation with the Directors of the three Bureaux', numbering: 'numbers', intro: null, provisions: 6 },
      { part: 'operative', keyword: 'instructs the Directors of the three Bureaux', numbering: 'none', intro: null, provisions: 1 },
      { part: 'operative', keyword: 'instructs the ITU Council', numbering: 'none', intro: null, provisions: 1 },
      { part: 'operative', keyword: 'invites Member States, Sector Members, Associates, and Academia', numbering: 'numbers', intro: null, provisions: 3 },
    ]);
  });

  it('leaves no conversion debris and keeps the unassigned number as text', () => {
    expect(doc.textContent).not.toMatch(/\[bookmark:|\[footnoteRef:|\t/);
    expect(doc.textContent).toContain('[WGPL-XX]');
  });

  it('renders back to the source text, normalised', () => {
    expect(normaliseText(renderPlainText(doc))).toEqual(normaliseText(source));
  });
});

describe('importing the Council document', () => {
  const source = fixture('council-proposal-cwg-ai.txt');
  const { doc, kind, problems } = importText(source);

  it('reads headings, numbered paragraphs, the dash list and the numbered list', () => {
    expect(kind).toBe('council-document');
    expect(problems).toEqual([]);
    const outline: string[] = [];
    const map = labels(doc);
    doc.forEach((node, pos) => {
      const label = map.get(pos)?.printed;
      if (node.type.name === 'heading') outline.push(`${node.attrs.numbered ? `${label} ` : ''}${node.textContent}`);
      else if (node.type.name === 'numbered_paragraph') outline.push(`¶${label}`);
      else if (node.type.name === 'bullet_list') outline.push(`–×${node.childCount}`);
      else if (node.type.name === 'ordered_list') outline.push(`1)×${node.childCount}`);
      else if (node.type.name === 'horizontal_rule') outline.push('rule');
    });
    expect(outline).toEqual(['Purpose', 'Action required by the Council', 'rule', 'References', '1 Background', '–×4', '2 Discussion', '¶1', '¶2', '¶3', '3 Proposals', '1)×3']);
  });

  it('renders back to the source text, normalised', () => {
    expect(normaliseText(renderPlainText(doc))).toEqual(normaliseText(source));
  });
});

describe('imports that do not fit the layout', () => {
  it('names the line it could not place and still imports the text', () => {
    const text = ['recalling', 'a)\tfirst', 'c)\tthird, mislabelled', 'an unlabelled line', 'resolves', '1\tto act'].join('\n');
    const { doc, problems } = importText(text);
    expect(problems.map((p) => p.line)).toEqual([3, 4]);
    expect(problems[0]!.message).toMatch(/labelled c\) is number 2 .* will read b/);
    expect(problems[1]!.message).toMatch(/unlabelled text after provision b/);
    expect(doc.textContent).toContain('an unlabelled line');
    expect(renderPlainText(doc)).toContain('b)\tthird, mislabelled');
  });

  it('turns footnote markers and bodies into footnotes listed at the end', () => {
    const text = ['recalling', 'a)\tResolution 214[footnoteRef:1] of the Conference;', 'resolves', '1\tto act', '[1: 1 As revised in Bucharest, 2022.]'].join('\n');
    const { doc, problems } = importText(text);
    expect(problems).toEqual([]);
    let footnote = '';
    doc.descendants((node) => {
      if (node.type.name === 'footnote') footnote = node.attrs.text;
      return true;
    });
    expect(footnote).toBe('As revised in Bucharest, 2022.');
    const rendered = renderPlainText(doc);
    expect(rendered).toContain('a)\tResolution 214¹ of the Conference;');
    expect(rendered.trim().split('\n').at(-1)).toBe('1\tAs revised in Bucharest, 2022.');
  });

  it('reads sub-items under numbered and lettered provisions', () => {
    const text = ['considering', 'a)\tone', 'i)\tfirst sub', 'ii)\tsecond sub', 'b)\ttwo', 'resolves', '1\tact', '1.1\tfirst', '1.2\tsecond'].join('\n');
    const { doc, problems } = importText(text);
    expect(problems).toEqual([]);
    expect(normaliseText(renderPlainText(doc))).toEqual(normaliseText(text));
  });
});
