import * as Y from 'yjs';
import { initProseMirrorDoc, relativePositionToAbsolutePosition } from 'y-prosemirror';
import { schema } from '../../shared/schema/index.ts';
import { TEXT_FRAGMENT } from '../../shared/protocol.ts';

/**
 * The words a new thread is about, read by the server from its own copy of the text. The client
 * sends only the anchor — two Yjs relative positions, which follow the words through everyone's
 * edits — and the server quotes what lies between them, so a thread cannot claim to be about words
 * that are not there.
 */
export const MAX_QUOTE_LENGTH = 2000;
/** An encoded relative position is a few dozen bytes; anything longer is not one. */
export const MAX_ANCHOR_BYTES = 256;

export interface QuotedAnchor {
  /** The anchor's positions as stored. */
  start: Buffer;
  end: Buffer;
  quote: string;
  /** The provision (or sub-item) holding the start of the anchor, if any. */
  provisionId: string | null;
}

export class AnchorError extends Error {
  constructor(
    readonly status: 400 | 409,
    message: string,
  ) {
    super(message);
  }
}

function decode(base64: string, which: string): { bytes: Buffer; position: Y.RelativePosition } {
  const bytes = Buffer.from(base64, 'base64');
  const refusal = new AnchorError(400, `the anchor's ${which} is not a Yjs relative position (base64)`);
  if (bytes.length === 0 || bytes.length > MAX_ANCHOR_BYTES) throw refusal;
  let position: Y.RelativePosition;
  try {
    position = Y.decodeRelativePosition(bytes);
  } catch {
    throw refusal;
  }
  // a position names the character (item) it sticks to, or the type it sits in
  if (position.item === null && position.type === null && position.tname === null) throw refusal;
  return { bytes, position };
}

/**
 * Quotes the text between the anchor's positions in `state` (the document as one Yjs update).
 * Refuses an anchor that points at nothing the server knows (409: the client's last keystrokes may
 * still be on their way) or that covers no words (400).
 */
export function quoteAnchor(state: Uint8Array, anchor: { start: string; end: string }): QuotedAnchor {
  const start = decode(anchor.start, 'start');
  const end = decode(anchor.end, 'end');
  return withText(state, (text) => {
    const range = text.range(start.position, end.position);
    if (range === null) {
      throw new AnchorError(409, 'the selected words are not on the server (yet): they may have just been typed or removed; select them again');
    }
    if (range.to <= range.from) throw new AnchorError(400, 'the selection covers no text; select the words the comment is about');
    const words = text.between(range.from, range.to);
    if (!words) throw new AnchorError(400, 'the selection covers no words; select the words the comment is about');
    const quote = words.length > MAX_QUOTE_LENGTH ? `${words.slice(0, MAX_QUOTE_LENGTH - 1)}…` : words;
    return { start: start.bytes, end: end.bytes, quote, provisionId: text.provisionAt(range.from) };
  });
}

/** The words a stored anchor covers now in `state`; "" when they are gone (the thread is detached). */
export function anchoredWords(state: Uint8Array, anchor: { start: Buffer; end: Buffer }): string {
  return withText(state, (text) => {
    const range = text.range(Y.decodeRelativePosition(anchor.start), Y.decodeRelativePosition(anchor.end));
    return range && range.to > range.from ? text.between(range.from, range.to) : '';
  });
}

/** The document's text as ProseMirror sees it, with the Yjs types behind it, for one reading. */
interface TextCopy {
  /** Where two relative positions are now; null when one names something this copy lacks. */
  range(start: Y.RelativePosition, end: Y.RelativePosition): { from: number; to: number } | null;
  /** The words between two positions, blocks joined and spaces collapsed as in a quote. */
  between(from: number, to: number): string;
  /** The provision (or sub-item) holding a position. */
  provisionAt(pos: number): string | null;
}

function withText<T>(state: Uint8Array, read: (text: TextCopy) => T): T {
  const ydoc = new Y.Doc();
  try {
    Y.applyUpdate(ydoc, state);
    const fragment = ydoc.getXmlFragment(TEXT_FRAGMENT);
    const { doc, mapping } = initProseMirrorDoc(fragment, schema);
    const resolve = (position: Y.RelativePosition) => {
      try {
        return relativePositionToAbsolutePosition(ydoc, fragment, position, mapping);
      } catch {
        throw new AnchorError(400, "the anchor is not a range of the document's text");
      }
    };
    return read({
      range(start, end) {
        const from = resolve(start);
        const to = resolve(end);
        return from === null || to === null || to > doc.content.size ? null : { from, to };
      },
      between: (from, to) => doc.textBetween(from, to, ' ', ' ').replace(/\s+/g, ' ').trim(),
      provisionAt(pos) {
        const $pos = doc.resolve(pos);
        for (let depth = $pos.depth; depth > 0; depth--) {
          const node = $pos.node(depth);
          if ((node.type.name === 'provision' || node.type.name === 'sub_item') && node.attrs.id) return node.attrs.id as string;
        }
        return null;
      },
    });
  } finally {
    ydoc.destroy();
  }
}
