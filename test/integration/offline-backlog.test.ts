import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { startServer } from '../support/server.ts';
import type { TestServer } from '../support/server.ts';
import { connect, storedDoc, synced, until } from '../support/client.ts';
import type { TestClient } from '../support/client.ts';
import { seedNegotiation } from '../support/negotiation.ts';
import { provisionTexts, typeAfternoon } from '../support/offline-typing.ts';
import { TEXT_FRAGMENT } from '../../shared/protocol.ts';
import { schema } from '../../shared/schema/index.ts';
import { strictDocument } from '../../shared/yjs/strict-document.ts';

/**
 * A delegate back from a long offline stretch loses nothing the rules allow: an afternoon's
 * backlog is accepted whole, and one stale edit in a provision the chair agreed meanwhile is the
 * only thing taken back.
 */
const docOf = (doc: Y.Doc) => strictDocument(doc.getXmlFragment(TEXT_FRAGMENT), schema);

/** Adds `n` empty provisions at the end of the first section, as the editor makes them (fresh ids). */
function addProvisions(doc: Y.Doc, n: number): void {
  const section = doc.getXmlFragment(TEXT_FRAGMENT).get(0) as Y.XmlElement;
  doc.transact(() => {
    for (let i = 0; i < n; i++) {
      const provision = new Y.XmlElement('provision');
      provision.setAttribute('id', `p-offline-${i}`);
      const paragraph = new Y.XmlElement('paragraph');
      paragraph.insert(0, [new Y.XmlText('')]);
      provision.insert(0, [paragraph]);
      section.push([provision]);
    }
  });
}

describe('offline backlogs', () => {
  let server: TestServer;
  let brazil: TestClient;
  let witness: TestClient;

  beforeEach(async () => {
    server = await startServer();
    seedNegotiation(server);
    brazil = connect(server, 'brazil');
    witness = connect(server, 'observer');
    await Promise.all([synced(brazil), synced(witness)]);
    addProvisions(brazil.doc, 3);
    await until(() => provisionTexts(witness.doc).length === 8, 'the new provisions to reach the witness');
  });

  afterEach(async () => {
    brazil.destroy();
    witness.destroy();
    await server.close();
  });

  it('accepts 100 000 keystrokes typed offline, sent as one update on reconnecting, in full', async () => {
    brazil.provider.disconnect();
    const texts = provisionTexts(brazil.doc);
    // the open provisions without anyone else's brackets: a) and the three new ones
    const typed = typeAfternoon(brazil.doc, 100_000, 2026, [texts[0]!, ...texts.slice(4, 7)]);
    expect(typed).toBeGreaterThan(80_000);
    const expected = docOf(brazil.doc);
    brazil.provider.connect();
    await until(() => docOf(witness.doc).eq(expected), 'the backlog to reach the witness', 20_000);
    const stored = storedDoc(server);
    expect(docOf(stored).eq(expected)).toBe(true);
    stored.destroy();
    expect(brazil.notices).toEqual([]);
    expect(brazil.closes).toEqual([]);
  }, 60_000);

  it('keeps every other character of a backlog with one edit in a provision agreed meanwhile, and says so', async () => {
    brazil.provider.disconnect();
    const texts = provisionTexts(brazil.doc);
    typeAfternoon(brazil.doc, 150, 1, [texts[0]!]); // in a), which the chair is about to agree
    typeAfternoon(brazil.doc, 200, 2, [texts[5]!]);
    typeAfternoon(brazil.doc, 200, 3, [texts[6]!]);
    const kept = [texts[5]!.toString(), texts[6]!.toString()];
    const decided = await server.app.inject({
      method: 'POST',
      url: `/api/documents/${server.documentId}/decisions`,
      headers: { authorization: `Bearer ${server.users.chair!.token}` },
      payload: { action: 'status', provisionId: 'p-a', status: 'agreed' },
    });
    expect(decided.statusCode).toBe(201);
    await until(() => docOf(witness.doc).firstChild!.child(1).attrs.status === 'agreed', 'the decision to reach the witness');
    const agreedText = docOf(witness.doc).firstChild!.child(1).textContent;
    brazil.provider.connect();
    await until(() => brazil.notices.length > 0, 'Brazil to be told');
    expect(brazil.notices[0]!.rules.map((r) => r.rule)).toEqual(['agreed']);
    expect(brazil.notices[0]!.restored).toEqual(['p-a']);
    for (const doc of [witness.doc, brazil.doc]) {
      await until(() => provisionTexts(doc)[0]!.toString() === agreedText, 'the agreed provision to be as the chair agreed it');
      expect(
        provisionTexts(doc)
          .slice(5, 7)
          .map((t) => t.toString()),
      ).toEqual(kept);
    }
    const stored = storedDoc(server);
    expect(docOf(stored).eq(docOf(witness.doc))).toBe(true);
    stored.destroy();
    expect(brazil.closes).toEqual([]);
  });
});
