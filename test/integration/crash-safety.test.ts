import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as Y from 'yjs';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import Database from 'better-sqlite3';
import { openDatabase } from '../../server/storage/database.ts';
import { migrate } from '../../server/storage/migrations.ts';
import { openStores } from '../../server/services.ts';
import { defaultConfig } from '../../server/config.ts';
import { hashPassword } from '../../server/auth/password.ts';
import { initialTextUpdate } from '../../server/collab/initial-text.ts';
import { DocumentLog } from '../../server/storage/document-log.ts';
import { startServerProcess, waitForHealth } from '../support/processes.ts';
import type { ServerProcess } from '../support/processes.ts';
import { appendParagraph, until } from '../support/client.ts';
import { negotiationDoc } from '../support/negotiation.ts';
import { TEXT_FRAGMENT } from '../../shared/protocol.ts';

/**
 * kill -9 of the real server process in the middle of an editing storm, of compactions and of a
 * chair's decision: every update any client received is in storage, the clients converge after
 * the restart with nothing they typed lost, a compaction is all or nothing, a decision too.
 */
interface Setup {
  dataDir: string;
  documentId: string;
  tokens: Record<string, string>;
}

async function prepare(): Promise<Setup> {
  const dataDir = mkdtempSync(join(tmpdir(), 'concord-crash-'));
  const db = openDatabase(join(dataDir, 'concord.db'));
  migrate(db);
  const stores = openStores(db, defaultConfig({ dataDir }));
  stores.accounts.addGroup('cwg-ai', 'CWG-AI');
  stores.accounts.addDelegation('cwg-ai', 'Brazil');
  stores.accounts.addDelegation('cwg-ai', 'Kenya');
  const hash = await hashPassword('correct horse battery');
  const tokens: Record<string, string> = {};
  for (const [username, role, delegation] of [
    ['brazil', 'delegate', 'Brazil'],
    ['kenya', 'delegate', 'Kenya'],
    ['chair', 'chair', undefined],
  ] as const) {
    const user = stores.accounts.addUser(username, username, hash);
    stores.accounts.setMembership(user.id, 'cwg-ai', role, delegation);
    tokens[username] = stores.tokens.create(user.id);
  }
  const group = stores.accounts.requireGroup('cwg-ai');
  const documentId = stores.documents.create({ groupId: group.id, symbol: 'CWG-AI/2', title: 'Draft', type: 'resolution', createdBy: null }).id;
  stores.log.append([{ documentId, update: initialTextUpdate(negotiationDoc()) }]);
  db.close();
  return { dataDir, documentId, tokens };
}

/** A stock client that remembers every update the server sent it, and every paragraph it typed. */
function client(port: number, setup: Setup, username: string) {
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(`ws://127.0.0.1:${port}/collab`, setup.documentId, doc, {
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    params: { token: setup.tokens[username]! },
    disableBc: true,
    maxBackoffTime: 300,
  });
  const received: Uint8Array[] = [];
  doc.on('update', (update: Uint8Array, origin: unknown) => {
    if (origin === provider) received.push(update);
  });
  return { doc, provider, received, typed: [] as string[] };
}

/** The stored document, read straight from the SQLite file (after the process is dead). */
function storedDoc(setup: Setup): Y.Doc {
  const db = new Database(join(setup.dataDir, 'concord.db'), { readonly: true });
  try {
    return new DocumentLog(db as never).replay(setup.documentId);
  } finally {
    db.close();
  }
}

const snapshot = (doc: Y.Doc) => Buffer.from(Y.encodeSnapshot(Y.snapshot(doc))).toString('hex');
const kill9 = async (server: ServerProcess) => {
  server.child.kill('SIGKILL');
  await server.exited;
};

describe('crash safety (kill -9 of the server process)', () => {
  let server: ServerProcess | null = null;
  let setup: Setup | null = null;
  const clients: ReturnType<typeof client>[] = [];

  afterEach(async () => {
    for (const c of clients.splice(0)) {
      c.provider.destroy();
      c.doc.destroy();
    }
    if (server && server.child.exitCode === null) await kill9(server);
    if (setup) rmSync(setup.dataDir, { recursive: true, force: true });
  });

  it('loses nothing any client received, and every client converges with all it typed, across kills during a storm and compactions', async () => {
    setup = await prepare();
    // compact often, so kills also land during compactions
    const env = { DATA_DIR: setup.dataDir, CONCORD_DEMO: '0', CONCORD_COMPACT_AFTER_UPDATES: '40' };
    server = await startServerProcess(env);
    const port = server.port;
    await waitForHealth(port);
    for (let i = 0; i < 30; i++) clients.push(client(port, setup, i % 2 ? 'brazil' : 'kenya'));
    await until(() => clients.every((c) => c.provider.synced), '30 clients to sync', 20_000);

    let checked = 0;
    for (let round = 0; round < 3; round++) {
      // a storm: every client types a paragraph every ~15 ms, for a while
      let typing = true;
      const storm = clients.map(async (c, i) => {
        for (let n = 0; typing; n++) {
          const text = `round ${round} client ${i} paragraph ${n}`;
          appendParagraph(c.doc, text);
          c.typed.push(text);
          await new Promise((r) => setTimeout(r, 10 + (i % 7)));
        }
      });
      await new Promise((r) => setTimeout(r, 700 + round * 300));
      await kill9(server);
      typing = false;
      await Promise.all(storm);
      // the clients wait (with what they typed unsent) until the stored state has been checked
      for (const c of clients) c.provider.disconnect();

      // every update any client received from the server is in storage
      const stored = storedDoc(setup);
      const vector = Y.encodeStateVector(stored);
      for (const c of clients) {
        for (const update of c.received) {
          const missing = Y.decodeUpdate(Y.diffUpdate(update, vector));
          expect(missing.structs.filter((s) => s.constructor.name !== 'Skip')).toEqual([]);
          checked++;
        }
        c.received.length = 0;
      }
      const before = snapshot(stored);
      stored.destroy();

      // restart; a fresh reader sees exactly what was stored (a compaction was all or nothing)
      server = await startServerProcess(env, port);
      await waitForHealth(port);
      const reader = client(port, setup, 'chair');
      await until(() => reader.provider.synced, 'a fresh client to sync', 10_000);
      expect(snapshot(reader.doc)).toBe(before);
      reader.provider.destroy();
      for (const c of clients) c.provider.connect();
    }

    // all replicas converge, with every paragraph every client typed
    await until(() => clients.every((c) => c.provider.synced), 'the clients to reconnect', 30_000);
    const fresh = client(port, setup, 'chair');
    const allTyped = clients.flatMap((c) => c.typed);
    await until(
      () => {
        const text = fresh.doc.getXmlFragment(TEXT_FRAGMENT).toString();
        return fresh.provider.synced && allTyped.every((t) => text.includes(`${t}<`));
      },
      'every typed paragraph to be in the document',
      30_000,
    );
    await until(() => clients.every((c) => snapshot(c.doc) === snapshot(fresh.doc)), 'all replicas to converge', 30_000);
    expect(checked).toBeGreaterThan(1000);
    fresh.provider.destroy();
  }, 180_000);

  it('keeps a chair decision all or nothing across a kill', async () => {
    setup = await prepare();
    const env = { DATA_DIR: setup.dataDir, CONCORD_DEMO: '0' };
    let outcomes = { both: 0, neither: 0 };
    for (let attempt = 0; attempt < 6; attempt++) {
      server = await startServerProcess(env, server?.port);
      await waitForHealth(server.port);
      const id = setup.documentId;
      const decision = fetch(`http://127.0.0.1:${server.port}/api/documents/${id}/decisions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${setup.tokens.chair}`, 'content-type': 'application/json' },
        body: JSON.stringify(attempt % 2 ? { action: 'accept', bracketIds: ['b-br'] } : { action: 'reject', bracketIds: ['b-br'] }),
      }).catch(() => null);
      await new Promise((r) => setTimeout(r, attempt * 4)); // kill at different moments
      await kill9(server);
      await decision;
      const db = new Database(join(setup.dataDir, 'concord.db'), { readonly: true });
      const logged = (db.prepare('SELECT count(*) AS n FROM decisions').get() as { n: number }).n;
      db.close();
      const doc = storedDoc(setup);
      const bracketGone = !doc.getXmlFragment(TEXT_FRAGMENT).toString().includes('b-br');
      doc.destroy();
      expect(bracketGone, `attempt ${attempt}: decision logged ${logged} times, bracket gone: ${bracketGone}`).toBe(logged > 0);
      if (logged) outcomes = { ...outcomes, both: outcomes.both + 1 };
      else outcomes = { ...outcomes, neither: outcomes.neither + 1 };
      if (logged) break;
    }
    expect(outcomes.both + outcomes.neither).toBeGreaterThan(0);
  }, 120_000);
});
