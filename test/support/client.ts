import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import WebSocket from 'ws';
import * as decoding from 'lib0/decoding';
import { MESSAGE_TAKEN_BACK, TEXT_FRAGMENT } from '../../shared/protocol.ts';
import type { TakenBackNotice } from '../../shared/protocol.ts';
import type { TestServer } from './server.ts';

/** A stock y-websocket client in Node, authenticated by an API token as a script would be. */
export interface TestClient {
  doc: Y.Doc;
  provider: WebsocketProvider;
  /** Close events seen by the provider's sockets, newest last. */
  closes: { code: number; reason: string }[];
  /** What the server said it took back of this client's updates, oldest first. */
  notices: TakenBackNotice[];
  destroy(): void;
}

export function connect(server: TestServer, username: string, documentId = server.documentId): TestClient {
  const doc = new Y.Doc();
  const closes: { code: number; reason: string }[] = [];
  const provider = new WebsocketProvider(server.wsUrl, documentId, doc, {
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    params: { token: server.users[username]!.token },
    disableBc: true,
    maxBackoffTime: 200,
  });
  const notices: TakenBackNotice[] = [];
  provider.messageHandlers[MESSAGE_TAKEN_BACK] = (_encoder, decoder) => {
    notices.push(JSON.parse(decoding.readVarString(decoder)) as TakenBackNotice);
  };
  provider.on('connection-close', (event: CloseEvent | null) => {
    if (event) closes.push({ code: event.code, reason: String(event.reason) });
  });
  return {
    doc,
    provider,
    closes,
    notices,
    destroy() {
      provider.destroy();
      doc.destroy();
    },
  };
}

/** Resolves when `check` holds, polling; fails with `what` after `ms`. */
export async function until(check: () => boolean, what: string, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

export async function synced(client: TestClient): Promise<void> {
  await until(() => client.provider.synced, 'the client to sync');
}

/** Appends a paragraph to the document's text, as the editor would. */
export function appendParagraph(doc: Y.Doc, text: string): void {
  const fragment = doc.getXmlFragment(TEXT_FRAGMENT);
  doc.transact(() => {
    const paragraph = new Y.XmlElement('paragraph');
    paragraph.insert(0, [new Y.XmlText(text)]);
    fragment.push([paragraph]);
  });
}

/** Inserts text at `index` of the first paragraph. */
export function typeInFirstParagraph(doc: Y.Doc, index: number, text: string): void {
  const paragraph = doc.getXmlFragment(TEXT_FRAGMENT).get(0) as Y.XmlElement;
  (paragraph.get(0) as Y.XmlText).insert(index, text);
}

export function textOf(doc: Y.Doc): string {
  return doc.getXmlFragment(TEXT_FRAGMENT).toString();
}

/** The document as stored in SQLite (not the room in memory). */
export function storedDoc(server: TestServer, documentId = server.documentId): Y.Doc {
  return server.stores.log.replay(documentId);
}

export function storedText(server: TestServer, documentId = server.documentId): string {
  const doc = storedDoc(server, documentId);
  const text = textOf(doc);
  doc.destroy();
  return text;
}

/** How far storage goes, per Yjs client: an update a client saw must be at or below this. */
export function storedStateVector(server: TestServer, documentId = server.documentId): Map<number, number> {
  const doc = storedDoc(server, documentId);
  const vector = Y.decodeStateVector(Y.encodeStateVector(doc));
  doc.destroy();
  return vector;
}

/** Opens a raw WebSocket upgrade and reports the HTTP status it was refused with, or 101. */
export function upgradeStatus(url: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { headers });
    socket.on('open', () => {
      socket.close();
      resolve(101);
    });
    socket.on('unexpected-response', (_request, response) => {
      resolve(response.statusCode ?? 0);
      socket.terminate();
    });
    socket.on('error', (error) => {
      if (!/Unexpected server response/.test(error.message)) reject(error);
    });
  });
}
