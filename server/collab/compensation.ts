import * as Y from 'yjs';
import type { Node as PMNode } from 'prosemirror-model';
import { initProseMirrorDoc, updateYFragment } from 'y-prosemirror';
import { schema } from '../../shared/schema/index.ts';
import { newId } from '../../shared/ids.ts';
import type { Violation } from '../../shared/brackets/rules.ts';
import { attrsOf } from '../../shared/brackets/model.ts';

/** A broken rule as the guard found it: a shared rule's violation, or an id to replace. */
export type GuardViolation = Violation & { renamed?: Y.XmlElement[] };

/**
 * Where a provision, section or numbered paragraph stood before the update: the node as it was,
 * and what stood before it (nearest first) — sibling ids inside its section, or top-level
 * elements — so that it is put back in its place.
 */
export interface Placement {
  node: PMNode;
  /** The element that carried it: wherever it is now (moved, its id blanked), it is what is put back. */
  element: Y.XmlElement | null;
  /** The section a provision stands in (null for a top-level block). */
  section: string | null;
  /** Ids of the provisions before it in its section, nearest first. */
  previous?: string[];
  /** The top-level elements before it, nearest first. */
  after?: Y.XmlElement[];
  /** For a provision: where its section stood, should the section itself be gone. */
  sectionPlacement?: Placement;
}

export interface CompensationContext {
  /** A top-level element as it was before the update (null: new, or unreadable before). */
  before(element: Y.XmlElement): PMNode | null;
  /** The top-level elements before the update. */
  order: readonly Y.XmlElement[];
  /** Top-level elements whose new content the schema refuses: put back as they were, or dropped if new. */
  unreadable: ReadonlySet<Y.XmlElement>;
  placement(id: string): Placement | null;
}

/** One top-level entry of the text being put right: its node, and the element it came from (null: put back). */
interface Entry {
  node: PMNode;
  element: Y.XmlElement | null;
}

/**
 * Writes the change that takes back what broke a rule and keeps everything else of the update:
 * an agreed provision, or the provisions holding another delegation's bracket, are put back as
 * they were (where they were); forged brackets are removed, statuses set back, copied or blank ids
 * replaced, blocks the schema refuses put back or dropped. The result is computed as a ProseMirror
 * document and written by y-prosemirror's diffing under `origin`, so only what differs is touched.
 * Returns false when no valid text results (the caller then refuses the update whole).
 */
export function compensate(doc: Y.Doc, fragment: Y.XmlFragment, found: readonly GuardViolation[], context: CompensationContext, origin: unknown): boolean {
  const elements = fragment.toArray().filter((e): e is Y.XmlElement => e instanceof Y.XmlElement);
  const { meta } = initProseMirrorDoc(fragment, schema);
  const nodeOf = (element: Y.XmlElement) => meta.mapping.get(element) as PMNode | undefined;
  let entries: Entry[] = [];
  for (const element of elements) {
    if (context.unreadable.has(element) || !nodeOf(element)) {
      const previous = context.before(element);
      if (previous) entries.push({ node: previous, element });
      continue;
    }
    entries.push({ node: nodeOf(element)!, element });
  }

  // What is put back replaces its original element, wherever that is now (moved, its id blanked).
  const restore = new Set(found.flatMap((v) => v.restore));
  const originals = new Map<string, PMNode>();
  for (const id of restore) {
    const element = context.placement(id)?.element;
    const node = element ? nodeOf(element) : undefined;
    if (node) originals.set(id, node);
  }
  const replacedOriginals = new Set(originals.values());

  // Copied or blank ids: the copy gets an id of its own.
  const renamed = new Set<PMNode>();
  for (const v of found)
    for (const element of v.renamed ?? []) {
      const node = nodeOf(element);
      if (node && !replacedOriginals.has(node)) renamed.add(node);
    }
  const strip = new Set(found.flatMap((v) => v.strip));
  const statuses = new Set(found.flatMap((v) => (v.status ? [v.status] : [])));
  entries = entries.map((entry) => ({
    ...entry,
    node: rebuild(entry.node, (node) => {
      // a copy is a new provision: open, whatever status it was given
      if (renamed.has(node)) return node.type.create({ ...node.attrs, id: freshId(node), ...('status' in node.attrs ? { status: 'open' } : {}) }, node.content, node.marks);
      if (statuses.has(node.attrs.id as string) && node.type.name === 'provision') {
        const was = context.placement(node.attrs.id as string)?.node.attrs.status ?? 'open';
        if (was !== node.attrs.status) return node.type.create({ ...node.attrs, status: was }, node.content, node.marks);
      }
      if (node.isText && strip.size && node.marks.some((m) => m.type.name === 'bracket' && strip.has(attrsOf(m).id))) {
        return node.mark(node.marks.filter((m) => m.type.name !== 'bracket' || !strip.has(attrsOf(m).id)));
      }
      return undefined;
    }),
  }));

  // Top-level blocks without an id that held a broken bracket: put back as they were.
  const byBefore = new Map<PMNode, Y.XmlElement>();
  for (const element of context.order) {
    const node = context.before(element);
    if (node) byBefore.set(node, element);
  }
  for (const v of found)
    for (const block of v.blocks) {
      const element = byBefore.get(block);
      const at = entries.findIndex((e) => e.element !== null && e.element === element);
      if (element && at >= 0) entries[at] = { node: block, element };
      else if (element) insertTop(entries, block, context.order.slice(0, context.order.indexOf(element)).reverse());
    }

  // Provisions, sections and numbered paragraphs put back as they were, where they were.
  const restored: PMNode[] = [];
  for (const id of restore) {
    const placement = context.placement(id);
    if (!placement) continue;
    const original = originals.get(id);
    const replaced = (node: PMNode) => node.attrs.id === id || node === original;
    entries = entries.flatMap((entry) => {
      if (replaced(entry.node)) return [];
      return [{ ...entry, node: rebuild(entry.node, (node) => (node.type.name === 'provision' && replaced(node) ? null : undefined)) }];
    });
    const put = placement.section === null ? placeTop(entries, placement) : placeProvision(entries, placement);
    if (!put) return false;
    restored.push(put);
  }
  if (restored.length) entries = withOwnIds(entries, restored);

  let next: PMNode;
  try {
    next = schema.topNodeType.create(
      null,
      entries.map((e) => e.node),
    );
    next.check();
  } catch {
    return false;
  }
  doc.transact(() => updateYFragment(doc, fragment, next, meta), origin);
  return true;
}

/** Puts a top-level block back after the nearest element that stood before it and still stands. */
function placeTop(entries: Entry[], placement: Placement): PMNode {
  insertTop(entries, placement.node, placement.after ?? []);
  return placement.node;
}

function insertTop(entries: Entry[], node: PMNode, after: readonly Y.XmlElement[]): void {
  for (const element of after) {
    const at = entries.findIndex((e) => e.element === element);
    if (at >= 0) {
      entries.splice(at + 1, 0, { node, element: null });
      return;
    }
  }
  entries.unshift({ node, element: null });
}

/** Puts a provision back in its section after the nearest sibling that still stands; the section itself if it is gone. */
function placeProvision(entries: Entry[], placement: Placement): PMNode | null {
  const at = entries.findIndex((e) => e.node.type.name === 'section' && e.node.attrs.id === placement.section);
  if (at < 0) {
    if (!placement.sectionPlacement) return null;
    placeTop(entries, placement.sectionPlacement);
    return placement.sectionPlacement.node;
  }
  const section = entries[at]!.node;
  const children: PMNode[] = [];
  section.forEach((child) => children.push(child));
  let index = -1;
  for (const id of placement.previous ?? []) {
    index = children.findIndex((c) => c.attrs.id === id);
    if (index >= 0) break;
  }
  if (index < 0) index = children.findIndex((c) => c.type.name === 'provision') - 1;
  if (index < -1) index = children.length - 1;
  children.splice(index + 1, 0, placement.node);
  entries[at] = { ...entries[at]!, node: section.type.create(section.attrs, children, section.marks) };
  return placement.node;
}

/** What is put back keeps its ids; anything else that carries one of them gets a new one. */
function withOwnIds(entries: Entry[], restored: readonly PMNode[]): Entry[] {
  const kept = new Set<PMNode>();
  const ids = new Set<string>();
  for (const node of restored) {
    const mark = (n: PMNode) => {
      if (n.attrs.id) {
        kept.add(n);
        ids.add(n.attrs.id as string);
      }
    };
    mark(node);
    node.descendants((n) => (mark(n), !n.isTextblock));
  }
  return entries.map((entry) => ({
    ...entry,
    node: rebuild(entry.node, (node) => {
      if (kept.has(node)) return node;
      if (ids.has(node.attrs.id as string)) return node.type.create({ ...node.attrs, id: freshId(node) }, node.content, node.marks);
      return undefined;
    }),
  }));
}

function freshId(node: PMNode): string {
  return newId(node.type.name === 'section' ? 's' : 'p');
}

/**
 * A node with `change` applied to it and its descendants: a node returned replaces, null removes,
 * undefined keeps and looks inside. Untouched nodes stay the same objects (y-prosemirror then
 * skips them when writing).
 */
function rebuild(node: PMNode, change: (node: PMNode) => PMNode | null | undefined): PMNode {
  const visit = (n: PMNode): PMNode | null => {
    const replaced = change(n);
    if (replaced !== undefined) return replaced;
    if (n.isLeaf || n.childCount === 0) return n;
    const children: PMNode[] = [];
    let same = true;
    n.forEach((child) => {
      const next = visit(child);
      if (next !== child) same = false;
      if (next) children.push(next);
    });
    return same ? n : n.type.create(n.attrs, children, n.marks);
  };
  return visit(node) ?? node;
}
