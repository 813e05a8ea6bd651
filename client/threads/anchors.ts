import type { Node as PMNode } from 'prosemirror-model';
import type { EditorState } from 'prosemirror-state';
import * as Y from 'yjs';
import { absolutePositionToRelativePosition, relativePositionToAbsolutePosition, ySyncPluginKey } from 'y-prosemirror';
import type { ThreadView } from '../../shared/api.ts';

/**
 * Where threads sit in the text. An anchor is a pair of Yjs relative positions: it sticks to the
 * characters it was made on, so it follows them through everyone's edits, and collapses when they
 * are deleted (the thread is *detached*). One edit breaks that: splitting a provision, where
 * y-prosemirror deletes the words after the split and writes them anew in the new provision. So a
 * collapsed anchor at the end of a paragraph whose quoted words are in the next paragraph is
 * *re-found* there (and the sidebar asks the server to re-attach it, which checks the words are
 * the same).
 */
export interface Placed {
  thread: ThreadView;
  /** The anchored range now; null when detached. */
  from: number | null;
  to: number | null;
  /** The anchor had collapsed, and its words were found just after (a split provision). */
  refound: boolean;
}

type Binding = { doc: Y.Doc; type: Y.XmlFragment; mapping: Map<Y.AbstractType<unknown>, unknown> };

export function bindingOf(state: EditorState): Binding | null {
  const sync = ySyncPluginKey.getState(state) as { binding?: Binding } | undefined;
  return sync?.binding ? { doc: sync.binding.doc, type: sync.binding.type, mapping: sync.binding.mapping } : null;
}

const decode = (base64: string) => Y.decodeRelativePosition(Uint8Array.from(atob(base64), (c) => c.charCodeAt(0)));
const encode = (position: Y.RelativePosition) => btoa(String.fromCharCode(...Y.encodeRelativePosition(position)));

/** An anchor on the range `from`–`to` of the editor's text, as the server stores it. */
export function anchorOf(state: EditorState, from: number, to: number): { start: string; end: string } | null {
  const binding = bindingOf(state);
  if (!binding) return null;
  return {
    start: encode(absolutePositionToRelativePosition(from, binding.type, binding.mapping as never)),
    end: encode(absolutePositionToRelativePosition(to, binding.type, binding.mapping as never)),
  };
}

/** Where each thread's anchor is now. */
export function place(state: EditorState, threads: ThreadView[]): Placed[] {
  const binding = bindingOf(state);
  return threads.map((thread) => {
    const detached: Placed = { thread, from: null, to: null, refound: false };
    if (!binding) return detached;
    let from: number | null;
    let to: number | null;
    try {
      from = relativePositionToAbsolutePosition(binding.doc, binding.type, decode(thread.anchor.start), binding.mapping as never);
      to = relativePositionToAbsolutePosition(binding.doc, binding.type, decode(thread.anchor.end), binding.mapping as never);
    } catch {
      return detached;
    }
    if (from === null || to === null || to > state.doc.content.size) return detached;
    if (to > from) return { thread, from, to, refound: false };
    // A split leaves the anchor collapsed at the end of the first half; a deletion, anywhere.
    const $at = state.doc.resolve(from);
    if (!$at.parent.isTextblock || $at.parentOffset !== $at.parent.content.size) return detached;
    const found = refind(state.doc, thread.quote, $at.after());
    return found ? { thread, ...found, refound: true } : detached;
  });
}

/** The document's text joined as quotes are (blocks by a space, runs of spaces as one), with each character's position. */
interface FlatText {
  text: string;
  positions: number[];
}
const flatTexts = new WeakMap<PMNode, FlatText>();

function flatten(doc: PMNode): FlatText {
  const cached = flatTexts.get(doc);
  if (cached) return cached;
  let text = '';
  const positions: number[] = [];
  const space = (pos: number) => {
    if (text && !text.endsWith(' ')) {
      text += ' ';
      positions.push(pos);
    }
  };
  doc.descendants((node, pos) => {
    if (node.isText) {
      const value = node.text ?? '';
      for (let i = 0; i < value.length; i++) {
        if (/\s/.test(value[i]!)) space(pos + i);
        else {
          text += value[i];
          positions.push(pos + i);
        }
      }
    } else if (node.isBlock || node.isLeaf) {
      space(pos);
    }
    return true;
  });
  const flat = { text, positions };
  flatTexts.set(doc, flat);
  return flat;
}

/**
 * The quoted words, if they are in the first paragraph after `at` — where a split puts the second
 * half of a provision (a truncated quote is never re-found).
 */
function refind(doc: PMNode, quote: string, at: number): { from: number; to: number } | null {
  if (!quote || quote.endsWith('…')) return null;
  let block: { start: number; end: number } | null = null;
  doc.nodesBetween(at, doc.content.size, (node, pos) => {
    if (block) return false;
    if (node.isTextblock && pos >= at) {
      block = { start: pos, end: pos + node.nodeSize };
      return false;
    }
    return true;
  });
  if (!block) return null;
  const { start, end } = block as { start: number; end: number };
  const { text, positions } = flatten(doc);
  const first = positions.findIndex((pos) => pos > start);
  if (first < 0) return null;
  const found = text.indexOf(quote, first);
  if (found < 0) return null;
  const range = { from: positions[found]!, to: positions[found + quote.length - 1]! + 1 };
  return range.to <= end ? range : null;
}
