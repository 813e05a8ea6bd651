import * as Y from 'yjs';
import type { Node as PMNode } from 'prosemirror-model';
import { yXmlFragmentToProseMirrorRootNode } from 'y-prosemirror';
import { schema } from '../../shared/schema/index.ts';
import { TEXT_FRAGMENT } from '../../shared/protocol.ts';

/** The ProseMirror document held in a Yjs state: what every export renders. */
export function documentFromState(state: Uint8Array): PMNode {
  const ydoc = new Y.Doc();
  Y.applyUpdate(ydoc, state);
  const doc = yXmlFragmentToProseMirrorRootNode(ydoc.getXmlFragment(TEXT_FRAGMENT), schema);
  ydoc.destroy();
  return doc;
}
