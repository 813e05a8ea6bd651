import * as Y from 'yjs';
import type { Mark, Node as PMNode, Schema } from 'prosemirror-model';

/**
 * Reads a shared text into a ProseMirror document, refusing anything the schema does not allow.
 * y-prosemirror's own reader quietly deletes what it cannot place (and that deletion would be sent
 * to everyone); this one throws instead, naming the node, so the server can refuse an update that
 * breaks the structure and tests can assert that merged documents are schema-valid.
 */
export class StructureError extends Error {}

/** y-prosemirror stores overlapping marks of one type as `name--hash` attributes. */
const HASHED_MARK = /--[a-zA-Z0-9+/=]{8}$/;

function marksOf(attributes: Record<string, unknown> | undefined, schema: Schema, where: string): Mark[] {
  const marks: Mark[] = [];
  for (const [key, value] of Object.entries(attributes ?? {})) {
    const name = key.replace(HASHED_MARK, '');
    const type = schema.marks[name];
    if (!type) throw new StructureError(`unknown mark "${name}" in ${where}`);
    try {
      marks.push(type.create(value && typeof value === 'object' ? (value as Record<string, unknown>) : null));
    } catch (error) {
      throw new StructureError(`mark "${name}" in ${where}: ${(error as Error).message}`);
    }
  }
  return marks;
}

function nodesOf(type: Y.XmlElement | Y.XmlFragment, schema: Schema, path: string): PMNode[] {
  const children: PMNode[] = [];
  type.toArray().forEach((child, index) => {
    if (child instanceof Y.XmlText) {
      for (const op of child.toDelta() as { insert: unknown; attributes?: Record<string, unknown> }[]) {
        if (typeof op.insert !== 'string') throw new StructureError(`embedded object in the text of ${path}`);
        if (op.insert.length) children.push(schema.text(op.insert, marksOf(op.attributes, schema, path)));
      }
    } else if (child instanceof Y.XmlElement) {
      children.push(strictNode(child, schema, `${path} > ${child.nodeName}[${index}]`));
    } else {
      throw new StructureError(`unexpected shared type in ${path}`);
    }
  });
  return children;
}

/** One element of the shared text as a node, or a StructureError. */
export function strictNode(element: Y.XmlElement, schema: Schema, path: string = element.nodeName): PMNode {
  const type = schema.nodes[element.nodeName];
  if (!type || type === schema.topNodeType || type.isText) throw new StructureError(`unknown node "${element.nodeName}" at ${path}`);
  const { marks: markAttr, ...attrs } = element.getAttributes() as Record<string, unknown>;
  const children = nodesOf(element, schema, path);
  try {
    const marks = Array.isArray(markAttr) ? markAttr.map((m: { type: string; attrs?: Record<string, unknown> }) => schema.mark(m.type, m.attrs)) : [];
    return type.createChecked(attrs, children, marks);
  } catch (error) {
    throw new StructureError(`${element.nodeName} at ${path} is not valid: ${(error as Error).message}`);
  }
}

/** The document in `fragment`, or a StructureError saying where the structure is broken. */
export function strictDocument(fragment: Y.XmlFragment, schema: Schema): PMNode {
  const children = nodesOf(fragment, schema, 'doc');
  // A new document's text is empty until its first editor fills it: that is not an error.
  if (children.length === 0) return schema.topNodeType.createAndFill()!;
  try {
    const doc = schema.topNodeType.createChecked(null, children);
    doc.check();
    return doc;
  } catch (error) {
    if (error instanceof StructureError) throw error;
    throw new StructureError(`the document is not valid: ${(error as Error).message}`);
  }
}
