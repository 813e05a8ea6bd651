import { describe, expect, it } from 'vitest';
import type { Node as PMNode } from 'prosemirror-model';
import { Transform } from 'prosemirror-transform';
import { schema } from '../../shared/schema/index.ts';
import { labels, latinOrdinal, letterLabel, romanLabel, sectionLabels } from '../../shared/numbering.ts';

const n = schema.nodes;
const para = (text: string) => n.paragraph!.create(null, text ? schema.text(text) : null);
const provision = (text: string, attrs: Record<string, unknown> = {}, subs: PMNode[] = []) => n.provision!.create(attrs, [para(text), ...subs]);
const sub = (text: string, attrs: Record<string, unknown> = {}) => n.sub_item!.create(attrs, para(text));
const section = (numbering: string, provisions: PMNode[]) => n.section!.create({ numbering }, [n.keyword!.create(null, schema.text('resolves')), ...provisions]);

/** Printed labels in document order. */
function printed(doc: PMNode): string[] {
  return [...labels(doc).values()].sort((a, b) => a.pos - b.pos).map((l) => l.printed);
}

describe('labels', () => {
  it('counts letters past z and writes roman numerals', () => {
    expect([1, 2, 26, 27, 28, 52, 53].map(letterLabel)).toEqual(['a', 'b', 'z', 'aa', 'ab', 'az', 'ba']);
    expect([1, 4, 9, 14, 40].map(romanLabel)).toEqual(['i', 'iv', 'ix', 'xiv', 'xl']);
    expect([1, 2, 3, 9].map((k) => latinOrdinal('3', k))).toEqual(['3 bis', '3 ter', '3 quater', '3 decies']);
  });

  it('labels lettered, numbered and unnumbered sections from position', () => {
    const doc = n.doc!.create(null, [
      section('letters', [provision('one'), provision('two', {}, [sub('x'), sub('y')])]),
      section('numbers', [provision('one', {}, [sub('x'), sub('y')]), provision('two')]),
      section('none', [provision('only paragraph')]),
    ]);
    expect(printed(doc)).toEqual(['a)', 'b)', 'i)', 'ii)', '1', '1.1', '1.2', '2']);
  });

  it('renumbers when provisions and sub-items are inserted, deleted or moved', () => {
    const doc = n.doc!.create(null, [section('numbers', [provision('A'), provision('B', {}, [sub('B1')]), provision('C')])]);
    expect(printed(doc)).toEqual(['1', '2', '2.1', '3']);
    const structure = (d: PMNode) => {
      const out: string[] = [];
      const map = labels(d);
      d.descendants((node, pos) => {
        if (node.type.name === 'provision' || node.type.name === 'sub_item') out.push(`${map.get(pos)?.printed}:${node.firstChild!.textContent}`);
        return true;
      });
      return out;
    };
    expect(structure(doc)).toEqual(['1:A', '2:B', '2.1:B1', '3:C']);
    const section0 = doc.firstChild!;
    const provisionPos = (d: PMNode, index: number) => {
      let pos = 1;
      for (let i = 0; i < index; i++) pos += d.firstChild!.child(i).nodeSize;
      return pos;
    };
    // insert a provision before B (child 2: keyword is child 0)
    const inserted = new Transform(doc).insert(provisionPos(doc, 2), provision('A2')).doc;
    expect(structure(inserted)).toEqual(['1:A', '2:A2', '3:B', '3.1:B1', '4:C']);
    // add a sub-item to B
    const bPos = provisionPos(inserted, 3);
    const withSub = new Transform(inserted).insert(bPos + inserted.nodeAt(bPos)!.nodeSize - 1, sub('B2')).doc;
    expect(structure(withSub)).toEqual(['1:A', '2:A2', '3:B', '3.1:B1', '3.2:B2', '4:C']);
    // delete B with its sub-items
    const b = provisionPos(withSub, 3);
    const deleted = new Transform(withSub).delete(b, b + withSub.nodeAt(b)!.nodeSize).doc;
    expect(structure(deleted)).toEqual(['1:A', '2:A2', '3:C']);
    // move C before A
    const c = provisionPos(deleted, 3);
    const cNode = deleted.nodeAt(c)!;
    const moved = new Transform(deleted).delete(c, c + cNode.nodeSize).insert(provisionPos(deleted, 1), cNode).doc;
    expect(structure(moved)).toEqual(['1:C', '2:A', '3:A2']);
    expect(section0.childCount).toBe(4);
  });

  it('keeps base numbering and gives new provisions bis, ter', () => {
    expect(sectionLabels('numbers', ['1', '2', null, null, '3', null])).toEqual(['1', '2', '2 bis', '2 ter', '3', '3 bis']);
    expect(sectionLabels('letters', [null, 'a', 'b', null])).toEqual(['0 bis', 'a', 'b', 'b bis']);
    const doc = n.doc!.create(null, [
      section('letters', [provision('first', { baseLabel: 'a', baseText: 'first' }), provision('new', { baseText: null }), provision('second', { baseLabel: 'b', baseText: 'second' })]),
      section('numbers', [provision('one', { baseLabel: '1', baseText: 'one' }, [sub('old', { baseLabel: '1.1', baseText: 'old' }), sub('added')]), provision('new')]),
    ]);
    expect(printed(doc)).toEqual(['a)', 'a bis', 'b)', '1', '1.1', '1.1 bis', '1 bis']);
  });

  it('numbers Council headings through the document and paragraphs under each heading', () => {
    const heading = (text: string, numbered: boolean) => n.heading!.create({ level: 2, numbered }, schema.text(text));
    const numbered = (text: string) => n.numbered_paragraph!.create(null, schema.text(text));
    const list = n.ordered_list!.create(null, [n.list_item!.create(null, para('x')), n.list_item!.create(null, para('y'))]);
    const doc = n.doc!.create(null, [
      heading('Purpose', false),
      heading('Background', true),
      numbered('a'),
      numbered('b'),
      heading('Discussion', true),
      numbered('c'),
      list,
      n.paragraph!.create(null, [schema.text('note'), n.footnote!.create({ text: 'first' }), schema.text(' and'), n.footnote!.create({ text: 'second' })]),
    ]);
    expect(printed(doc)).toEqual(['1', '1', '2', '2', '1', '1)', '2)', '1', '2']);
  });
});
