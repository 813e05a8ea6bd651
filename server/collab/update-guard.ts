import * as Y from 'yjs';

/** Yjs's delete set of a transaction (its class is not exported as a type). */
type DeleteSet = Y.Transaction['deleteSet'];
import type { Node as PMNode } from 'prosemirror-model';
import { schema } from '../../shared/schema/index.ts';
import { TEXT_FRAGMENT } from '../../shared/protocol.ts';
import { strictNode, StructureError } from '../../shared/yjs/strict-document.ts';
import { bracketHolders, othersBracketMessage, violations } from '../../shared/brackets/rules.ts';
import type { Actor } from '../../shared/brackets/rules.ts';
import { bracketMarks, attrsOf } from '../../shared/brackets/model.ts';
import { compensate } from './compensation.ts';
import type { GuardViolation, Placement } from './compensation.ts';

/** Why an update was refused: the rule and the sentence the sender is told. */
export interface GuardRefusal {
  rule: string;
  message: string;
}

/** What was taken back of an update that broke rules: each rule once, with the provisions put back. */
export interface TakenBack {
  rules: GuardRefusal[];
  /** Ids of the provisions (or sections, numbered paragraphs) restored as they were. */
  restored: string[];
}

/** The guard's answer: accepted as sent, accepted with a compensation, or refused whole. */
export type Judgement = { verdict: 'accepted' } | { verdict: 'compensated'; takenBack: TakenBack } | { verdict: 'refused'; refusal: GuardRefusal };

/** Origin of the compensating changes the guard writes (stored and sent with the update they correct). */
export const COMPENSATION_ORIGIN = Symbol('concord-compensation');

/** What the guard knows of one top-level element, as it was after the last accepted update. */
interface Block {
  node: PMNode | null;
  /** Each id-carrying node inside (and the block itself), with the element that carries it. */
  ids: [string, Y.XmlElement][];
  /** Each bracket inside, with the textblock element that holds it and the delegation it is attributed to. */
  homes: [string, Y.XmlElement, string][];
}

/**
 * Judges every participant's update against the rules (server/collab/GUARD.md). The update is
 * applied to the room's document, the top-level blocks it touched are read strictly (schema,
 * attribute values, unique ids) and compared, block by block, with how they were, by the same rules
 * the editor applies, and by what only the shared types show: an agreed provision or another
 * delegation's bracket deleted and put back identical ("moved") is changed. What breaks a rule is
 * taken back by a compensating change under COMPENSATION_ORIGIN; the rest of the update stays.
 * What cannot be put right (content the schema has no place for at all) is refused whole: the
 * room then replaces its document from storage, which never saw the update.
 *
 * Changes the server writes itself (a chair's decision) are followed without a check.
 */
export class UpdateGuard {
  readonly #fragment: Y.XmlFragment;
  #blocks = new Map<Y.XmlElement, Block>();
  /** The top-level elements in order, read again only when an update changes the list itself. */
  #order: Y.XmlElement[];
  /** How many nodes carry each id, and the element that first carried it (keeps it when copied). */
  #idCount = new Map<string, number>();
  #idOwner = new Map<string, Y.XmlElement>();
  /** While judging: the types changed and the deletions made, over every transaction of the update. */
  #checking: { changed: Set<Y.AbstractType<any>>; deletions: DeleteSet[] } | null = null;
  readonly #observe = (transaction: Y.Transaction) => this.#afterTransaction(transaction);

  constructor(private readonly doc: Y.Doc) {
    this.#fragment = doc.getXmlFragment(TEXT_FRAGMENT);
    this.#order = topLevel(this.#fragment);
    for (const element of this.#order) this.#add(element, readBlock(element));
    doc.on('afterTransaction', this.#observe);
    // While an update is judged its deletions keep their content (to tell a moved bracket from an
    // untouched one, and to put deleted text back); it is collected once the judgement is made.
    doc.gcFilter = () => this.#checking === null;
  }

  /**
   * Applies an update from `actor` to the document and judges it; a compensation, if any, is
   * written before this returns. Refused (or undecodable: it throws), the document holds what it
   * must not: the caller replaces it and drops this guard.
   */
  judge(update: Uint8Array, actor: Actor, origin: unknown): Judgement {
    const checking = { changed: new Set<Y.AbstractType<any>>(), deletions: [] as DeleteSet[] };
    this.#checking = checking;
    try {
      Y.applyUpdate(this.doc, update, origin);
      const changes = this.#changes(checking.changed);
      const found = this.#judge(changes, actor, checking.deletions);
      if ('refusal' in found) return { verdict: 'refused', refusal: found.refusal };
      if (found.violations.length === 0) {
        this.#commit(changes, found.read);
        return { verdict: 'accepted' };
      }
      const written = compensate(
        this.doc,
        this.#fragment,
        found.violations,
        {
          before: (element) => this.#blocks.get(element)?.node ?? null,
          order: this.#order,
          unreadable: found.unreadable,
          placement: (id) => this.#placement(id),
        },
        COMPENSATION_ORIGIN,
      );
      if (!written) return { verdict: 'refused', refusal: first(found.violations) };
      // The update and its compensation together must keep every rule (identity aside: the server
      // wrote the restored provisions anew).
      const all = this.#changes(checking.changed);
      const final = this.#judge(all, actor, null);
      if ('refusal' in final) return { verdict: 'refused', refusal: final.refusal };
      if (final.violations.length > 0) return { verdict: 'refused', refusal: first(final.violations) };
      this.#commit(all, final.read);
      return { verdict: 'compensated', takenBack: summary(found.violations) };
    } finally {
      this.#checking = null;
      for (const deletions of checking.deletions) Y.tryGc(deletions, this.doc.store, () => true);
    }
  }

  destroy(): void {
    this.doc.off('afterTransaction', this.#observe);
  }

  #afterTransaction(transaction: Y.Transaction): void {
    if (this.#checking) {
      for (const type of transaction.changed.keys()) this.#checking.changed.add(type);
      this.#checking.deletions.push(transaction.deleteSet);
      return;
    }
    // Written by the server itself: followed.
    const changes = this.#changes(transaction.changed.keys());
    const read = new Map<Y.XmlElement, Block>();
    for (const element of [...changes.changed, ...changes.added]) read.set(element, readBlock(element));
    this.#commit(changes, read);
  }

  /**
   * Which top-level elements the changed types belong to. Typing inside a provision costs the depth
   * of the change, not the length of the document: the list of top-level elements is read again
   * only when the change touched that list.
   */
  #changes(changedTypes: Iterable<Y.AbstractType<any>>): Changes {
    const before = this.#order;
    const touched = new Set<Y.XmlElement>();
    let outside = false;
    let listChanged = false;
    for (const type of changedTypes) {
      if ((type as unknown) === this.#fragment) {
        listChanged = true;
        continue;
      }
      const top = topLevelOf(type, this.#fragment);
      if (top) touched.add(top);
      else if (!(type._item?.deleted && isInside(type, this.#fragment))) outside = true;
    }
    if (!listChanged) {
      // a change inside an element deleted before (a concurrent edit in a deleted provision) changes nothing visible
      const changed = [...touched].filter((e) => !e._item?.deleted);
      return { removed: [], added: [], changed, outside, listChanged, order: before };
    }
    const order = topLevel(this.#fragment);
    const beforeSet = new Set(before);
    const afterSet = new Set(order);
    return {
      removed: before.filter((e) => !afterSet.has(e)),
      added: order.filter((e) => !beforeSet.has(e)),
      changed: [...touched].filter((e) => beforeSet.has(e) && afterSet.has(e)),
      outside,
      listChanged,
      order,
    };
  }

  /**
   * Every rule the changes break. `deletions` (the sender's own transactions) lets the identity
   * checks see moves; null when judging a result the server wrote part of.
   */
  #judge(changes: Changes, actor: Actor, deletions: DeleteSet[] | null): { refusal: GuardRefusal } | { violations: GuardViolation[]; read: Map<Y.XmlElement, Block>; unreadable: Set<Y.XmlElement> } {
    if (changes.outside) return { refusal: { rule: 'structure', message: 'only the text of the document can be changed through this connection' } };
    const read = new Map<Y.XmlElement, Block>();
    const found: GuardViolation[] = [];
    const unreadable = new Set<Y.XmlElement>();
    const after: PMNode[] = [];
    for (const element of [...changes.changed, ...changes.added]) {
      try {
        const block = readStrictly(element);
        read.set(element, block);
        after.push(block.node!);
      } catch (error) {
        if (!(error instanceof StructureError)) throw error;
        unreadable.add(element);
        found.push(violation('structure', `the change breaks the structure of the text: ${error.message}`));
      }
    }
    // The sequence of top-level blocks must suit the document, whatever the update added there.
    if (changes.listChanged) {
      for (const child of this.#fragment.toArray()) {
        if (!(child instanceof Y.XmlElement)) {
          return { refusal: { rule: 'structure', message: 'the change breaks the structure of the text: only the schema\u2019s blocks can stand at the top of a document' } };
        }
        const type = schema.nodes[child.nodeName];
        if (!type?.isInGroup('block') && !unreadable.has(child)) {
          unreadable.add(child);
          found.push(violation('structure', `the change breaks the structure of the text: "${child.nodeName}" cannot stand at the top of a document`));
        }
      }
    }
    const before: PMNode[] = [];
    for (const element of [...changes.removed, ...changes.changed]) {
      const node = this.#blocks.get(element)?.node;
      if (node) before.push(node);
    }
    found.push(...this.#idGuardViolations(changes, read));
    found.push(...violations(before, after, actor));
    if (deletions && actor.role === 'delegate') found.push(...this.#moves(changes, before, after, actor, deletions));
    return { violations: found, read, unreadable };
  }

  /** Every id-carrying node has an id of its own: none empty, none shared (a copy keeps nothing of the original's standing). */
  #idGuardViolations(changes: Changes, read: Map<Y.XmlElement, Block>): GuardViolation[] {
    const counts = new Map<string, number>();
    const count = (id: string) => counts.get(id) ?? this.#idCount.get(id) ?? 0;
    for (const element of [...changes.removed, ...changes.changed]) {
      for (const [id] of this.#blocks.get(element)?.ids ?? []) counts.set(id, count(id) - 1);
    }
    const fresh: [string, Y.XmlElement][] = [];
    for (const block of read.values()) {
      for (const entry of block.ids) {
        counts.set(entry[0], count(entry[0]) + 1);
        fresh.push(entry);
      }
    }
    const renamed: Y.XmlElement[] = [];
    for (const [id, element] of fresh) {
      if (id === '') renamed.push(element);
      else if (count(id) > 1 && this.#idOwner.get(id) !== element) renamed.push(element);
    }
    if (renamed.length === 0) return [];
    return [{ ...violation('ids', 'every provision keeps an id of its own: a copied or blank id was replaced'), renamed }];
  }

  /**
   * Moves the node-by-node rules cannot see: an agreed provision, or another delegation's bracket,
   * deleted and inserted again unchanged (elsewhere, or in place). Yjs has no move, so the sender's
   * deletions show it: the element that held it is gone, or characters inside the bracket were
   * deleted by this update.
   */
  #moves(changes: Changes, before: PMNode[], after: PMNode[], actor: Actor, deletions: DeleteSet[]): GuardViolation[] {
    const found: GuardViolation[] = [];
    // Yjs has no move: without a deletion nothing was moved (typing costs nothing here)
    if (!deletions.some((ds) => ds.clients.size > 0)) return found;
    const deletedNow = (id: Y.ID) => deletions.some((ds) => Y.isDeleted(ds, id));
    for (const element of [...changes.removed, ...changes.changed]) {
      const block = this.#blocks.get(element);
      if (!block?.node) continue;
      for (const [id, carrier] of block.ids) {
        if (!carrier._item?.deleted || !deletedNow(carrier._item.id)) continue;
        const status = statusOf(block.node, id);
        if (status && status !== 'open') {
          found.push({ ...violation('agreed', 'this provision is agreed: only the chair can change or move it, after reopening it'), restore: [id] });
        }
      }
      for (const [bracket, home, delegation] of block.homes) {
        if (delegation === actor.delegation) continue;
        if ((home._item?.deleted && deletedNow(home._item.id)) || bracketTextDeleted(home, bracket, deletedNow)) {
          found.push({
            ...violation('other-delegation', othersBracketMessage(delegation, 'change, move or withdraw')),
            ...bracketHolders(bracket, before, after),
          });
        }
      }
    }
    return found;
  }

  /** Where a provision (or other id-carrying block) stood before the update, to put it back there. */
  #placement(id: string): Placement | null {
    for (const [index, element] of this.#order.entries()) {
      const block = this.#blocks.get(element);
      const node = block?.node;
      if (!node) continue;
      const carrier = block.ids.find(([carried]) => carried === id)?.[1] ?? null;
      if (node.attrs.id === id) return { node, element, section: null, after: this.#order.slice(0, index).reverse() };
      let found: Placement | null = null;
      node.forEach((child, _offset, i) => {
        if (child.type.name === 'provision' && child.attrs.id === id) {
          const previous: string[] = [];
          for (let j = i - 1; j >= 0; j--) if (node.child(j).attrs.id) previous.push(node.child(j).attrs.id as string);
          found = { node: child, element: carrier, section: node.attrs.id as string, previous, sectionPlacement: { node, element, section: null, after: this.#order.slice(0, index).reverse() } };
        }
      });
      if (found) return found;
    }
    return null;
  }

  #add(element: Y.XmlElement, block: Block): void {
    this.#blocks.set(element, block);
    for (const [id, carrier] of block.ids) {
      this.#idCount.set(id, (this.#idCount.get(id) ?? 0) + 1);
      if (!this.#idOwner.has(id) || this.#idOwner.get(id)!._item?.deleted) this.#idOwner.set(id, carrier);
    }
  }

  #remove(element: Y.XmlElement): void {
    const block = this.#blocks.get(element);
    if (!block) return;
    this.#blocks.delete(element);
    for (const [id, carrier] of block.ids) {
      const left = (this.#idCount.get(id) ?? 1) - 1;
      if (left > 0) this.#idCount.set(id, left);
      else this.#idCount.delete(id);
      if (this.#idOwner.get(id) === carrier) this.#idOwner.delete(id);
    }
  }

  #commit(changes: Changes, read: Map<Y.XmlElement, Block>): void {
    for (const element of [...changes.removed, ...changes.changed]) this.#remove(element);
    for (const element of [...changes.changed, ...changes.added]) this.#add(element, read.get(element) ?? readBlock(element));
    this.#order = changes.order;
  }
}

interface Changes {
  removed: Y.XmlElement[];
  added: Y.XmlElement[];
  changed: Y.XmlElement[];
  /** The top-level elements after the update (the same array when their list did not change). */
  order: Y.XmlElement[];
  /** The update changed the list of top-level children itself. */
  listChanged: boolean;
  /** The update touched shared types other than the text (nothing of Concord's lives there). */
  outside: boolean;
}

const violation = (rule: string, message: string): GuardViolation => ({ rule: rule as GuardViolation['rule'], message, restore: [], blocks: [], strip: [], status: null });
const first = (found: GuardViolation[]): GuardRefusal => ({ rule: found[0]!.rule, message: found[0]!.message });

function summary(found: GuardViolation[]): TakenBack {
  const rules = new Map<string, GuardRefusal>();
  const restored = new Set<string>();
  for (const v of found) {
    if (!rules.has(v.rule)) rules.set(v.rule, { rule: v.rule, message: v.message });
    for (const id of v.restore) restored.add(id);
  }
  return { rules: [...rules.values()], restored: [...restored] };
}

function topLevel(fragment: Y.XmlFragment): Y.XmlElement[] {
  return fragment.toArray().filter((e): e is Y.XmlElement => e instanceof Y.XmlElement);
}

/** The element directly under the fragment that contains `type` (null for the fragment itself or outside it). */
function topLevelOf(type: Y.AbstractType<any>, fragment: Y.XmlFragment): Y.XmlElement | null {
  let current: Y.AbstractType<any> | null = type;
  while (current && current !== fragment) {
    const parent = (current._item?.parent ?? null) as Y.AbstractType<any> | null;
    if (parent === fragment) return current instanceof Y.XmlElement ? current : null;
    current = parent;
  }
  return null;
}

/** Whether `type` lies somewhere under the fragment (a deleted one included). */
function isInside(type: Y.AbstractType<any>, fragment: Y.XmlFragment): boolean {
  let current: Y.AbstractType<any> | null = type;
  while (current) {
    if (current === fragment) return true;
    current = (current._item?.parent ?? null) as Y.AbstractType<any> | null;
  }
  return false;
}

/** A block read strictly, with the elements carrying ids and holding brackets; throws a StructureError. */
function readStrictly(element: Y.XmlElement): Block {
  const ids: [string, Y.XmlElement][] = [];
  const homes: [string, Y.XmlElement, string][] = [];
  const node = strictNode(element, schema, element.nodeName, (n, e) => {
    if (n.type.spec.attrs && 'id' in n.type.spec.attrs) ids.push([n.attrs.id as string, e]);
    if (n.isTextblock) {
      const seen = new Map<string, string>();
      n.forEach((child) => {
        for (const mark of bracketMarks(child.marks)) seen.set(attrsOf(mark).id, attrsOf(mark).delegation);
      });
      for (const [id, delegation] of seen) homes.push([id, e, delegation]);
    }
  });
  return { node, ids, homes };
}

function readBlock(element: Y.XmlElement): Block {
  try {
    return readStrictly(element);
  } catch {
    return { node: null, ids: [], homes: [] };
  }
}

function statusOf(block: PMNode, id: string): string | null {
  let status: string | null = null;
  const visit = (node: PMNode) => {
    if (node.type.name === 'provision' && node.attrs.id === id) status = node.attrs.status as string;
  };
  visit(block);
  block.descendants((node) => (visit(node), !node.isTextblock));
  return status;
}

/**
 * Whether this update deleted a character of bracket `id` in the text of `home`, walking its Yjs
 * items: the formats in effect are those before the update. Deleted formatting alone does not
 * count: Yjs clients tidy redundant formatting of each other's text as their own deletions, and a
 * withdrawn bracket shows in the text anyway.
 */
function bracketTextDeleted(home: Y.XmlElement, id: string, deletedNow: (id: Y.ID) => boolean): boolean {
  for (const child of home.toArray()) {
    if (!(child instanceof Y.XmlText)) continue;
    const active = new Map<string, unknown>();
    for (let item = child._start; item !== null; item = item.right) {
      const removedNow = item.deleted && deletedNow(item.id);
      if (item.content instanceof Y.ContentFormat) {
        if (item.deleted && !removedNow) continue;
        const { key, value } = item.content;
        if (value === null) active.delete(key);
        else active.set(key, value);
        continue;
      }
      if (!removedNow || !item.countable) continue;
      for (const [key, value] of active) if (key.startsWith('bracket') && (value as { id?: string }).id === id) return true;
    }
  }
  return false;
}
