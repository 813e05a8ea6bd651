import * as Y from 'yjs';
import { diffChars } from 'diff';

/**
 * Typing that a structure command overtook goes where its text went.
 *
 * Yjs has no move. When one delegation presses Enter, Tab, Shift-Tab, Backspace or Delete at a
 * provision's edge, the editor writes the change to the shared text (y-prosemirror's
 * updateYFragment) by deleting text where it was and writing it anew where it goes: the whole
 * paragraph when the line changes depth or joins another, the second half of a line when it is
 * split; sometimes it even keeps the element of one provision and rewrites it into another. A
 * delegation that had not seen the change yet may still be typing there. Its characters then
 * arrive inside a deleted paragraph, and every replica drops them (the server too: it stores and
 * relays them without their content); or they survive among deleted text, stranded in a line
 * that now holds something else.
 *
 * The one replica that holds them is the typist's own, when the change reaches it. So each
 * replica watches the changes it receives: characters of its own that a change overtook —
 * deleted with their paragraph, or left alone with everything around them deleted — it looks up
 * where that text was written anew (the line that now has the provision's id, as after Tab or
 * Shift-Tab, else the line into which the change wrote the best copy of it, as after a join or a
 * split), compares the copy with the line as it had it, and types again there, right after what
 * preceded them and with their formatting, its characters that the copy lacks (the ones the other
 * delegation had not received yet), removing them where they were stranded. Characters the other
 * delegation had seen are in its copy and are left alone; text deleted outright (a section
 * removed) has no copy, and what was typed in it goes with it. Each replica only moves its own
 * characters, so nothing is put back twice, and nothing changes in the protocol or on the server.
 *
 * Not kept: line breaks typed late into a moved line, and late deletions or formatting there;
 * typing from a previous session of the page (another Yjs client id) when it arrives late.
 */
export const LATE_TYPING_ORIGIN = Symbol('concord-late-typing');

type Attrs = Record<string, unknown>;

/** A unit of a line as ProseMirror counts it (a character, or an inline node such as a line break), as this replica had it before the change. */
interface OldUnit {
  char: string;
  /** Typed by this replica. */
  own: boolean;
  /** Deleted by the change. */
  gone: boolean;
  /** One of ours the change overtook: to be typed again where its text went. */
  overtaken: boolean;
  attrs: Attrs;
  item: Y.Item;
  offset: number;
}

/** A unit of a line as it is now: the item holding it, and whether the change wrote it. */
interface Unit {
  char: string;
  item: Y.Item;
  /** Which character of the item. */
  offset: number;
  /** The index, among the line's children, of the text or inline node holding it. */
  child: number;
  isNew: boolean;
}

/** Where characters go: after or before a character (wherever it is by then), or at a child index of a line. */
type Anchor = Y.RelativePosition | { line: Y.XmlElement; child: number };

const INLINE_NODE = '\ufffc';
const following = new WeakSet<Y.XmlFragment>();

/** Keeps this replica's late typing in `fragment` from now on; returns a function to stop. */
export function keepLateTyping(fragment: Y.XmlFragment): () => void {
  const doc = fragment.doc;
  if (!doc || following.has(fragment)) return () => {};
  following.add(fragment);
  const observe = (transaction: Y.Transaction) => {
    if (transaction.local || transaction.deleteSet.clients.size === 0) return;
    try {
      moveOvertaken(fragment, transaction);
    } catch (error) {
      console.error('keeping late typing failed', error); // never at the cost of applying the change itself
    }
  };
  doc.on('afterTransaction', observe);
  return () => {
    following.delete(fragment);
    doc.off('afterTransaction', observe);
  };
}

/** After a change from elsewhere that deleted text: our characters it overtook, moved to where their text went. */
function moveOvertaken(fragment: Y.XmlFragment, transaction: Y.Transaction): void {
  const doc = transaction.doc;
  const lines = new Set<Y.XmlElement>();
  Y.iterateDeletedStructs(transaction, transaction.deleteSet, (struct) => {
    const text = struct instanceof Y.Item && struct.content instanceof Y.ContentString ? struct.parent : null;
    if (text instanceof Y.XmlText && text.parent instanceof Y.XmlElement) lines.add(text.parent);
  });
  const moves: (() => void)[] = [];
  for (const line of lines) {
    const old = lineBefore(line, transaction, rewritten(line, transaction));
    if (!old.some((u) => u.overtaken)) continue;
    const target = whereItWent(fragment, line, old, transaction);
    if (target) moves.push(() => moveInto(doc, old, target.line, target.units));
  }
  if (moves.length) doc.transact(() => moves.forEach((move) => move()), LATE_TYPING_ORIGIN);
}

/**
 * The line as this replica had it just before the change, in order, with our characters the
 * change overtook: deleted with their text or, in a line the change rewrote into another
 * provision's, still there with the text on both sides of them deleted.
 */
function lineBefore(line: Y.XmlElement, transaction: Y.Transaction, rewrittenLine: boolean): OldUnit[] {
  const me = transaction.doc.clientID;
  const deletedNow = (item: Y.Item) => item.deleted && Y.isDeleted(transaction.deleteSet, item.id);
  const existed = (item: Y.Item) => !isNew(item, transaction) && (!item.deleted || deletedNow(item));
  const units: OldUnit[] = [];
  for (let child = line._start; child; child = child.right) {
    if (!existed(child) || !(child.content instanceof Y.ContentType)) continue;
    const type = child.content.type;
    if (!(type instanceof Y.XmlText)) {
      units.push({ char: INLINE_NODE, own: false, gone: deletedNow(child), overtaken: false, attrs: {}, item: child, offset: 0 });
      continue;
    }
    const textGone = deletedNow(child);
    let attrs: Attrs = {};
    for (let item = type._start; item; item = item.right) {
      if (!existed(item)) continue;
      if (item.content instanceof Y.ContentFormat) attrs = withFormat(attrs, item.content.key, item.content.value);
      else if (item.content instanceof Y.ContentString) {
        const own = item.id.client === me;
        const gone = deletedNow(item);
        for (let i = 0; i < item.length; i++) units.push({ char: item.content.str[i]!, own, gone, overtaken: own && gone && textGone, attrs, item, offset: i });
      }
    }
  }
  if (!rewrittenLine) return units;
  // stranded: still there, but what others had written on both sides of it deleted by the change
  const goneAt = (i: number) => i >= 0 && i < units.length && units[i]!.gone;
  let left = -1;
  for (let i = 0; i < units.length; i++) {
    if (!units[i]!.own) {
      left = i;
      continue;
    }
    if (units[i]!.gone) continue;
    let right = i + 1;
    while (right < units.length && units[right]!.own) right++;
    const leftGone = left < 0 || goneAt(left);
    const rightGone = right >= units.length || goneAt(right);
    units[i]!.overtaken = leftGone && rightGone && (goneAt(left) || goneAt(right));
  }
  return units;
}

/**
 * Whether the change kept this line's element but made it another provision's (y-prosemirror
 * reuses an element when its children match better, and rewrites its id and text).
 */
function rewritten(line: Y.XmlElement, transaction: Y.Transaction): boolean {
  const owner = line.parent;
  if (!(owner instanceof Y.XmlElement) || owner._item?.deleted) return false;
  const before = idBefore(owner, transaction);
  return before !== null && before !== owner.getAttribute('id');
}

const isNew = (item: Y.Item, transaction: Y.Transaction) => item.id.clock >= (transaction.beforeState.get(item.id.client) ?? 0);

/** The units of a line now, each marked with whether this change wrote it. */
function lineUnits(line: Y.XmlElement, transaction: Y.Transaction): Unit[] {
  const units: Unit[] = [];
  line.toArray().forEach((node, child) => {
    if (!(node instanceof Y.XmlText)) return void units.push({ char: INLINE_NODE, item: node._item!, offset: 0, child, isNew: isNew(node._item!, transaction) });
    for (let item = node._start; item; item = item.right) {
      if (item.deleted || !(item.content instanceof Y.ContentString)) continue;
      for (let i = 0; i < item.length; i++) units.push({ char: item.content.str[i]!, item, offset: i, child, isNew: isNew(item, transaction) });
    }
  });
  return units;
}

/**
 * Where the change wrote the old line's text anew: the same line of the element that now has
 * the id its element had (a provision indented or outdented, however y-prosemirror wrote it),
 * else the line into which it wrote the text most like what it deleted (a join, the second half
 * of a split). Null when the text was deleted outright.
 */
function whereItWent(fragment: Y.XmlFragment, old: Y.XmlElement, units: OldUnit[], transaction: Y.Transaction): { line: Y.XmlElement; units: Unit[] } | null {
  const owner = old.parent instanceof Y.XmlElement ? old.parent : null;
  const id = owner ? idBefore(owner, transaction) : null;
  const index = indexBefore(old, transaction);
  const kept = id ? elementWithId(fragment, id)?.get(index) : null;
  if (kept instanceof Y.XmlElement && kept !== old && kept.nodeName === old.nodeName) return { line: kept, units: lineUnits(kept, transaction) };

  // What a copy must show: the text others had written that the change deleted here (or, in a
  // line only we had written in, our text), at least half of it, in runs (not scattered letters).
  const deletedByOthers = units.filter((u) => !u.own && u.gone);
  const evidence = (deletedByOthers.length ? deletedByOthers : units).map((u) => u.char).join('');
  let best: { line: Y.XmlElement; units: Unit[]; common: number } | null = null;
  for (const line of linesWritten(transaction)) {
    if (line === old || line.nodeName !== old.nodeName) continue;
    const now = lineUnits(line, transaction);
    const common = copiedLength(
      evidence,
      now
        .filter((u) => u.isNew)
        .map((u) => u.char)
        .join(''),
    );
    if (!best || common > best.common) best = { line, units: now, common };
  }
  if (best && best.common > 0 && best.common * 2 >= evidence.length) return best;

  // A line only we had written in went with its provision, copied nowhere: the other delegation
  // removed what was to it an empty provision (Backspace or Delete joins it to the one before).
  // Ours goes on where the joined line ends.
  if (units.some((u) => !u.own) || !owner?._item?.deleted) return null;
  const joined = previousSibling(owner, transaction);
  const line = joined && lastLine(joined, old.nodeName);
  return line ? { line, units: lineUnits(line, transaction) } : null;
}

/**
 * Moves into `line` the characters the change overtook that its copy of the old line lacks, each
 * after what preceded it in the old line, typed again with their formatting; those still
 * stranded where they were are removed there.
 */
function moveInto(doc: Y.Doc, old: OldUnit[], line: Y.XmlElement, units: Unit[]): void {
  const copy = units.filter((u) => u.isNew);
  const match = new Map<OldUnit, Unit>();
  let i = 0;
  let j = 0;
  for (const part of diffChars(old.map((u) => u.char).join(''), copy.map((u) => u.char).join(''))) {
    const n = part.value.length;
    if (!part.added && !part.removed) for (let k = 0; k < n; k++) match.set(old[i + k]!, copy[j + k]!);
    if (!part.added) i += n;
    if (!part.removed) j += n;
  }
  const last = units[units.length - 1];
  let anchor: Anchor = copy.length ? before(line, copy[0]!) : last ? after(line, last) : { line, child: 0 };
  let pending: OldUnit[] = [];
  const stranded: OldUnit[] = [];
  const flush = () => {
    while (pending.length) {
      const { attrs } = pending[0]!;
      let n = 1;
      while (n < pending.length && pending[n]!.attrs === attrs) n++;
      anchor =
        insert(
          doc,
          anchor,
          pending
            .slice(0, n)
            .map((u) => u.char)
            .join(''),
          attrs,
        ) ?? anchor;
      pending = pending.slice(n);
    }
  };
  for (const unit of old) {
    const copied = match.get(unit);
    if (copied) {
      flush();
      anchor = after(line, copied);
    } else if (unit.overtaken) {
      pending.push(unit);
      if (!unit.gone) stranded.push(unit);
    } else flush();
  }
  flush();
  for (const unit of stranded) {
    const at = Y.createAbsolutePositionFromRelativePosition(characterAnchor(unit.item.id.client, unit.item.id.clock + unit.offset, 0), doc);
    if (at?.type instanceof Y.XmlText) at.type.delete(at.index, 1);
  }
}

/** Types `text` at `anchor` with exactly `attrs`; returns the place right after it, or null when the place is gone. */
function insert(doc: Y.Doc, anchor: Anchor, text: string, attrs: Attrs): Anchor | null {
  let target: Y.XmlText;
  let index: number;
  if (anchor instanceof Y.RelativePosition) {
    const at = Y.createAbsolutePositionFromRelativePosition(anchor, doc);
    if (!at || !(at.type instanceof Y.XmlText) || at.type._item?.deleted) return null;
    [target, index] = [at.type, at.index];
  } else {
    const { line } = anchor;
    const child = Math.min(anchor.child, line.length);
    const here = line.get(child);
    const left = child > 0 ? line.get(child - 1) : null;
    if (here instanceof Y.XmlText) [target, index] = [here, 0];
    else if (left instanceof Y.XmlText) [target, index] = [left, left.length];
    else {
      target = new Y.XmlText();
      line.insert(child, [target]);
      index = 0;
    }
  }
  target.insert(index, text, { ...attrs });
  const first = Y.createRelativePositionFromTypeIndex(target, index).item!;
  return characterAnchor(first.client, first.clock + text.length - 1, -1);
}

const characterAnchor = (client: number, clock: number, assoc: number) => Y.createRelativePositionFromJSON({ item: { client, clock }, assoc });

/** Right after a unit of `line`. */
function after(line: Y.XmlElement, unit: Unit): Anchor {
  return unit.char === INLINE_NODE ? { line, child: unit.child + 1 } : characterAnchor(unit.item.id.client, unit.item.id.clock + unit.offset, -1);
}

/** Right before a unit of `line`. */
function before(line: Y.XmlElement, unit: Unit): Anchor {
  return unit.char === INLINE_NODE ? { line, child: unit.child } : characterAnchor(unit.item.id.client, unit.item.id.clock + unit.offset, 0);
}

/** Lines in which the change wrote characters that are there now. */
function linesWritten(transaction: Y.Transaction): Set<Y.XmlElement> {
  const lines = new Set<Y.XmlElement>();
  transaction.afterState.forEach((clock, client) => {
    const from = transaction.beforeState.get(client) ?? 0;
    if (clock <= from) return;
    const structs = transaction.doc.store.clients.get(client) ?? [];
    for (let k = structs.length - 1; k >= 0 && structs[k]!.id.clock + structs[k]!.length > from; k--) {
      const struct = structs[k]!;
      if (!(struct instanceof Y.Item) || struct.deleted || !(struct.content instanceof Y.ContentString)) continue;
      const text = struct.parent;
      if (text instanceof Y.XmlText && text.parent instanceof Y.XmlElement) lines.add(text.parent);
    }
  });
  return lines;
}

/** How much of `text` appears in `copy`, counting only runs of three characters or more (or the whole of a shorter text). */
function copiedLength(text: string, copy: string): number {
  const run = Math.min(3, text.length);
  return diffChars(text, copy).reduce((n, part) => (part.added || part.removed || part.value.length < run ? n : n + part.value.length), 0);
}

/** The id an element had before the change (the change may have deleted the element, or given it another id). */
function idBefore(element: Y.XmlElement, transaction: Y.Transaction): string | null {
  let item = element._map.get('id') ?? null;
  while (item && isNew(item, transaction)) item = item.left;
  const value = item?.content.getContent()[item.length - 1];
  return typeof value === 'string' && value ? value : null;
}

/** The index a child had among its siblings just before the change. */
function indexBefore(child: Y.XmlElement, transaction: Y.Transaction): number {
  let index = 0;
  for (let item = child._item!.left; item; item = item.left) {
    if (!isNew(item, transaction) && (!item.deleted || Y.isDeleted(transaction.deleteSet, item.id))) index++;
  }
  return index;
}

/** The element carrying this id, anywhere in the text. */
function elementWithId(type: Y.XmlFragment | Y.XmlElement, id: string): Y.XmlElement | null {
  for (const child of type.toArray()) {
    if (!(child instanceof Y.XmlElement)) continue;
    if (child.getAttribute('id') === id) return child;
    const found = elementWithId(child, id);
    if (found) return found;
  }
  return null;
}

/** The sibling of the same kind just before an element the change deleted, as it was before the change, if it is still there. */
function previousSibling(element: Y.XmlElement, transaction: Y.Transaction): Y.XmlElement | null {
  for (let item = element._item!.left; item; item = item.left) {
    if (isNew(item, transaction) || (item.deleted && !Y.isDeleted(transaction.deleteSet, item.id))) continue; // not there before the change
    const type = item.content instanceof Y.ContentType ? item.content.type : null;
    return type instanceof Y.XmlElement && type.nodeName === element.nodeName && !item.deleted ? type : null;
  }
  return null;
}

/** The last line (element named `name`) inside an element, in document order. */
function lastLine(element: Y.XmlElement, name: string): Y.XmlElement | null {
  const children = element.toArray();
  for (let i = children.length - 1; i >= 0; i--) {
    const child = children[i];
    if (!(child instanceof Y.XmlElement)) continue;
    if (child.nodeName === name) return child;
    const inner = lastLine(child, name);
    if (inner) return inner;
  }
  return null;
}

function withFormat(attrs: Attrs, name: string, value: unknown): Attrs {
  const next = { ...attrs };
  if (value === null) delete next[name];
  else next[name] = value;
  return next;
}
