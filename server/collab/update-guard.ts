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
 * Checks every incoming update against the rules before the room's document sees it
 * (server/collab/GUARD.md). A Yjs update cannot be taken back once applied, so the guard keeps a
 * shadow copy of the document: the update is applied there first, the top-level blocks it touched
 * are read strictly (schema-valid or refused) and compared, block by block, with how they were
 * (kept as ProseMirror nodes from the previous check), by the same rules the editor applies.
 * Accepted, the room's document gets the same update and the shadow stays in step; refused, the
 * shadow is rebuilt from the room's document, which never saw it.
 */
export class UpdateGuard {
  #shadow!: Y.Doc;
  #fragment!: Y.XmlFragment;
  /** Each top-level element of the shadow's text, as a node (null when it could not be read). */
  #blocks = new Map<Y.XmlElement, PMNode | null>();
  /** The top-level elements in order, read again only when an update changes the list itself. */
  #order: Y.XmlElement[] = [];

  constructor(private readonly source: Y.Doc) {
    this.#reset();
  }

  /** Checks an update from `actor`. Returns why it is refused, or null (the shadow then holds it). */
  check(update: Uint8Array, actor: Actor): GuardRefusal | null {
    let changes: Changes;
    try {
      changes = this.#apply(update);
    } catch (error) {
      this.#reset();
      throw error; // undecodable: the connection closes it as malformed
    }
    const verdict = this.#judge(changes, actor);
    if (verdict) {
      this.#reset();
      return verdict;
    }
    this.#commit(changes);
    return null;
  }

  /** Follows an update the server itself wrote (a chair's decision): applied without checking. */
  follow(update: Uint8Array): void {
    const changes = this.#apply(update);
    for (const element of [...changes.changed, ...changes.added]) changes.after.set(element, readBlock(element));
    this.#commit(changes);
  }

  destroy(): void {
    this.#shadow.destroy();
  }

  #reset(): void {
    this.#shadow?.destroy();
    this.#shadow = new Y.Doc({ gc: true });
    Y.applyUpdate(this.#shadow, Y.encodeStateAsUpdate(this.source));
    this.#fragment = this.#shadow.getXmlFragment(TEXT_FRAGMENT);
    this.#blocks.clear();
    this.#order = topLevel(this.#fragment);
    for (const element of this.#order) this.#blocks.set(element, readBlock(element));
  }

  /**
   * Applies the update to the shadow and works out which top-level elements it touched. Typing
   * inside a provision costs the depth of the change, not the length of the document: the list of
   * top-level elements is read again only when the update changed that list.
   */
  #apply(update: Uint8Array): Changes {
    const before = this.#order;
    const touched = new Set<Y.XmlElement>();
    let outside = false;
    let listChanged = false;
    const collect = (transaction: Y.Transaction) => {
      for (const type of transaction.changed.keys()) {
        if ((type as unknown) === this.#fragment) {
          listChanged = true;
          continue;
        }
        const top = topLevelOf(type, this.#fragment);
        if (top) touched.add(top);
        else outside = true;
      }
    };
    this.#shadow.on('afterTransaction', collect);
    try {
      Y.applyUpdate(this.#shadow, update);
    } finally {
      this.#shadow.off('afterTransaction', collect);
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
