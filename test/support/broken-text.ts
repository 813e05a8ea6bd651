import * as Y from 'yjs';
import type { Node as PMNode } from 'prosemirror-model';
import { prosemirrorToYXmlFragment } from 'y-prosemirror';
import { schema } from '../../shared/schema/index.ts';
import { TEXT_FRAGMENT } from '../../shared/protocol.ts';

/**
 * Texts as a server before the whole-document check could have stored them (repair tests): a
 * valid resolution to start from, and ways to reach into its shared text and break it.
 */
const n = schema.nodes;
const text = (value: string) => schema.text(value);
const provision = (id: string, value: string) => n.provision!.create({ id }, n.paragraph!.create(null, text(value)));

/** A resolution as stored: title, a preamble section s-1 (p-1, p-2), an operative one s-2 (p-3). */
export function resolution(): PMNode {
  return n.doc!.create(null, [
    n.title!.create(null, text('Draft New Resolution')),
    n.section!.create({ id: 's-1', part: 'preamble' }, [n.keyword!.create(null, text('recalling')), provision('p-1', 'Resolution 70/1;'), provision('p-2', 'Resolution 140,')]),
    n.section!.create({ id: 's-2', part: 'operative', numbering: 'numbers' }, [n.keyword!.create(null, text('resolves')), provision('p-3', 'to act.')]),
  ]);
}

/** `doc` as a shared text. */
export function shared(doc: PMNode = resolution()): { ydoc: Y.Doc; fragment: Y.XmlFragment } {
  const ydoc = new Y.Doc();
  const fragment = ydoc.getXmlFragment(TEXT_FRAGMENT);
  prosemirrorToYXmlFragment(doc, fragment);
  return { ydoc, fragment };
}

/** The element at `path` (child indexes) under `parent`. */
export const element = (parent: Y.XmlFragment | Y.XmlElement, ...path: number[]) => path.reduce<Y.XmlFragment | Y.XmlElement>((at, i) => at.get(i) as Y.XmlElement, parent) as Y.XmlElement;

/**
 * The shared resolution encoded with content Yjs cannot place (an edit of p-1 whose predecessor
 * never arrived, and a deletion of it), as a compaction encoded such a document; and `gap`, the
 * missing edit, which would bring the unjudged content in if it ever arrived.
 */
export function withPending(): { state: Uint8Array; gap: Uint8Array } {
  const { ydoc: source, fragment } = shared();
  const known = Y.encodeStateAsUpdate(source);
  const words = element(fragment, 1, 1, 0).get(0) as Y.XmlText;
  words.insert(0, 'lost ');
  const gap = Y.encodeStateAsUpdate(source, Y.encodeStateVectorFromUpdate(known));
  words.insert(0, 'pending ');
  words.delete(0, 3);
  const after = Y.encodeStateAsUpdate(source, Y.encodeStateVectorFromUpdate(Y.mergeUpdates([known, gap])));
  const broken = new Y.Doc();
  Y.applyUpdate(broken, known);
  Y.applyUpdate(broken, after); // waits for `gap`
  const state = Y.encodeStateAsUpdate(broken);
  source.destroy();
  broken.destroy();
  return { state, gap };
}
