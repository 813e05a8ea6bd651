import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as Y from 'yjs';
import Database from 'better-sqlite3';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import { startServerProcess, waitForHealth } from '../support/processes.ts';
import { appendParagraph, textOf, until } from '../support/client.ts';
import { TEXT_FRAGMENT } from '../../shared/protocol.ts';

/** Logs in as a browser would (same-origin), returning the session cookie. */
async function browserLogin(port: number, username: string, password: string): Promise<string> {
  const response = await fetch(`http://127.0.0.1:${port}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: `http://localhost:${port}` },
    body: JSON.stringify({ username, password }),
  });
  if (!response.ok) throw new Error(`login failed: ${response.status} ${await response.text()}`);
  return response.headers.get('set-cookie')!.split(';')[0]!;
}

function openEditor(port: number, documentId: string, cookie: string) {
  const doc = new Y.Doc();
  class CookieSocket extends WebSocket {
    constructor(url: string) {
      super(url, { headers: { cookie, origin: `http://localhost:${port}` } });
    }
  }
  const provider = new WebsocketProvider(`ws://127.0.0.1:${port}/collab`, documentId, doc, {
    WebSocketPolyfill: CookieSocket as unknown as typeof globalThis.WebSocket,
    disableBc: true,
  });
  return { doc, provider };
}

describe('the server process', () => {
  it('seeds the demo, keeps edits across SIGTERM and a restart, and refuses a newer database', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'concord-proc-'));
    let server = await startServerProcess({ DATA_DIR: dataDir });
    await waitForHealth(server.port);
    expect(server.output()).toContain('Demo working group "CWG-AI" created');
    const credentials = readFileSync(join(dataDir, 'demo-credentials.txt'), 'utf8');
    const password = /^brazil\s+(\S+)/m.exec(credentials)![1]!;
    const cookie = await browserLogin(server.port, 'brazil', password);
    const group = (await (await fetch(`http://127.0.0.1:${server.port}/api/groups/cwg-ai`, { headers: { cookie } })).json()) as {
      documents: { id: string; symbol: string }[];
      delegations: unknown[];
    };
    expect(group.delegations.length).toBeGreaterThanOrEqual(6);
    const draft = group.documents.find((d) => d.symbol === 'CWG-AI/2')!;

    const editor = openEditor(server.port, draft.id, cookie);
    await until(() => editor.provider.synced, 'the demo document to load', 10_000);
    expect(textOf(editor.doc)).toContain('instructs the Secretary-General');
    // seeded as structure, not loose paragraphs: sections with keywords and provisions
    const structure = editor.doc.getXmlFragment(TEXT_FRAGMENT).toString();
    expect(structure).toContain('<section');
    expect(structure).toContain('<keyword');
    expect(structure).toContain('<provision');
    const fromBase = group.documents.find((d) => d.symbol === 'CWG-AI/3');
    expect(fromBase).toBeDefined();
    appendParagraph(editor.doc, 'Brazil proposes a new operative paragraph on capacity building');
    await new Promise((r) => setTimeout(r, 300));
    editor.provider.destroy();

    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    const db = new Database(join(dataDir, 'concord.db'), { readonly: true });
    const snapshot = db.prepare('SELECT count(*) AS n FROM document_snapshots WHERE document_id = ?').get(draft.id) as { n: number };
    db.close();
    expect(snapshot.n).toBe(1); // the open document was compacted on shutdown

    server = await startServerProcess({ DATA_DIR: dataDir });
    await waitForHealth(server.port);
    expect(server.output()).not.toContain('Demo working group');
    const again = openEditor(server.port, draft.id, await browserLogin(server.port, 'brazil', password));
    await until(() => textOf(again.doc).includes('capacity building'), 'the edit after restart', 10_000);
    again.provider.destroy();
    server.child.kill('SIGINT');
    expect(await server.exited).toBe(0);

    const future = new Database(join(dataDir, 'concord.db'));
    future.prepare("INSERT INTO schema_migrations (version, name) VALUES (9999, 'from_the_future')").run();
    future.close();
    server = await startServerProcess({ DATA_DIR: dataDir });
    expect(await server.exited).toBe(2);
    expect(server.output()).toMatch(/newer version of Concord/);
  }, 60_000);
});
