import * as Y from 'yjs';
import { prosemirrorToYXmlFragment } from 'y-prosemirror';
import type { Node as PMNode } from 'prosemirror-model';
import { TEXT_FRAGMENT } from '../../shared/protocol.ts';

/** The Yjs update that creates a document's first text, for storing before anyone connects. */
export function initialTextUpdate(doc: PMNode): Uint8Array {
  const ydoc = new Y.Doc();
  prosemirrorToYXmlFragment(doc, ydoc.getXmlFragment(TEXT_FRAGMENT));
  const update = Y.encodeStateAsUpdate(ydoc);
  ydoc.destroy();
  return update;
}
