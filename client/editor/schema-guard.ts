import * as Y from 'yjs';
import type { Schema } from 'prosemirror-model';

/**
 * Protects the shared text from a schema mismatch. When y-prosemirror meets a node or mark its
 * schema does not know, it deletes that piece from the Y.Doc — and the deletion is sent to everyone.
 * A browser still running an older bundle after the server moved documents to a newer schema would
 * so erase the text. This guard looks at every change before the Yjs observers run (the
 * `beforeObserverCalls` event) and, on anything unknown, lets the page unbind the editor first.
 */

/** Any shared type (Yjs types are invariant in their event type, hence `any`). */
type SharedType = Y.AbstractType<any>;

/** y-prosemirror stores overlapping marks as `name--hash` attributes. */
const HASHED_MARK = /--[a-zA-Z0-9+/=]{8}$/;

/** What in `type` (and, when `isNew` says so, in its children) the schema does not know. */
function collectUnknown(type: SharedType, schema: Schema, isNew: (child: SharedType) => boolean, found: Set<string>): void {
  if (type instanceof Y.XmlText) {
    for (const op of type.toDelta() as { attributes?: Record<string, unknown> }[]) {
      for (const key of Object.keys(op.attributes ?? {})) {
        const mark = key.replace(HASHED_MARK, '');
        if (!schema.marks[mark]) found.add(`mark "${mark}"`);
      }
    }
    return;
  }
  if (type instanceof Y.XmlElement && !schema.nodes[type.nodeName]) found.add(`node "${type.nodeName}"`);
  if (type instanceof Y.XmlElement || type instanceof Y.XmlFragment) {
    for (const child of type.toArray()) {
      if (child instanceof Y.XmlElement && !schema.nodes[child.nodeName]) found.add(`node "${child.nodeName}"`);
      if ((child instanceof Y.XmlElement || child instanceof Y.XmlText) && isNew(child)) collectUnknown(child, schema, isNew, found);
    }
  }
}

function within(type: SharedType, root: Y.XmlFragment): boolean {
  for (let t: SharedType | null = type; t; t = (t._item?.parent as SharedType | null | undefined) ?? null) {
    if (t === root) return true;
  }
  return false;
}

/**
 * Calls `onUnknown` (synchronously, before any observer of the text runs) when a change brings a
 * node or mark into `fragment` that `schema` does not have. Returns the function that stops watching.
 */
export function guardSchema(doc: Y.Doc, fragment: Y.XmlFragment, schema: Schema, onUnknown: (names: string[]) => void): () => void {
  const check = (transaction: Y.Transaction) => {
    const found = new Set<string>();
    // Types created in this transaction are not in `changed`; their parents are, so walk into them.
    const isNew = (child: SharedType) => {
      const id = child._item?.id;
      return !id || id.clock >= (transaction.beforeState.get(id.client) ?? 0);
    };
    for (const type of transaction.changed.keys()) {
      if (within(type, fragment)) collectUnknown(type, schema, isNew, found);
    }
    if (found.size) {
      stop();
      onUnknown([...found]);
    }
  };
  const stop = () => doc.off('beforeObserverCalls', check);
  doc.on('beforeObserverCalls', check);
  return stop;
}
