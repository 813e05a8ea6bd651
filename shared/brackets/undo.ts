import type { Node as PMNode, Schema } from 'prosemirror-model';
import { Transform } from 'prosemirror-transform';
import { DecisionError } from './decisions.ts';

/**
 * Undoing a chair's decision without undoing what others typed since. A decision is recorded as
 * the smallest units it changed — provisions (by id) inside sections that otherwise stayed, or
 * whole top-level blocks — each with its text before and after. Undo puts the "before" back for
 * every unit that is still exactly as the decision left it; if anyone changed one since, undo is
 * refused (with which one), rather than overwriting their words.
 */
export type Unit = { kind: 'provision'; id: string; sectionId: string; previousId: string | null; before: unknown; after: unknown } | { kind: 'block'; index: number; before: unknown; after: unknown };

const headOf = (section: PMNode) => {
  const head: PMNode[] = [];
  section.forEach((child) => child.type.name !== 'provision' && head.push(child));
  return head;
};
const sameHead = (a: PMNode, b: PMNode) => {
  const x = headOf(a);
  const y = headOf(b);
  return x.length === y.length && x.every((node, i) => node.eq(y[i]!));
};

function provisionsOf(section: PMNode): PMNode[] {
  const out: PMNode[] = [];
  section.forEach((child) => child.type.name === 'provision' && out.push(child));
  return out;
}

/** The units a decision changed, from the document before it and after it (decisions only change or remove). */
export function decisionUnits(before: PMNode, after: PMNode): Unit[] {
  const units: Unit[] = [];
  let j = 0;
  before.forEach((block, _offset, i) => {
    const candidate = j < after.childCount ? after.child(j) : null;
    const matches = candidate !== null && candidate.type === block.type && (block.type.name !== 'section' || candidate.attrs.id === block.attrs.id);
    if (!matches) {
      units.push({ kind: 'block', index: i, before: block.toJSON(), after: null });
      return;
    }
    j++;
    if (candidate.eq(block)) return;
    if (block.type.name === 'section' && block.attrs.id && sameHead(block, candidate)) {
      const now = new Map(provisionsOf(candidate).map((p) => [p.attrs.id as string, p]));
      let previousId: string | null = null;
      for (const provision of provisionsOf(block)) {
        const id = provision.attrs.id as string;
        const next = now.get(id);
        if (!next) units.push({ kind: 'provision', id, sectionId: block.attrs.id as string, previousId, before: provision.toJSON(), after: null });
        else if (!next.eq(provision)) units.push({ kind: 'provision', id, sectionId: block.attrs.id as string, previousId, before: provision.toJSON(), after: next.toJSON() });
        previousId = id;
      }
      return;
    }
    units.push({ kind: 'block', index: j - 1, before: block.toJSON(), after: candidate.toJSON() });
  });
  return units;
}

function findById(doc: PMNode, type: string, id: string): { node: PMNode; pos: number } | null {
  let found: { node: PMNode; pos: number } | null = null;
  doc.descendants((node, pos) => {
    if (found) return false;
    if (node.type.name === type && node.attrs.id === id) {
      found = { node, pos };
      return false;
    }
    return !node.isTextblock;
  });
  return found;
}

const sameJSON = (node: PMNode, json: unknown) => JSON.stringify(node.toJSON()) === JSON.stringify(json);

/** The current document with the decision's units put back, or a DecisionError naming what changed since. */
export function revertUnits(current: PMNode, units: Unit[], schema: Schema): PMNode {
  const tr = new Transform(current);
  const changed = units.filter((u) => u.after !== null);
  const removedProvisions = units.filter((u): u is Extract<Unit, { kind: 'provision' }> => u.kind === 'provision' && u.after === null);
  const removedBlocks = units.filter((u): u is Extract<Unit, { kind: 'block' }> => u.kind === 'block' && u.after === null).sort((a, b) => a.index - b.index);

  for (const unit of changed) {
    if (unit.kind === 'provision') {
      const found = findById(tr.doc, 'provision', unit.id);
      if (!found || !sameJSON(found.node, unit.after)) throw new DecisionError('a provision this decision changed has been edited since; undo it by hand');
      tr.replaceWith(found.pos, found.pos + found.node.nodeSize, schema.nodeFromJSON(unit.before));
    } else {
      const block = unit.index < tr.doc.childCount ? tr.doc.child(unit.index) : null;
      if (!block || !sameJSON(block, unit.after)) throw new DecisionError('a part of the text this decision changed has been edited since; undo it by hand');
      let pos = 0;
      for (let i = 0; i < unit.index; i++) pos += tr.doc.child(i).nodeSize;
      tr.replaceWith(pos, pos + block.nodeSize, schema.nodeFromJSON(unit.before));
    }
  }
  for (const unit of removedProvisions) {
    const node = schema.nodeFromJSON(unit.before);
    if (findById(tr.doc, 'provision', unit.id)) throw new DecisionError('a provision this decision removed is back in the text; undo it by hand');
    const previous = unit.previousId ? findById(tr.doc, 'provision', unit.previousId) : null;
    if (previous) {
      tr.insert(previous.pos + previous.node.nodeSize, node);
      continue;
    }
    const section = findById(tr.doc, 'section', unit.sectionId);
    if (!section) throw new DecisionError('the section this decision changed has been deleted since; undo it by hand');
    // after the keyword and the introductory line, before the first provision
    let offset = 0;
    let head = true;
    section.node.forEach((child) => {
      if (child.type.name === 'provision') head = false;
      if (head) offset += child.nodeSize;
    });
    const at = section.pos + 1 + offset;
    tr.insert(at, node);
  }
  for (const unit of removedBlocks) {
    const index = Math.min(unit.index, tr.doc.childCount);
    let pos = 0;
    for (let i = 0; i < index; i++) pos += tr.doc.child(i).nodeSize;
    tr.insert(pos, schema.nodeFromJSON(unit.before));
  }
  tr.doc.check();
  return tr.doc;
}
