import * as Y from 'yjs';
import type { Attrs, Mark, MarkType, Node as PMNode, NodeType, Schema } from 'prosemirror-model';

/**
 * Reads a shared text into a ProseMirror document, refusing anything the schema does not allow.
 * y-prosemirror's own reader quietly deletes what it cannot place (and that deletion would be sent
 * to everyone); this one throws instead, naming the node, so the server can refuse an update that
 * breaks the structure and tests can assert that merged documents are schema-valid. Attributes
 * are read as strictly as content: an attribute the schema does not know, or a value it does not
 * allow (a numbering style, a status), is an error too.
 */
export class StructureError extends Error {}

/** Told of every element read, with the node made of it (the guard keeps which element holds which id). */
export type ElementVisitor = (node: PMNode, element: Y.XmlElement) => void;

/** y-prosemirror stores overlapping marks of one type as `name--hash` attributes. */
const HASHED_MARK = /--[a-zA-Z0-9+/=]{8}$/;

/** Throws unless `values` holds only attributes of `type`, each with a value it allows. */
function checkAttrs(type: NodeType | MarkType, values: Record<string, unknown>, what: string): void {
  const specs = type.spec.attrs ?? {};
  for (const name of Object.keys(values)) {
    if (!(name in specs)) throw new StructureError(`${what} has an attribute the schema does not know: "${name}"`);
  }
  for (const [name, spec] of Object.entries(specs)) {
    const value = name in values ? values[name] : spec.default;
    if (value === undefined) throw new StructureError(`${what} lacks its "${name}" attribute`);
    if (typeof spec.validate === 'function') {
      try {
        spec.validate(value);
      } catch (error) {
        throw new StructureError(`${what}: attribute "${name}": ${(error as Error).message}`);
      }
    } else if (typeof spec.validate === 'string' && !spec.validate.split('|').includes(value === null ? 'null' : typeof value)) {
      throw new StructureError(`${what}: attribute "${name}" must be ${spec.validate}, not ${value === null ? 'null' : typeof value}`);
    }
  }
}

function marksOf(attributes: Record<string, unknown> | undefined, schema: Schema, where: string): Mark[] {
  const marks: Mark[] = [];
  for (const [key, value] of Object.entries(attributes ?? {})) {
    const name = key.replace(HASHED_MARK, '');
    const type = schema.marks[name];
    if (!type) throw new StructureError(`unknown mark "${name}" in ${where}`);
    const attrs = value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
    checkAttrs(type, attrs, `mark "${name}" in ${where}`);
    marks.push(type.create(attrs as Attrs));
  }
  return marks;
}

function nodesOf(type: Y.XmlElement | Y.XmlFragment, schema: Schema, path: string, visit?: ElementVisitor): PMNode[] {
  const children: PMNode[] = [];
  type.toArray().forEach((child, index) => {
    if (child instanceof Y.XmlText) {
      for (const op of child.toDelta() as { insert: unknown; attributes?: Record<string, unknown> }[]) {
        if (typeof op.insert !== 'string') throw new StructureError(`embedded object in the text of ${path}`);
        if (op.insert.length) children.push(schema.text(op.insert, marksOf(op.attributes, schema, path)));
      }
    } else if (child instanceof Y.XmlElement) {
      children.push(strictNode(child, schema, `${path} > ${child.nodeName}[${index}]`, visit));
    } else {
      throw new StructureError(`unexpected shared content in ${path}`);
    }
  });
  return children;
}

/** One element of the shared text as a node, or a StructureError. */
export function strictNode(element: Y.XmlElement, schema: Schema, path: string = element.nodeName, visit?: ElementVisitor): PMNode {
  const type = schema.nodes[element.nodeName];
  if (!type || type === schema.topNodeType || type.isText) throw new StructureError(`unknown node "${element.nodeName}" at ${path}`);
  const { marks: markAttr, ...attrs } = element.getAttributes() as Record<string, unknown>;
  checkAttrs(type, attrs, `${element.nodeName} at ${path}`);
  const children = nodesOf(element, schema, path, visit);
  let node: PMNode;
  try {
    const marks = Array.isArray(markAttr) ? markAttr.map((m: { type: string; attrs?: Record<string, unknown> }) => schema.mark(m.type, m.attrs)) : [];
    node = type.createChecked(attrs, children, marks);
  } catch (error) {
    throw new StructureError(`${element.nodeName} at ${path} is not valid: ${(error as Error).message}`);
  }
  visit?.(node, element);
  return node;
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
