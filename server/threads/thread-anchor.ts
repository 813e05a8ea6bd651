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
  const ydoc = new Y.Doc();
  try {
    Y.applyUpdate(ydoc, state);
    const fragment = ydoc.getXmlFragment(TEXT_FRAGMENT);
    const { doc, mapping } = initProseMirrorDoc(fragment, schema);
    const resolve = (position: Y.RelativePosition) => {
      try {
        return relativePositionToAbsolutePosition(ydoc, fragment, position, mapping);
      } catch {
        throw new AnchorError(400, 'the anchor is not a range of the document\'s text');
      }
    };
    const from = resolve(start.position);
    const to = resolve(end.position);
    if (from === null || to === null) {
      throw new AnchorError(409, 'the selected words are not on the server (yet): they may have just been typed or removed; select them again');
    }
    if (to <= from || to > doc.content.size) throw new AnchorError(400, 'the selection covers no text; select the words the comment is about');
    const text = doc.textBetween(from, to, ' ', ' ').replace(/\s+/g, ' ').trim();
    if (!text) throw new AnchorError(400, 'the selection covers no words; select the words the comment is about');
    const quote = text.length > MAX_QUOTE_LENGTH ? `${text.slice(0, MAX_QUOTE_LENGTH - 1)}…` : text;
    const $from = doc.resolve(from);
    let provisionId: string | null = null;
    for (let depth = $from.depth; depth > 0 && provisionId === null; depth--) {
      const node = $from.node(depth);
      if ((node.type.name === 'provision' || node.type.name === 'sub_item') && node.attrs.id) provisionId = node.attrs.id as string;
    }
    return { start: start.bytes, end: end.bytes, quote, provisionId };
  } finally {
    ydoc.destroy();
  }
}
