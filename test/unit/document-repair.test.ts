import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { Node as PMNode } from 'prosemirror-model';
import { schema } from '../../shared/schema/index.ts';
import { TEXT_FRAGMENT } from '../../shared/protocol.ts';
import { strictDocument } from '../../shared/yjs/strict-document.ts';
import { renderPlainText } from '../../shared/render/plain-text.ts';
import { hasPending } from '../../server/collab/placeable.ts';
import { repairText } from '../../server/storage/document-migrations/repair-text.ts';
import { migrateV2ToV3 } from '../../server/storage/document-migrations/v2-to-v3.ts';
import { element, resolution, shared, withPending } from '../support/broken-text.ts';

/** Every id-carrying node's id, in reading order. */
function ids(doc: PMNode): string[] {
  const found: string[] = [];
  doc.descendants((node) => {
    if (node.type.spec.attrs && 'id' in node.type.spec.attrs) found.push(node.attrs.id as string);
  });
  return found;
}

/** Repairs `ydoc` as the migration does and checks the text reads strictly with unique ids. */
function migrated(ydoc: Y.Doc): { doc: PMNode; repairs: string[] } {
  const repairs = migrateV2ToV3(ydoc);
  const doc = strictDocument(ydoc.getXmlFragment(TEXT_FRAGMENT), schema);
  const all = ids(doc);
  expect(all.every((id) => id !== '')).toBe(true);
  expect(new Set(all).size).toBe(all.length);
  expect(hasPending(ydoc)).toBe(false);
  return { doc, repairs };
}

const plain = (doc: PMNode) => renderPlainText(doc);

describe('repairing a stored text (schema version 2 → 3)', () => {
  it('leaves a valid text as it is: no repair, no change to the Y.Doc', () => {
    const { ydoc, fragment } = shared();
    const before = Y.encodeStateVector(ydoc);
    expect(repairText(fragment, schema).repairs).toEqual([]);
    expect(migrateV2ToV3(ydoc)).toEqual([]);
    expect(Y.encodeStateVector(ydoc)).toEqual(before);
  });

  it('leaves an empty new document empty', () => {
    const ydoc = new Y.Doc();
    expect(migrateV2ToV3(ydoc)).toEqual([]);
    expect(ydoc.getXmlFragment(TEXT_FRAGMENT).length).toBe(0);
  });

  it('removes text standing at the top of the document', () => {
    const { ydoc, fragment } = shared();
    fragment.insert(1, [new Y.XmlText('stray words')]);
    fragment.push([new Y.XmlText('more')]);
    const { doc, repairs } = migrated(ydoc);
    expect(repairs).toEqual(['2 top-level texts removed']);
    expect(doc.eq(resolution())).toBe(true);
  });

  it('removes other content (a plain string) at the top of the document', () => {
    const { ydoc, fragment } = shared();
    (fragment as unknown as { insert(index: number, content: unknown[]): void }).insert(0, ['not a node']);
    expect(fragment.toArray()[0]).toBe('not a node');
    const { doc, repairs } = migrated(ydoc);
    expect(repairs).toEqual(['1 piece of other content removed from the top of the text']);
    expect(doc.eq(resolution())).toBe(true);
  });

  it('removes unknown nodes, and nodes that cannot stand at the top', () => {
    const { ydoc, fragment } = shared();
    const bogus = new Y.XmlElement('bogus');
    bogus.insert(0, [new Y.XmlText('?')]);
    const loose = new Y.XmlElement('provision');
    loose.setAttribute('id', 'p-9');
    fragment.insert(1, [bogus, loose]);
    const inner = new Y.XmlElement('marquee');
    element(fragment, 3, 1).insert(1, [inner]); // inside provision p-1, after its paragraph
    const { doc, repairs } = migrated(ydoc);
    expect(repairs).toEqual(['1 unknown "bogus" node removed', '1 "provision" node out of place at the top of the text removed', '1 unknown "marquee" node removed']);
    expect(doc.eq(resolution())).toBe(true);
  });

  it('gives fresh ids to empty and repeated ids, the first holder keeping its id', () => {
    const { ydoc, fragment } = shared();
    element(fragment, 1, 2).setAttribute('id', 'p-1'); // p-2 becomes a second p-1
    element(fragment, 2, 1).setAttribute('id', 'p-1'); // p-3 too
    element(fragment, 2).setAttribute('id', ''); // section s-2
    const { doc, repairs } = migrated(ydoc);
    expect(repairs).toEqual(['2 duplicate provision ids replaced', '1 section without an id given one']);
    const [s1, p1, second, s2, third] = ids(doc);
    expect([s1, p1]).toEqual(['s-1', 'p-1']);
    expect(second).toMatch(/^p-/);
    expect(third).toMatch(/^p-/);
    expect(s2).toMatch(/^s-/);
    expect(plain(doc)).toBe(plain(resolution()));
  });

  it('resets values the schema does not allow to the default and drops unknown attributes', () => {
    const { ydoc, fragment } = shared();
    const p1 = element(fragment, 1, 1);
    p1.setAttribute('status', 'bogus');
    p1.setAttribute('colour', 'red');
    element(fragment, 2).setAttribute('numbering', 'roman');
    element(fragment, 1, 2).setAttribute('status', 'agreed'); // allowed: kept
    const { doc, repairs } = migrated(ydoc);
    expect(repairs).toEqual(['1 unknown provision attribute "colour" removed', '1 invalid provision "status" value reset to "open"', '1 invalid section "numbering" value reset to "letters"']);
    expect(doc.child(1).child(1).attrs).toMatchObject({ id: 'p-1', status: 'open' });
    expect(doc.child(1).child(2).attrs.status).toBe('agreed');
    expect(doc.child(2).attrs.numbering).toBe('letters');
    expect(element(fragment, 1, 1).getAttributes()).not.toHaveProperty('colour');
  });

  it('drops unknown marks, brackets without an id and formatting a keyword does not allow, keeping the text', () => {
    const { ydoc, fragment } = shared();
    const words = element(fragment, 1, 1, 0).get(0) as Y.XmlText;
    words.format(0, 10, { blink: {} });
    words.format(11, 4, { bracket: { delegation: 'Brazil' } });
    (element(fragment, 1, 0).get(0) as Y.XmlText).format(0, 4, { em: {} }); // a keyword allows no formatting
    const { doc, repairs } = migrated(ydoc);
    expect(repairs).toEqual(['1 text run in a keyword stripped of formatting it does not allow', '1 unknown "blink" mark removed', '1 "bracket" mark without a required attribute removed']);
    expect(doc.eq(resolution())).toBe(true);
  });

  it('completes a section without its keyword or provisions, and puts loose text in a paragraph', () => {
    const { ydoc, fragment } = shared();
    element(fragment, 1).delete(0, 1); // section s-1 loses its keyword
    const bare = new Y.XmlElement('section');
    bare.setAttribute('id', 's-3');
    const keyword = new Y.XmlElement('keyword');
    keyword.insert(0, [new Y.XmlText('further resolves')]);
    bare.insert(0, [keyword]); // and no provision
    fragment.push([bare]);
    element(fragment, 2, 1).delete(0, 1); // provision p-3 loses its paragraph…
    element(fragment, 2, 1).insert(0, [new Y.XmlText('to act at once.')]); // …its text left loose
    const { doc, repairs } = migrated(ydoc);
    expect(repairs).toEqual([
      '1 empty keyword added to a section',
      '1 loose text in a provision put in a paragraph',
      '1 empty provision added to a section',
      '1 provision without an id given one', // the provision added
    ]);
    expect(doc.child(1).child(0).type.name).toBe('keyword');
    expect(doc.child(1).child(0).textContent).toBe('');
    expect(doc.child(2).child(1).textContent).toBe('to act at once.');
    expect(doc.child(3).childCount).toBe(2);
    expect(doc.child(3).child(1).type.name).toBe('provision');
  });

  it('discards structs and deletions Yjs could not place, stored in a snapshot, and says so', () => {
    const { state, gap } = withPending();
    const fromSnapshot = new Y.Doc();
    Y.applyUpdate(fromSnapshot, state);
    expect(hasPending(fromSnapshot)).toBe(true);

    const { doc, repairs } = migrated(fromSnapshot);
    expect(repairs).toHaveLength(1);
    expect(repairs[0]).toMatch(/^\d+ changes? Yjs could not place discarded$/);
    expect(doc.eq(resolution())).toBe(true);
    // the gap filled later no longer brings the unjudged content in
    Y.applyUpdate(fromSnapshot, gap);
    expect(strictDocument(fromSnapshot.getXmlFragment(TEXT_FRAGMENT), schema).child(1).child(1).textContent).toBe('lost Resolution 70/1;');
  });

  it('keeps the blocks it did not repair, so what is anchored in them stays', () => {
    const { ydoc, fragment } = shared();
    const title = element(fragment, 0);
    const anchor = Y.createRelativePositionFromTypeIndex(element(fragment, 2, 1, 0).get(0) as Y.XmlText, 3);
    element(fragment, 1, 1).setAttribute('status', 'bogus');
    fragment.insert(1, [new Y.XmlText('stray')]);
    migrated(ydoc);
    expect(element(fragment, 0)).toBe(title);
    const absolute = Y.createAbsolutePositionFromRelativePosition(anchor, ydoc);
    expect(absolute?.index).toBe(3);
  });
});
