import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { Room } from '../../server/collab/room.ts';
import { TEXT_FRAGMENT } from '../../shared/protocol.ts';
import type { StoredDocument } from '../../server/storage/document-log.ts';
import type { Actor } from '../../shared/brackets/rules.ts';
import { initialTextUpdate } from '../../server/collab/initial-text.ts';
import { editShared, stateAt, typeText } from '../support/editing.ts';
import { negotiationDoc } from '../support/negotiation.ts';

const DELEGATE: Actor = { role: 'delegate', delegation: 'Brazil' };

/**
 * A room over a storage kept in memory: what the room accepts is appended, as the hub does, and
 * reloading reads it back. The room must undo a refused update from there.
 */
function roomWithStorage() {
  const source = new Y.Doc();
  const paragraph = new Y.XmlElement('paragraph');
  paragraph.insert(0, [new Y.XmlText('The working group recalls the resolutions of the Council.')]);
  source.getXmlFragment(TEXT_FRAGMENT).push([paragraph]);
  const snapshot = Y.encodeStateAsUpdate(source);
  const accepted: Uint8Array[] = [];
  const storage = (): StoredDocument => ({ snapshot, updates: [...accepted], lastUpdateId: accepted.length }) as StoredDocument;
  const room = new Room('d', storage(), (update) => accepted.push(update), storage);
  return { room, source, accepted };
}

/** What a client holding `base` sends when it makes `change` there. */
function edit(base: Y.Doc, change: (doc: Y.Doc) => void): Uint8Array {
  const client = new Y.Doc();
  Y.applyUpdate(client, Y.encodeStateAsUpdate(base));
  const before = Y.encodeStateVector(client);
  change(client);
  return Y.encodeStateAsUpdate(client, before);
}

const text = (doc: Y.Doc) => doc.getXmlFragment(TEXT_FRAGMENT).toString();

describe('a room judging updates', () => {
  it('passes an accepted update on to be stored, once', () => {
    const { room, source, accepted } = roomWithStorage();
    const update = edit(source, (doc) => ((doc.getXmlFragment(TEXT_FRAGMENT).get(0) as Y.XmlElement).get(0) as Y.XmlText).insert(0, 'Recalling: '));
    expect(room.applyChecked(update, DELEGATE, null)).toBeNull();
    expect(accepted).toHaveLength(1);
    expect(text(room.doc)).toContain('Recalling: The working group');
    room.destroy();
  });

  it('takes back a refused update: the document is as before, nothing is passed on, and later updates still apply', () => {
    const { room, source, accepted } = roomWithStorage();
    const first = edit(source, (doc) => ((doc.getXmlFragment(TEXT_FRAGMENT).get(0) as Y.XmlElement).get(0) as Y.XmlText).insert(0, 'Recalling: '));
    expect(room.applyChecked(first, DELEGATE, null)).toBeNull();
    const before = text(room.doc);
    const vector = Y.encodeStateVector(room.doc);

    // a paragraph cannot stand inside a paragraph: the structure rule refuses it
    const refused = edit(room.doc, (doc) => {
      const block = doc.getXmlFragment(TEXT_FRAGMENT).get(0) as Y.XmlElement;
      block.insert(0, [new Y.XmlElement('paragraph')]);
    });
    const verdict = room.applyChecked(refused, DELEGATE, null);
    expect(verdict?.rule).toBe('structure');
    expect(accepted).toHaveLength(1);
    expect(text(room.doc)).toBe(before);
    expect(Y.encodeStateVector(room.doc)).toEqual(vector);

    // another participant, who never saw the refused update, goes on typing
    const next = edit(room.doc, (doc) => ((doc.getXmlFragment(TEXT_FRAGMENT).get(0) as Y.XmlElement).get(0) as Y.XmlText).insert(0, '1. '));
    expect(room.applyChecked(next, DELEGATE, null)).toBeNull();
    expect(accepted).toHaveLength(2);
    expect(text(room.doc)).toContain('1. Recalling: The working group');
    room.destroy();
  });

  it('refuses a change outside the text and keeps the document as it was', () => {
    const { room, accepted } = roomWithStorage();
    const before = text(room.doc);
    const update = edit(room.doc, (doc) => doc.getMap('secret').set('x', 1));
    expect(room.applyChecked(update, DELEGATE, null)?.rule).toBe('structure');
    expect(room.doc.share.has('secret')).toBe(false);
    expect(text(room.doc)).toBe(before);
    expect(accepted).toHaveLength(0);
    room.destroy();
  });

  it('throws on an undecodable update and keeps the document as it was', () => {
    const { room, accepted } = roomWithStorage();
    const before = text(room.doc);
    expect(() => room.applyChecked(new Uint8Array([1, 2, 3, 250, 250, 250]), DELEGATE, null)).toThrow();
    expect(text(room.doc)).toBe(before);
    expect(accepted).toHaveLength(0);
    room.destroy();
  });

  it('passes the server’s own changes on at once', () => {
    const { room, accepted } = roomWithStorage();
    room.applyChecked(edit(room.doc, (doc) => ((doc.getXmlFragment(TEXT_FRAGMENT).get(0) as Y.XmlElement).get(0) as Y.XmlText).insert(0, 'a')), DELEGATE, null);
    room.doc.transact(() => ((room.doc.getXmlFragment(TEXT_FRAGMENT).get(0) as Y.XmlElement).get(0) as Y.XmlText).insert(0, 'b'), 'server');
    expect(accepted).toHaveLength(2);
    room.destroy();
  });

  it("refuses Kenya's word typed into Brazil's bracket, though Yjs tidies the bracket's formatting in a second transaction", () => {
    const initial = initialTextUpdate(negotiationDoc());
    const accepted: Uint8Array[] = [];
    const storage = (): StoredDocument => ({ snapshot: initial, updates: [...accepted], lastUpdateId: accepted.length }) as StoredDocument;
    const room = new Room('d', storage(), (update) => accepted.push(update), storage);
    const typeInBracket = (delegation: string) => {
      const client = new Y.Doc();
      Y.applyUpdate(client, Y.encodeStateAsUpdate(room.doc));
      const vector = Y.encodeStateVector(client);
      editShared(client, (doc) => typeText(stateAt(doc, 'promote', 3), 'x'));
      return room.applyChecked(Y.encodeStateAsUpdate(client, vector), { role: 'delegate', delegation }, null);
    };
    expect(typeInBracket('Kenya')?.rule).toBe('other-delegation');
    expect(accepted).toHaveLength(0);
    expect(typeInBracket('Brazil')).toBeNull();
    expect(accepted).toHaveLength(1);
    room.destroy();
  });
});
