import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import * as decoding from 'lib0/decoding';
import { roomInMemory } from '../support/memory-room.ts';
import { TEXT_FRAGMENT } from '../../shared/protocol.ts';

/** A document of `paragraphs` paragraphs, as one snapshot. */
function snapshotOf(paragraphs: number) {
  const doc = new Y.Doc();
  const fragment = doc.getXmlFragment(TEXT_FRAGMENT);
  for (let i = 0; i < paragraphs; i++) {
    const paragraph = new Y.XmlElement('paragraph');
    paragraph.insert(0, [new Y.XmlText(`${i}. The working group recalls the resolutions of the Council on artificial intelligence.`)]);
    fragment.push([paragraph]);
  }
  return Y.encodeStateAsUpdate(doc);
}

/** The document a sync step 2 frame gives to a client that had nothing. */
function received(frame: Uint8Array): string {
  const decoder = decoding.createDecoder(frame);
  decoding.readVarUint(decoder); // sync
  decoding.readVarUint(decoder); // step 2
  const doc = new Y.Doc();
  Y.applyUpdate(doc, decoding.readVarUint8Array(decoder));
  return doc.getXmlFragment(TEXT_FRAGMENT).toString();
}

const EMPTY = Y.encodeStateVector(new Y.Doc());

describe('room sync step 2', () => {
  it('encodes a large document once for every client that has nothing, and again after a change', () => {
    const { room } = roomInMemory(snapshotOf(1000));
    const first = room.syncStep2(EMPTY);
    expect(room.syncStep2(EMPTY)).toBe(first);
    expect(received(first)).toBe(room.doc.getXmlFragment(TEXT_FRAGMENT).toString());
    const paragraph = new Y.XmlElement('paragraph');
    paragraph.insert(0, [new Y.XmlText('new provision')]);
    room.doc.getXmlFragment(TEXT_FRAGMENT).push([paragraph]);
    const second = room.syncStep2(EMPTY);
    expect(second).not.toBe(first);
    expect(received(second)).toContain('new provision');
    room.destroy();
  });

  it('answers a client that has part of the document with only what it lacks', () => {
    const { room } = roomInMemory(snapshotOf(1000));
    const vector = Y.encodeStateVector(room.doc);
    const missing = room.syncStep2(vector);
    expect(missing.byteLength).toBeLessThan(20);
    expect(room.syncStep2(vector)).not.toBe(missing);
    room.destroy();
  });
});
