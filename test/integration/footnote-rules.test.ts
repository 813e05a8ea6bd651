import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type * as Y from 'yjs';
import type { Node as PMNode } from 'prosemirror-model';
import { startServer } from '../support/server.ts';
import type { TestServer } from '../support/server.ts';
import { connect, storedDoc, synced, until } from '../support/client.ts';
import type { TestClient } from '../support/client.ts';
import { editShared, stateAt } from '../support/editing.ts';
import { BRAZIL_BRACKET, seedNegotiation } from '../support/negotiation.ts';
import { schema } from '../../shared/schema/index.ts';
import { TEXT_FRAGMENT } from '../../shared/protocol.ts';
import { strictDocument } from '../../shared/yjs/strict-document.ts';

/**
 * A footnote typed in the editor (client/editor/footnotes.ts) is an ordinary edit for the server's
 * guard: a delegate's footnote in open text is kept; the rules hold for it as for words — not in
 * another delegation's bracket (with or without that bracket's mark), not in an agreed provision.
 */
const docOf = (doc: Y.Doc) => strictDocument(doc.getXmlFragment(TEXT_FRAGMENT), schema);

function footnotes(doc: PMNode): string[] {
  const found: string[] = [];
  doc.descendants((node) => {
    if (node.type.name === 'footnote') found.push(node.attrs.text as string);
    return true;
  });
  return found;
}

/** The edit the editor makes: a footnote inserted at the caret just after (or `offset` into) `words`. */
const insertFootnote =
  (words: string, text: string, where: 'end' | number = 'end', marks: readonly ReturnType<typeof schema.mark>[] = []) =>
  (doc: Y.Doc) =>
    editShared(doc, (d) => {
      const state = stateAt(d, words, where);
      return state.apply(state.tr.insert(state.selection.from, schema.nodes.footnote!.create({ text }, null, marks)));
    });

describe('footnotes and the rules of the negotiation', () => {
  let server: TestServer;
  let witness: TestClient;

  beforeEach(async () => {
    server = await startServer();
    seedNegotiation(server);
    witness = connect(server, 'brazil');
    await synced(witness);
  });

  afterEach(async () => {
    witness.destroy();
    await server.close();
  });

  it("keeps a delegate's footnote in open text, for everyone and in storage", async () => {
    const kenya = connect(server, 'kenya');
    await synced(kenya);
    insertFootnote('plain text', 'See Resolution 70/1.')(kenya.doc);
    await until(() => footnotes(docOf(witness.doc)).length === 1, 'the footnote to reach Brazil');
    expect(footnotes(docOf(witness.doc))).toEqual(['See Resolution 70/1.']);
    await new Promise((r) => setTimeout(r, 100));
    expect(kenya.notices).toEqual([]);
    expect(kenya.closes).toEqual([]);
    const stored = storedDoc(server);
    expect(footnotes(docOf(stored))).toEqual(['See Resolution 70/1.']);
    stored.destroy();
    kenya.destroy();
  });

  for (const [what, change, rule] of [
    ["inside another delegation's bracket", insertFootnote('promote', 'Kenya’s note', 3), /Brazil's proposal/],
    ["inside another delegation's bracket, carrying its mark", insertFootnote('promote', 'Kenya’s note', 3, [BRAZIL_BRACKET]), /Brazil's proposal/],
    ['in an agreed provision', insertFootnote('an agreed text', 'Kenya’s note'), /agreed: only the chair/],
  ] as const) {
    it(`takes back a delegate's footnote ${what}`, async () => {
      const kenya = connect(server, 'kenya');
      await synced(kenya);
      const before = docOf(witness.doc);
      change(kenya.doc);
      await until(() => kenya.notices.length > 0, 'Kenya to be told what was taken back');
      expect(kenya.notices[0]!.rules.map((r) => r.message).join(' ')).toMatch(rule);
      await until(() => footnotes(docOf(kenya.doc)).length === 0, "Kenya's copy to be corrected");
      await new Promise((r) => setTimeout(r, 100));
      expect(docOf(witness.doc).eq(before)).toBe(true);
      const stored = storedDoc(server);
      expect(footnotes(docOf(stored))).toEqual([]);
      stored.destroy();
      kenya.destroy();
    });
  }
});
