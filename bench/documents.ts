import * as Y from 'yjs';
import { TEXT_FRAGMENT } from '../shared/protocol.ts';

/**
 * Document content for the workloads, built with Yjs as an editor would and valid for Concord's
 * schema (top-level paragraphs of plain text), so Concord's update guard accepts it.
 */

/** A new paragraph at the end of the text, holding `text`; returns its text node. */
export function appendParagraph(doc: Y.Doc, text: string): Y.XmlText {
  const paragraph = new Y.XmlElement('paragraph');
  const content = new Y.XmlText(text);
  paragraph.insert(0, [content]);
  doc.getXmlFragment(TEXT_FRAGMENT).push([paragraph]);
  return content;
}

const LOREM = 'The working group recalls the resolutions of the Council on artificial intelligence and notes the contributions received. ';

/** A large document (the initial-sync storm): paragraphs of about 1 000 characters up to `bytes` of encoded state. */
export function largeDocument(bytes: number): { update: Uint8Array; text: string } {
  const doc = new Y.Doc();
  let i = 0;
  while (Y.encodeStateAsUpdate(doc).byteLength < bytes) {
    doc.transact(() => {
      for (let j = 0; j < 100; j++, i++) appendParagraph(doc, `${i}. ${LOREM.repeat(9)}`);
    });
  }
  const update = Y.encodeStateAsUpdate(doc);
  const text = doc.getXmlFragment(TEXT_FRAGMENT).toString();
  doc.destroy();
  return { update, text };
}

/**
 * The update log of a document typed keystroke by keystroke (the cold load): `count` updates, a
 * paragraph every 100 keystrokes, as a server that never compacted would have stored them.
 */
export function typedLog(count: number): { updates: Uint8Array[]; text: string } {
  const doc = new Y.Doc();
  const updates: Uint8Array[] = [];
  doc.on('update', (update: Uint8Array) => updates.push(update));
  let text: Y.XmlText | null = null;
  while (updates.length < count) {
    if (!text || text.length >= 100) text = appendParagraph(doc, '');
    else text.insert(text.length, LOREM[text.length % LOREM.length]!);
  }
  const result = { updates, text: doc.getXmlFragment(TEXT_FRAGMENT).toString() };
  doc.destroy();
  return result;
}
