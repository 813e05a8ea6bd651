import * as Y from 'yjs';
import type { Node as PMNode } from 'prosemirror-model';
import { schema } from '../../shared/schema/index.ts';
import { TEXT_FRAGMENT } from '../../shared/protocol.ts';
import { strictNode, StructureError } from '../../shared/yjs/strict-document.ts';
import { refusal } from '../../shared/brackets/rules.ts';
import type { Actor } from '../../shared/brackets/rules.ts';

/** Why an update was refused: the rule and the sentence the sender is told. */
export interface GuardRefusal {
  rule: string;
  message: string;
}

/**
 * Judges every participant's update against the rules (server/collab/GUARD.md). The update is
 * applied to the room's document, the top-level blocks it touched are read strictly (schema-valid
 * or refused) and compared, block by block, with how they were (kept as ProseMirror nodes from the
 * previous update), by the same rules the editor applies. A Yjs update cannot be taken back, so a
 * refused update leaves the document unusable: the room replaces it from storage (room.ts), which
 * never saw the update, before anything is stored or sent. Refusals are rare (the editor checks
 * the same rules first), so the room pays for one reload then instead of a second copy of every
 * document all the time.
 *
 * Changes the server writes itself (a chair's decision) are followed without a check.
 */
export class UpdateGuard {
  readonly #fragment: Y.XmlFragment;
  /** Each top-level element of the text, as a node (null when it could not be read). */
  #blocks = new Map<Y.XmlElement, PMNode | null>();
  /** The top-level elements in order, read again only when an update changes the list itself. */
  #order: Y.XmlElement[];
  /**
   * The types changed while `judge` applies an update. One update can make several transactions
   * (Yjs tidies formatting of remotely changed text in one of its own), so they are collected.
   */
  #checking: Set<Y.AbstractType<any>> | null = null;
  readonly #observe = (transaction: Y.Transaction) => this.#afterTransaction(transaction);

  constructor(private readonly doc: Y.Doc) {
    this.#fragment = doc.getXmlFragment(TEXT_FRAGMENT);
    this.#order = topLevel(this.#fragment);
    for (const element of this.#order) this.#blocks.set(element, readBlock(element));
    doc.on('afterTransaction', this.#observe);
  }

  /**
   * Applies an update from `actor` to the document and judges it. Returns why it is refused, or
   * null. Refused (or undecodable: it throws), the document holds what it must not: the caller
   * replaces it and drops this guard.
   */
  judge(update: Uint8Array, actor: Actor, origin: unknown): GuardRefusal | null {
    const changed = new Set<Y.AbstractType<any>>();
    this.#checking = changed;
    try {
      Y.applyUpdate(this.doc, update, origin);
    } finally {
      this.#checking = null;
    }
    const changes = this.#changes(changed);
    const verdict = this.#judge(changes, actor);
    if (!verdict) this.#commit(changes);
    return verdict;
  }

  destroy(): void {
    this.doc.off('afterTransaction', this.#observe);
  }

  #afterTransaction(transaction: Y.Transaction): void {
    if (this.#checking) {
      for (const type of transaction.changed.keys()) this.#checking.add(type);
      return;
    }
    const changes = this.#changes(transaction.changed.keys());
    // Written by the server itself (or a pending part of an earlier update arriving): followed.
    for (const element of [...changes.changed, ...changes.added]) changes.after.set(element, readBlock(element));
    this.#commit(changes);
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
      else outside = true;
    }
    if (!listChanged) {
      // a change inside an element deleted before (a concurrent edit in a deleted provision) changes nothing visible
      const changed = [...touched].filter((e) => !e._item?.deleted);
      return { removed: [], added: [], changed, outside, order: before, after: new Map() };
    }
    const order = topLevel(this.#fragment);
    const beforeSet = new Set(before);
    const afterSet = new Set(order);
    return {
      removed: before.filter((e) => !afterSet.has(e)),
      added: order.filter((e) => !beforeSet.has(e)),
      changed: [...touched].filter((e) => beforeSet.has(e) && afterSet.has(e)),
      outside,
      order,
      after: new Map(),
    };
  }

  #judge(changes: Changes, actor: Actor): GuardRefusal | null {
    if (changes.outside) return { rule: 'structure', message: 'only the text of the document can be changed through this connection' };
    if (changes.removed.length + changes.added.length + changes.changed.length === 0) return null;
    const after: PMNode[] = [];
    for (const element of [...changes.changed, ...changes.added]) {
      try {
        const node = strictNode(element, schema);
        changes.after.set(element, node);
        after.push(node);
      } catch (error) {
        if (error instanceof StructureError) return { rule: 'structure', message: `the change breaks the structure of the text: ${error.message}` };
        throw error;
      }
    }
    // The sequence of top-level blocks must suit the document (an empty text is a new document);
    // an update that left the list alone cannot have broken it.
    if (changes.order !== this.#order) {
      const refused = this.#checkSequence();
      if (refused) return refused;
    }
    const before: PMNode[] = [];
    for (const element of [...changes.removed, ...changes.changed]) {
      const node = this.#blocks.get(element);
      if (node) before.push(node);
    }
    return refusal(before, after, actor);
  }

  #checkSequence(): GuardRefusal | null {
    let match: ReturnType<typeof schema.topNodeType.contentMatch.matchType> = schema.topNodeType.contentMatch;
    for (const child of this.#fragment.toArray()) {
      const name = child instanceof Y.XmlElement ? child.nodeName : 'text';
      const type = child instanceof Y.XmlElement ? schema.nodes[name] : undefined;
      match = type ? (match?.matchType(type) ?? null) : null;
      if (!match) return { rule: 'structure', message: `the change breaks the structure of the text: "${name}" cannot stand at the top of a document` };
    }
    return null;
  }

  #commit(changes: Changes): void {
    for (const element of changes.removed) this.#blocks.delete(element);
    for (const [element, node] of changes.after) this.#blocks.set(element, node);
    this.#order = changes.order;
  }
}

interface Changes {
  removed: Y.XmlElement[];
  added: Y.XmlElement[];
  changed: Y.XmlElement[];
  /** The top-level elements after the update (the same array when their list did not change). */
  order: Y.XmlElement[];
  /** The update touched shared types other than the text (nothing of Concord's lives there). */
  outside: boolean;
  /** Nodes read for the changed and added elements. */
  after: Map<Y.XmlElement, PMNode | null>;
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

function readBlock(element: Y.XmlElement): PMNode | null {
  try {
    return strictNode(element, schema);
  } catch {
    return null;
  }
}
