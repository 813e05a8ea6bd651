import * as Y from 'yjs';
import type { Node as PMNode } from 'prosemirror-model';
import { prosemirrorToYXmlFragment } from 'y-prosemirror';
import { schema } from '../../../shared/schema/index.ts';
import { TEXT_FRAGMENT } from '../../../shared/protocol.ts';
import { discardPending } from '../../collab/placeable.ts';
import { RepairNotes } from './repair-notes.ts';
import { readsAs, repairText } from './repair-text.ts';

/**
 * Version 2 → 3: since version 3 the server checks whole documents on every update (only the
 * schema's blocks at the top, unique ids, allowed attributes, nothing left pending). A text stored
 * before may break those rules, and every reader that reads strictly would fail on it; so each
 * stored text is repaired once (repair-text.ts). Content Yjs could not place is discarded: it was
 * never judged. A text that needs no repair is left as it is — not rewritten, so threads anchored
 * in it and clients that were offline keep their places. Returns what was changed, in words.
 */
export function migrateV2ToV3(ydoc: Y.Doc): string[] {
  const notes = new RepairNotes();
  notes.note('change{s} Yjs could not place discarded', pendingCount(ydoc));
  discardPending(ydoc);
  const fragment = ydoc.getXmlFragment(TEXT_FRAGMENT);
  const { doc, repairs } = repairText(fragment, schema);
  if (repairs.length) writeText(ydoc, fragment, doc);
  return [...notes.list(), ...repairs];
}

/** How many structs and deleted ranges a document keeps aside (both V2-encoded updates in Yjs). */
function pendingCount(ydoc: Y.Doc): number {
  const { pendingStructs, pendingDs } = ydoc.store;
  let count = pendingStructs ? Y.decodeUpdateV2(pendingStructs.update).structs.length : 0;
  if (pendingDs) for (const ranges of Y.decodeUpdateV2(pendingDs).ds.clients.values()) count += ranges.length;
  return count;
}

/**
 * Writes the repaired text as a change of the same Y.Doc, so its history continues: by
 * y-prosemirror's diff, which touches only the blocks that differ; should the diff not reproduce
 * the repaired text exactly, the whole text is replaced.
 */
function writeText(ydoc: Y.Doc, fragment: Y.XmlFragment, doc: PMNode): void {
  ydoc.transact(() => prosemirrorToYXmlFragment(doc, fragment));
  if (readsAs(fragment, schema, doc)) return;
  ydoc.transact(() => {
    fragment.delete(0, fragment.length);
    prosemirrorToYXmlFragment(doc, fragment);
  });
  if (!readsAs(fragment, schema, doc)) throw new Error('the repaired text could not be written back');
}
