import { describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import * as Y from 'yjs';
import { startServer } from '../support/server.ts';
import type { TestServer } from '../support/server.ts';
import { startServerProcess, waitForHealth } from '../support/processes.ts';
import { connect, synced } from '../support/client.ts';
import { element, withPending } from '../support/broken-text.ts';
import { schema } from '../../shared/schema/index.ts';
import { TEXT_FRAGMENT } from '../../shared/protocol.ts';
import { strictDocument } from '../../shared/yjs/strict-document.ts';

/**
 * Stores in CWG-AI/3 a text as a server before the whole-document check could have: a snapshot
 * holding content Yjs could not place, then an update (another client's) with top-level text, an
 * unknown node, a repeated provision id and a status the schema does not know.
 */
function storeBrokenText(server: TestServer): void {
  const { state } = withPending();
  server.stores.log.compact(server.documentId, state, 0, 2);
  const editor = new Y.Doc();
  Y.applyUpdate(editor, state);
  const before = Y.encodeStateVector(editor);
  const fragment = editor.getXmlFragment(TEXT_FRAGMENT);
  editor.transact(() => {
    fragment.insert(1, [new Y.XmlText('stray words')]);
    fragment.push([new Y.XmlElement('bogus')]);
    element(fragment, 2, 2).setAttribute('id', 'p-1'); // p-2 becomes a second p-1
    element(fragment, 3, 1).setAttribute('status', 'bogus'); // p-3
  });
  server.stores.log.append([{ documentId: server.documentId, update: Y.encodeStateAsUpdate(editor, before) }]);
  editor.destroy();
}

describe('a document stored in a broken shape', () => {
  it('is answered with a clear 409 while it cannot be read, and repaired by the start-up migration, after which every route and the sync work', async () => {
    const server = await startServer();
    const id = server.documentId;
    storeBrokenText(server);
    const inProcess = (method: 'GET' | 'POST', url: string, username = 'chair', payload?: object) =>
      server.app.inject({ method, url: `/api/documents/${id}${url}`, headers: { authorization: `Bearer ${server.users[username]!.token}` }, ...(payload ? { payload } : {}) });

    // Before the migration (as if stored under version 3 by a fault): no 500, a 409 that says what is wrong and what to do.
    for (const [method, url, payload] of [
      ['GET', '/export?format=txt&mode=negotiation'],
      ['GET', '/compare?from=current&to=current'],
      ['POST', '/versions', { name: 'Rev.1' }],
    ] as const) {
      const response = await inProcess(method, url, 'chair', payload);
      expect(response.statusCode, url).toBe(409);
      const message = (response.json() as { message: string }).message;
      expect(message).toContain('the stored text of CWG-AI/3 cannot be read');
      expect(message).toContain('restart the Concord server');
    }
    expect(server.stores.documents.get(id)!.schemaVersion).toBe(2); // marked for repair at the next start

    // The real start-up path: the server process, which migrates stored documents before listening.
    await server.app.close();
    server.stores.db.close();
    const restarted = await startServerProcess({ DATA_DIR: server.dataDir, CONCORD_DEMO: '0' });
    try {
      await waitForHealth(restarted.port);
      expect(restarted.output()).toMatch(
        /documents brought to the current structure: CWG-AI\/3 \(\d+ changes? Yjs could not place discarded; 1 top-level text removed; 1 invalid provision "status" value reset to "open"; 1 unknown "bogus" node removed; 1 duplicate provision id replaced\)/,
      );

      const base = `http://127.0.0.1:${restarted.port}/api/documents/${id}`;
      const call = async (method: 'GET' | 'POST', url: string, username = 'chair', body?: object) => {
        const response = await fetch(`${base}${url}`, {
          method,
          headers: { authorization: `Bearer ${server.users[username]!.token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
          ...(body ? { body: JSON.stringify(body) } : {}),
        });
        expect(response.status, `${method} ${url}: ${response.status}`).toBeLessThan(500);
        return response;
      };
      const exported = await call('GET', '/export?format=txt&mode=negotiation');
      expect(exported.status).toBe(200);
      const text = await exported.text();
      expect(text).toContain('Resolution 70/1;');
      expect(text).not.toContain('stray words');
      expect(text).not.toContain('pending');
      expect((await call('GET', '/compare?from=current&to=current')).status).toBe(200);
      expect((await call('POST', '/versions', 'chair', { name: 'Rev.1' })).status).toBe(201);
      expect((await call('GET', '/versions')).status).toBe(200);
      const decided = await call('POST', '/decisions', 'chair', { action: 'status', provisionId: 'p-1', status: 'agreed' });
      expect(decided.status).toBe(201);
      const decisions = (await (await call('GET', '/decisions')).json()) as { decisions: unknown[] };
      expect(decisions.decisions).toHaveLength(1);
      expect((await call('GET', '/threads', 'brazil')).status).toBe(200);
      expect((await call('GET', '')).status).toBe(200);

      // The WebSocket sync: a delegate gets the repaired text and edits it.
      const brazil = connect({ ...server, wsUrl: `ws://127.0.0.1:${restarted.port}/collab` }, 'brazil');
      try {
        await synced(brazil);
        const doc = strictDocument(brazil.doc.getXmlFragment(TEXT_FRAGMENT), schema);
        expect(doc.childCount).toBe(3);
        expect(doc.child(1).child(1).attrs).toMatchObject({ id: 'p-1', status: 'agreed' });
        expect(doc.child(1).child(2).attrs.id).not.toBe('p-1');
        const words = element(brazil.doc.getXmlFragment(TEXT_FRAGMENT), 2, 1, 0).get(0) as Y.XmlText; // p-3, open
        words.insert(0, 'Brazil: ');
        let stored = '';
        for (let tries = 0; tries < 50 && !stored.includes('Brazil: to act.'); tries++) {
          await new Promise((resolve) => setTimeout(resolve, 100));
          stored = await (await call('GET', '/export?format=txt&mode=negotiation')).text();
        }
        expect(stored).toContain('Brazil: to act.');
        expect(brazil.closes).toEqual([]);
      } finally {
        brazil.destroy();
      }
    } finally {
      restarted.child.kill('SIGTERM');
      await restarted.exited;
      rmSync(server.dataDir, { recursive: true, force: true });
    }
  }, 60_000);
});
