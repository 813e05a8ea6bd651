import * as Y from 'yjs';
import { Fragment, Mark } from 'prosemirror-model';
import type { AttributeSpec, Attrs, MarkType, Node as PMNode, NodeType, Schema } from 'prosemirror-model';
import { newId } from '../../../shared/ids.ts';
import { strictDocument } from '../../../shared/yjs/strict-document.ts';
import { RepairNotes } from './repair-notes.ts';

/** y-prosemirror stores overlapping marks of one type as `name--hash` attributes. */
const HASHED_MARK = /--[a-zA-Z0-9+/=]{8}$/;

/** A type's name as a note says it: "sub_item" → "sub item". */
const said = (name: string) => name.replace(/_/g, ' ');

/** Whether the schema allows `value` for an attribute (as strictNode checks it). */
function allows(spec: AttributeSpec, value: unknown): boolean {
  if (value === undefined) return false;
  if (typeof spec.validate === 'function') {
    try {
      spec.validate(value);
      return true;
    } catch {
      return false;
    }
  }
  if (typeof spec.validate === 'string') return spec.validate.split('|').includes(value === null ? 'null' : typeof value);
  return true;
}

/**
 * Reads a shared text that may have been stored in any shape before the server checked whole
 * documents, keeping every word the schema has a place for. Each kind of damage is repaired the
 * plainest way that keeps the text negotiable: content that cannot stand at the top of a document
 * (loose text, unknown or misplaced nodes) is left out; an unknown attribute is dropped and a value
 * the schema does not allow becomes its default; a node missing a required part gets an empty one
 * (a section without its keyword), loose text inside a node goes into the paragraph it lacks, and
 * what has no place at all is left out; an empty or repeated id is replaced by a fresh one, the
 * first holder of an id keeping it (comments, brackets and decisions point at ids). Pure: reads
 * `fragment`, never changes it. The result reads strictly (strictDocument) and its ids are unique.
 */
export function repairText(fragment: Y.XmlFragment, schema: Schema): { doc: PMNode; repairs: string[] } {
  const notes = new RepairNotes();
  // A new document's text is empty until its first editor fills it: nothing to repair.
  if (fragment.length === 0) return { doc: schema.topNodeType.createAndFill()!, repairs: [] };
  const reader = new LenientReader(schema, notes);
  const blocks: PMNode[] = [];
  for (const child of fragment.toArray() as unknown[]) {
    if (child instanceof Y.XmlElement) {
      const type = schema.nodes[child.nodeName];
      if (type?.isInGroup('block')) {
        const node = reader.element(child);
        if (node) blocks.push(node);
      } else if (type && type !== schema.topNodeType && !type.isText) {
        notes.note(`"${said(child.nodeName)}" node{s} out of place at the top of the text removed`);
      } else {
        notes.note(`unknown "${child.nodeName}" node{s} removed`);
      }
    } else if (child instanceof Y.XmlText) {
      notes.note('top-level text{s} removed');
    } else {
      notes.note('piece{s} of other content removed from the top of the text');
    }
  }
  const doc = withUniqueIds(reader.fit(schema.topNodeType, null, blocks), notes);
  doc.check();
  if (notes.empty && !readsAs(fragment, schema, doc)) notes.note('text{s} rewritten to fit the schema');
  return { doc, repairs: notes.list() };
}

/** Whether `fragment` reads strictly as `doc`: the safety net for damage the notes did not name. */
export function readsAs(fragment: Y.XmlFragment, schema: Schema, doc: PMNode): boolean {
  try {
    return strictDocument(fragment, schema).eq(doc);
  } catch {
    return false;
  }
}

/** Reads elements, text and marks, repairing as it goes and noting each repair. */
class LenientReader {
  constructor(
    private readonly schema: Schema,
    private readonly notes: RepairNotes,
  ) {}

  element(element: Y.XmlElement): PMNode | null {
    const type = this.schema.nodes[element.nodeName];
    if (!type || type === this.schema.topNodeType || type.isText) {
      this.notes.note(`unknown "${element.nodeName}" node{s} removed`);
      return null;
    }
    const attrs = this.#attrs(type, element.getAttributes(), said(type.name));
    if (!attrs) {
      this.notes.note(`"${said(type.name)}" node{s} without a required attribute removed`);
      return null;
    }
    return this.fit(type, attrs, this.#children(element));
  }

  /**
   * A node of `type` holding what of `children` fits, in order: a child that fits is kept; one
   * that would fit after a required node gets an empty one before it; one that fits inside a
   * node this one lacks is put in one (a run of loose text in the paragraph a provision lacks);
   * anything else is left out. Required nodes missing at the end are
   * added empty (a section whose provisions were lost gets an empty provision).
   */
  fit(type: NodeType, attrs: Attrs | null, children: PMNode[]): PMNode {
    const content: PMNode[] = [];
    const added = (node: PMNode) => {
      content.push(node);
      this.notes.note(`empty ${said(node.type.name)}{s} added to a ${said(type.name)}`);
    };
    let match = type.contentMatch;
    for (let i = 0; i < children.length; ) {
      let child = children[i]!;
      if (child.isInline && !type.allowsMarks(child.marks)) {
        child = child.mark(type.allowedMarks(child.marks));
        this.notes.note(`text run{s} in a ${said(type.name)} stripped of formatting it does not allow`);
      }
      const next = match.matchType(child.type);
      if (next) {
        content.push(child);
        match = next;
        i++;
        continue;
      }
      const fill = match.fillBefore(Fragment.from(child));
      if (fill) {
        fill.forEach(added);
        content.push(child);
        match = match.matchFragment(fill)!.matchType(child.type)!;
        i++;
        continue;
      }
      const wrapping = match.findWrapping(child.type);
      if (wrapping?.length) {
        let end = i + 1;
        while (child.isInline && end < children.length && children[end]!.isInline) end++;
        let wrapped = this.fit(wrapping.at(-1)!, null, children.slice(i, end));
        for (let k = wrapping.length - 2; k >= 0; k--) wrapped = this.fit(wrapping[k]!, null, [wrapped]);
        const what = child.isInline ? 'loose text{s}' : `"${said(child.type.name)}" node{s}`;
        this.notes.note(`${what} in a ${said(type.name)} put in a ${said(wrapping.at(-1)!.name)}`);
        content.push(wrapped);
        match = match.matchType(wrapped.type)!;
        i = end;
        continue;
      }
      this.notes.note(`"${said(child.type.name)}" node{s} out of place in a ${said(type.name)} removed`);
      i++;
    }
    const rest = match.fillBefore(Fragment.empty, true);
    if (!rest) throw new Error(`a ${type.name} cannot be completed`); // no schema node is like that
    rest.forEach(added);
    return type.create(attrs, content);
  }

  #children(parent: Y.XmlElement): PMNode[] {
    const nodes: PMNode[] = [];
    for (const child of parent.toArray() as unknown[]) {
      if (child instanceof Y.XmlText) nodes.push(...this.#text(child));
      else if (child instanceof Y.XmlElement) {
        const node = this.element(child);
        if (node) nodes.push(node);
      } else {
        this.notes.note('piece{s} of other content removed from the text');
      }
    }
    return nodes;
  }

  #text(text: Y.XmlText): PMNode[] {
    const nodes: PMNode[] = [];
    for (const op of text.toDelta() as { insert: unknown; attributes?: Record<string, unknown> }[]) {
      if (typeof op.insert !== 'string') {
        this.notes.note('embedded object{s} removed from the text');
        continue;
      }
      if (op.insert.length) nodes.push(this.schema.text(op.insert, this.#marks(op.attributes ?? {})));
    }
    return nodes;
  }

  #marks(attributes: Record<string, unknown>): readonly Mark[] {
    let marks: readonly Mark[] = Mark.none;
    for (const [key, value] of Object.entries(attributes)) {
      const name = key.replace(HASHED_MARK, '');
      const type = this.schema.marks[name];
      if (!type) {
        this.notes.note(`unknown "${name}" mark{s} removed`);
        continue;
      }
      const given = value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
      const attrs = this.#attrs(type, given, `"${name}" mark`);
      if (!attrs) {
        this.notes.note(`"${name}" mark{s} without a required attribute removed`);
        continue;
      }
      const before = marks.length;
      marks = type.create(attrs).addToSet(marks);
      if (marks.length <= before) this.notes.note(`"${name}" mark{s} excluded by another removed`);
    }
    return marks;
  }

  /** The attributes the schema declares, each with an allowed value; null if a required one has none. */
  #attrs(type: NodeType | MarkType, values: Record<string, unknown>, what: string): Attrs | null {
    const specs: Record<string, AttributeSpec> = type.spec.attrs ?? {};
    for (const name of Object.keys(values)) {
      if (!(name in specs)) this.notes.note(`unknown ${what} attribute{s} "${name}" removed`);
    }
    const attrs: Record<string, unknown> = {};
    for (const [name, spec] of Object.entries(specs)) {
      const given = name in values;
      if (given && allows(spec, values[name])) {
        attrs[name] = values[name];
        continue;
      }
      if (!('default' in spec) || !allows(spec, spec.default)) return null;
      attrs[name] = spec.default;
      if (given) this.notes.note(`invalid ${what} "${name}" value{s} reset to ${JSON.stringify(spec.default)}`);
    }
    return attrs;
  }
}

/**
 * The document with an id of its own on every node that carries one: an empty id is filled, a
 * repeated one replaced, in reading order so the first holder keeps it. A fresh id is one no
 * node has, so no later holder loses its id to it.
 */
function withUniqueIds(doc: PMNode, notes: RepairNotes): PMNode {
  const carriesId = (node: PMNode) => !node.isText && node.type.spec.attrs !== undefined && 'id' in node.type.spec.attrs;
  const taken = new Set<string>();
  doc.descendants((node) => {
    if (carriesId(node)) taken.add(node.attrs.id as string);
  });
  const seen = new Set<string>();
  const fresh = (type: NodeType) => {
    let id: string;
    do id = newId(type.name === 'section' ? 's' : 'p');
    while (taken.has(id));
    taken.add(id);
    return id;
  };
  const visit = (node: PMNode): PMNode => {
    let attrs = node.attrs;
    if (carriesId(node)) {
      const id = node.attrs.id as string;
      if (id === '' || seen.has(id)) {
        attrs = { ...attrs, id: fresh(node.type) };
        notes.note(id === '' ? `${said(node.type.name)}{s} without an id given one` : `duplicate ${said(node.type.name)} id{s} replaced`);
      }
      seen.add(attrs.id as string);
    }
    if (node.isTextblock && attrs === node.attrs) return node; // no ids inside a textblock
    const children: PMNode[] = [];
    let changed = attrs !== node.attrs;
    node.forEach((child) => {
      const next = visit(child);
      changed ||= next !== child;
      children.push(next);
    });
    if (!changed) return node;
    return attrs === node.attrs ? node.copy(Fragment.fromArray(children)) : node.type.create(attrs, Fragment.fromArray(children), node.marks);
  };
  return visit(doc);
}
