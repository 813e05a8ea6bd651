import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { Node as PMNode } from 'prosemirror-model';
import { startServer } from '../support/server.ts';
import type { TestServer } from '../support/server.ts';
import { connect, storedDoc, synced, until } from '../support/client.ts';
import type { TestClient } from '../support/client.ts';
import { editShared, outline, stateAt, typeText } from '../support/editing.ts';
import { seedNegotiation } from '../support/negotiation.ts';
import { schema } from '../../shared/schema/index.ts';
import { TEXT_FRAGMENT } from '../../shared/protocol.ts';
import { strictDocument } from '../../shared/yjs/strict-document.ts';
import { collectBrackets } from '../../shared/brackets/model.ts';
import type { DecisionEntry } from '../../shared/api.ts';

/**
 * The chair's decisions through the real server, while delegates type in the same provisions:
 * every replica, a newcomer and the stored document converge to the expected text; only the
 * chair may decide; every decision is logged and can be undone.
 */
const docOf = (doc: Y.Doc) => strictDocument(doc.getXmlFragment(TEXT_FRAGMENT), schema);
/** State vector and delete set: equal only when two replicas hold the same insertions and deletions. */
const vector = (doc: Y.Doc) => Buffer.from(Y.encodeSnapshot(Y.snapshot(doc))).toString('hex');

function provisionText(doc: PMNode, id: string): string | null {
  let found: string | null = null;
  doc.descendants((node) => {
    if (node.type.name === 'provision' && node.attrs.id === id) found = node.textContent;
    return found === null;
  });
  return found;
}

describe("the chair's decisions", () => {
  let server: TestServer;
  let brazil: TestClient;
  let kenya: TestClient;

  beforeEach(async () => {
    server = await startServer();
    seedNegotiation(server);
    brazil = connect(server, 'brazil');
    kenya = connect(server, 'kenya');
    await Promise.all([synced(brazil), synced(kenya)]);
  });

  afterEach(async () => {
    brazil.destroy();
    kenya.destroy();
    await server.close();
  });

  const decide = (username: string, body: unknown) =>
    server.app.inject({
      method: 'POST',
      url: `/api/documents/${server.documentId}/decisions`,
      headers: { authorization: `Bearer ${server.users[username]!.token}` },
      payload: body as object,
    });

  /** Both replicas, a newcomer and storage agree; returns the document. */
  async function converged(): Promise<PMNode> {
    const storedVector = () => {
      const stored = storedDoc(server);
      const v = vector(stored);
      stored.destroy();
      return v;
    };
    await until(() => vector(brazil.doc) === vector(kenya.doc) && vector(kenya.doc) === storedVector(), 'the replicas to converge with storage');
    const doc = docOf(brazil.doc);
    expect(docOf(kenya.doc).eq(doc)).toBe(true);
    const stored = storedDoc(server);
    expect(docOf(stored).eq(doc)).toBe(true);
    stored.destroy();
    const newcomer = connect(server, 'observer');
    await synced(newcomer);
    expect(docOf(newcomer.doc).eq(doc)).toBe(true);
    newcomer.destroy();
    return doc;
  }

  it('refuses a delegate calling a chair action with 403, changing nothing', async () => {
    const before = vector(brazil.doc);
    for (const body of [
      { action: 'accept', bracketIds: ['b-br'] },
      { action: 'status', provisionId: 'p-a', status: 'agreed' },
    ]) {
      const response = await decide('brazil', body);
      expect(response.statusCode).toBe(403);
      expect(response.json().message).toMatch(/only the chair accepts, rejects or chooses proposals .* you are delegate/);
    }
    expect((await decide('secretariat', { action: 'reject', bracketIds: ['b-ke'] })).statusCode).toBe(403);
    await new Promise((r) => setTimeout(r, 100));
    expect(vector(brazil.doc)).toBe(before);
    const log = await server.app.inject({ url: `/api/documents/${server.documentId}/decisions`, headers: { authorization: `Bearer ${server.users.observer!.token}` } });
    expect(log.json().decisions).toEqual([]);
  });

  it('accepts an outer bracket while a delegation types in the same provision: brackets go, both texts stay', async () => {
    editShared(kenya.doc, (d) => typeText(stateAt(d, 'trusted AI'), ' systems'));
    const response = await decide('chair', { action: 'accept', bracketIds: ['b-br'] });
    expect(response.statusCode).toBe(201);
    const doc = await converged();
    expect(provisionText(doc, 'p-b')).toBe('to promote safe and trusted AI systems');
    const brackets = collectBrackets(doc);
    expect(brackets.has('b-br')).toBe(false);
    expect(brackets.get('b-ke')!.text).toBe('safe'); // the nested one stays
  });

  it('rejects a nested bracket and a whole provision while others type: text and provision go, numbering follows', async () => {
    editShared(brazil.doc, (d) => typeText(stateAt(d, 'to ', 'start'), 'Also '));
    editShared(kenya.doc, (d) => typeText(stateAt(d, 'measures', 'start'), 'Further '));
    expect((await decide('chair', { action: 'reject', bracketIds: ['b-ke'] })).statusCode).toBe(201);
    expect((await decide('chair', { action: 'reject', bracketIds: ['b-whole'] })).statusCode).toBe(201);
    const doc = await converged();
    expect(provisionText(doc, 'p-b')).toBe('Also to promote  and trusted AI');
    expect(provisionText(doc, 'p-c')).toBeNull();
    expect(outline(doc).map((line) => line.split(' ')[0])).toEqual(['a)', 'b)', 'c)', 'a)']);
    expect(outline(doc)[2]).toMatch(/^c\) Further measures/);
  });

  it('chooses an alternative while a delegation types after it; the others go', async () => {
    editShared(brazil.doc, (d) => typeText(stateAt(d, ' now'), ' and without delay'));
    const response = await decide('chair', { action: 'choose', optionId: 'b-a2' });
    expect(response.statusCode).toBe(201);
    expect((response.json() as DecisionEntry).summary).toMatch(/^chose Kenya's option “that Member States may take”/);
    const doc = await converged();
    expect(provisionText(doc, 'p-d')).toBe('measures that Member States may take now and without delay');
    expect([...collectBrackets(doc).values()].filter((b) => b.group === 'g-1')).toEqual([]);
  });

  it('marks a provision agreed, which then locks it for delegates; refuses agreeing a bracketed one', async () => {
    const bracketed = await decide('chair', { action: 'status', provisionId: 'p-b', status: 'agreed' });
    expect(bracketed.statusCode).toBe(409);
    expect(bracketed.json().message).toMatch(/still has 2 open brackets/);
    expect((await decide('chair', { action: 'status', provisionId: 'p-a', status: 'agreed' })).statusCode).toBe(201);
    await until(() => docOf(kenya.doc).firstChild!.child(1).attrs.status === 'agreed', 'the status to reach Kenya');
    editShared(kenya.doc, (d) => typeText(stateAt(d, 'plain text'), ' changed'));
    await until(() => kenya.notices.length > 0, 'Kenya to be told');
    expect(kenya.notices[0]!.rules[0]!.rule).toBe('agreed');
    await until(() => provisionText(docOf(kenya.doc), 'p-a') === 'plain text', "Kenya's copy to be corrected");
    expect(provisionText(docOf(brazil.doc), 'p-a')).toBe('plain text');
    expect(kenya.closes).toEqual([]);
  });

  it('rejects all brackets of a delegation in bulk, logs it, and undoes it (not after the text changed)', async () => {
    const groupBrackets = async () => {
      const group = await server.app.inject({ url: '/api/groups/cwg-ai', headers: { authorization: `Bearer ${server.users.observer!.token}` } });
      return (group.json().documents as { id: string; brackets: { open: number; alternatives: number; options: number; share: number } }[]).find((d) => d.id === server.documentId)!.brackets;
    };
    const before = await groupBrackets();
    // three brackets and one alternatives group of two options: four open questions
    expect(before).toMatchObject({ open: 4, alternatives: 1, options: 2 });
    expect(before.share).toBeGreaterThan(50);
    const bulk = await decide('chair', { action: 'reject', scope: { delegation: 'Kenya' } });
    expect(bulk.statusCode).toBe(201);
    const entry = bulk.json() as DecisionEntry;
    expect(entry.summary).toMatch(/^rejected 3 brackets \(Kenya 3\)/);
    let doc = await converged();
    expect([...collectBrackets(doc).values()].map((b) => b.delegation)).toEqual(['Brazil', 'Brazil']);
    expect((await groupBrackets()).open).toBe(2); // the group page follows the text
    expect(entry.textBefore).toContain('all of this provision');
    expect(entry.textAfter).toContain('(removed)');

    const log = await server.app.inject({ url: `/api/documents/${server.documentId}/decisions`, headers: { authorization: `Bearer ${server.users.kenya!.token}` } });
    expect(log.json().decisions.map((d: DecisionEntry) => d.id)).toEqual([entry.id]);

    const undo = await server.app.inject({ method: 'POST', url: `/api/documents/${server.documentId}/decisions/${entry.id}/undo`, headers: { authorization: `Bearer ${server.users.chair!.token}` } });
    expect(undo.statusCode).toBe(201);
    doc = await converged();
    expect(collectBrackets(doc).size).toBe(5);
    expect(provisionText(doc, 'p-c')).toBe('all of this provision');

    const again = await decide('chair', { action: 'accept', bracketIds: ['b-br'] });
    editShared(brazil.doc, (d) => typeText(stateAt(d, 'promote'), 'd'));
    await until(() => provisionText(docOf(kenya.doc), 'p-b')!.includes('promoted'), 'Brazil’s edit to arrive');
    const refused = await server.app.inject({
      method: 'POST',
      url: `/api/documents/${server.documentId}/decisions/${(again.json() as DecisionEntry).id}/undo`,
      headers: { authorization: `Bearer ${server.users.chair!.token}` },
    });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().message).toMatch(/edited since; undo it by hand/);
  });
});
