import * as Y from 'yjs';
import type { Node as PMNode } from 'prosemirror-model';
import { schema } from '../../shared/schema/index.ts';
import { TEXT_FRAGMENT } from '../../shared/protocol.ts';
import { strictDocument } from '../../shared/yjs/strict-document.ts';

/**
 * The text held in a Yjs state, read strictly: a text that does not fit the schema throws a
 * StructureError (answered as such by app.ts) rather than being shown or exported half-read.
 */
export function textOfState(state: Uint8Array): PMNode {
  const ydoc = new Y.Doc();
  try {
    Y.applyUpdate(ydoc, state);
    return strictDocument(ydoc.getXmlFragment(TEXT_FRAGMENT), schema);
  } finally {
    ydoc.destroy();
  }
}
