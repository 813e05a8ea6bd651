import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { RoomVerdict } from '../../server/collab/room.ts';
import { TEXT_FRAGMENT } from '../../shared/protocol.ts';
import { roomInMemory } from '../support/memory-room.ts';
import type { Actor } from '../../shared/brackets/rules.ts';
import { initialTextUpdate } from '../../server/collab/initial-text.ts';
import { editShared, stateAt, typeText } from '../support/editing.ts';
import { negotiationDoc } from '../support/negotiation.ts';

const DELEGATE: Actor = { role: 'delegate', delegation: 'Brazil' };

/**
 * A room over a storage kept in memory (a paragraph of text): the room must undo a refused update
 * by reading it back from there.
 */
function roomWithStorage() {
  const source = new Y.Doc();
  const paragraph = new Y.XmlElement('paragraph');
  paragraph.insert(0, [new Y.XmlText('The working group recalls the resolutions of the Council.')]);
  source.getXmlFragment(TEXT_FRAGMENT).push([paragraph]);
  const { room, accepted } = roomInMemory(Y.encodeStateAsUpdate(source));
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

/** The rule a verdict names: the refusal's, or the first of what was taken back. */
function ruleOf(verdict: RoomVerdict): string | null {
  if (verdict.kind === 'refused') return verdict.refusal.rule;
  if (verdict.kind === 'compensated') return verdict.takenBack.rules[0]!.rule;
  return null;
}

describe('a room judging updates', () => {
  it('passes an accepted update on to be stored, once', () => {
    const { room, source, accepted } = roomWithStorage();
    const update = edit(source, (doc) => ((doc.getXmlFragment(TEXT_FRAGMENT).get(0) as Y.XmlElement).get(0) as Y.XmlText).insert(0, 'Recalling: '));
    expect(room.applyChecked(update, DELEGATE, null).kind).toBe('accepted');
    expect(accepted).toHaveLength(1);
    expect(text(room.doc)).toContain('Recalling: The working group');
    room.destroy();
  });

  it('takes back what breaks the structure with a correction stored with it, and later updates still apply', () => {
    const { room, source, accepted } = roomWithStorage();
    const first = edit(source, (doc) => ((doc.getXmlFragment(TEXT_FRAGMENT).get(0) as Y.XmlElement).get(0) as Y.XmlText).insert(0, 'Recalling: '));
    expect(room.applyChecked(first, DELEGATE, null).kind).toBe('accepted');
    const before = text(room.doc);

    // a paragraph cannot stand inside a paragraph: the block is put back as it was
    const broken = edit(room.doc, (doc) => {
      const block = doc.getXmlFragment(TEXT_FRAGMENT).get(0) as Y.XmlElement;
      block.insert(0, [new Y.XmlElement('paragraph')]);
    });
    const verdict = room.applyChecked(broken, DELEGATE, null);
    expect(verdict.kind).toBe('compensated');
    expect(ruleOf(verdict)).toBe('structure');
    expect(accepted).toHaveLength(2); // the update and its correction, as one
    expect(text(room.doc)).toBe(before);
    const replayed = new Y.Doc();
    for (const update of [Y.encodeStateAsUpdate(source), ...accepted]) Y.applyUpdate(replayed, update);
    expect(text(replayed)).toBe(before);

    // another participant goes on typing
    const next = edit(room.doc, (doc) => ((doc.getXmlFragment(TEXT_FRAGMENT).get(0) as Y.XmlElement).get(0) as Y.XmlText).insert(0, '1. '));
    expect(room.applyChecked(next, DELEGATE, null).kind).toBe('accepted');
    expect(accepted).toHaveLength(3);
    expect(text(room.doc)).toContain('1. Recalling: The working group');
    room.destroy();
  });

  it('refuses a change outside the text and keeps the document as it was', () => {
    const { room, accepted } = roomWithStorage();
    const before = text(room.doc);
    const update = edit(room.doc, (doc) => doc.getMap('secret').set('x', 1));
    expect(ruleOf(room.applyChecked(update, DELEGATE, null))).toBe('structure');
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
    room.applyChecked(
      edit(room.doc, (doc) => ((doc.getXmlFragment(TEXT_FRAGMENT).get(0) as Y.XmlElement).get(0) as Y.XmlText).insert(0, 'a')),
      DELEGATE,
      null,
    );
    room.doc.transact(() => ((room.doc.getXmlFragment(TEXT_FRAGMENT).get(0) as Y.XmlElement).get(0) as Y.XmlText).insert(0, 'b'), 'server');
    expect(accepted).toHaveLength(2);
    room.destroy();
  });

  it("refuses Kenya's word typed into Brazil's bracket, though Yjs tidies the bracket's formatting in a second transaction", () => {
    const { room, accepted } = roomInMemory(initialTextUpdate(negotiationDoc()));
    const typeInBracket = (delegation: string) => {
      const client = new Y.Doc();
      Y.applyUpdate(client, Y.encodeStateAsUpdate(room.doc));
      const vector = Y.encodeStateVector(client);
      editShared(client, (doc) => typeText(stateAt(doc, 'promote', 3), 'x'));
      return room.applyChecked(Y.encodeStateAsUpdate(client, vector), { role: 'delegate', delegation }, null);
    };
    expect(ruleOf(typeInBracket('Kenya'))).toBe('other-delegation');
    expect(accepted).toHaveLength(1); // with its correction: Brazil's bracket as it was
    expect(text(room.doc)).not.toContain('proxmote');
    expect(typeInBracket('Brazil').kind).toBe('accepted');
    expect(accepted).toHaveLength(2);
    room.destroy();
  });
});
