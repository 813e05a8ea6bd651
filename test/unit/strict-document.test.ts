import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { prosemirrorToYXmlFragment } from 'y-prosemirror';
import { schema } from '../../shared/schema/index.ts';
import { strictDocument, StructureError } from '../../shared/yjs/strict-document.ts';

const n = schema.nodes;

function fragmentWith(build: (fragment: Y.XmlFragment) => void): Y.XmlFragment {
  const doc = new Y.Doc();
  const fragment = doc.getXmlFragment('prosemirror');
  doc.transact(() => build(fragment));
  return fragment;
}

describe('strictDocument', () => {
  const valid = n.doc!.create(null, [
    n.section!.create({ numbering: 'numbers', part: 'operative' }, [
      n.keyword!.create(null, schema.text('resolves')),
      n.provision!.create({ id: 'p-1' }, [n.paragraph!.create(null, [schema.text('to act '), schema.text('now', [schema.marks.em!.create()])])]),
    ]),
  ]);

  it('reads a valid shared text exactly as written, marks and attributes included', () => {
    const fragment = fragmentWith((f) => prosemirrorToYXmlFragment(valid, f));
    expect(strictDocument(fragment, schema).eq(valid)).toBe(true);
    expect(
      strictDocument(
        fragmentWith(() => {}),
        schema,
      ).childCount,
    ).toBe(1); // empty: a fresh document
  });

  it('refuses, naming the place, what y-prosemirror would silently delete', () => {
    const unknown = fragmentWith((f) => f.insert(0, [new Y.XmlElement('bracket_bomb')]));
    expect(() => strictDocument(unknown, schema)).toThrow(StructureError);
    expect(() => strictDocument(unknown, schema)).toThrow(/unknown node "bracket_bomb"/);
    // a section without its keyword breaks 'keyword intro? provision+'
    const broken = fragmentWith((f) => {
      prosemirrorToYXmlFragment(valid, f);
      (f.get(0) as Y.XmlElement).delete(0, 1);
    });
    expect(() => strictDocument(broken, schema)).toThrow(/section at doc > section\[0\] is not valid/);
    const badMark = fragmentWith((f) => {
      const p = new Y.XmlElement('paragraph');
      const text = new Y.XmlText();
      p.insert(0, [text]);
      f.insert(0, [p]);
      text.insert(0, 'x', { forged: {} });
    });
    expect(() => strictDocument(badMark, schema)).toThrow(/unknown mark "forged"/);
  });
});
