import * as Y from 'yjs';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import { HocuspocusProvider, HocuspocusProviderWebsocket } from '@hocuspocus/provider';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import type { Awareness } from 'y-protocols/awareness';
import type { ServerProcess } from './servers.ts';

/**
 * The load generator's clients (ARCHITECTURE.md §5: a few full Yjs clients measure, the rest only count):
 * - full clients use each server's own client — the stock y-websocket `WebsocketProvider` for
 *   Concord, the y-websocket server and the relay, `HocuspocusProvider` for Hocuspocus;
 * - silent clients are raw WebSockets that do the handshake and then only count frames, so that
 *   the generator measures the server rather than itself.
 * Each client connects from its own loopback address (127.1.x.y), as people in a room connect
 * from their own machines: per-address limits then apply per person, as they would in production.
 */

/** Frames and bytes received, shared by the clients of one workload. */
export interface Traffic {
  frames: number;
  bytes: number;
}

export const newTraffic = (): Traffic => ({ frames: 0, bytes: 0 });

let addresses = 0;
/** A loopback address of its own for the next client. */
function nextAddress(): string {
  const n = addresses++ % 60_000;
  return `127.1.${1 + Math.floor(n / 250)}.${1 + (n % 250)}`;
}

/** A `ws` WebSocket class for the providers: own local address, no compression, frames counted. */
function socketClass(traffic: Traffic): typeof WebSocket {
  const localAddress = nextAddress();
  class CountingSocket extends WebSocket {
    constructor(url: string, protocols?: string | string[]) {
      super(url, protocols ?? [], { localAddress, perMessageDeflate: false });
      // a provider destroyed while its socket is still connecting makes ws emit an error; the providers report errors themselves
      this.on('error', () => undefined);
      // the providers ask for ArrayBuffers
      this.on('message', (data: Buffer | ArrayBuffer) => {
        traffic.frames++;
        traffic.bytes += data.byteLength;
      });
    }
  }
  return CountingSocket as unknown as typeof WebSocket;
}

export interface FullClient {
  doc: Y.Doc;
  awareness: Awareness;
  /** Resolves once the client holds the server's state. */
  synced: Promise<void>;
  /** Times its connection closed (or failed to open); the providers reconnect by themselves. */
  closes: number;
  destroy(): void;
}

export interface FullClientOptions {
  /**
   * Reconnect after every close, also after the close codes the stock y-websocket provider takes
   * as final (4400–4499): an honest client under attack must come back (the hostile workload).
   */
  alwaysReconnect?: boolean;
}

export function fullClient(server: ServerProcess, index: number, traffic: Traffic, options: FullClientOptions = {}): FullClient {
  const doc = new Y.Doc();
  const document = server.documents[index]!;
  const WS = socketClass(traffic);
  if (server.name === 'hocuspocus') {
    // one socket per person, as each browser has its own
    const websocketProvider = new HocuspocusProviderWebsocket({ url: server.url(document), WebSocketPolyfill: WS });
    const provider = new HocuspocusProvider({ websocketProvider, name: document, document: doc, token: server.token });
    const synced = new Promise<void>((resolve) => provider.on('synced', () => resolve()));
    provider.attach();
    const client: FullClient = {
      doc,
      awareness: provider.awareness!,
      synced,
      closes: 0,
      destroy: () => {
        provider.destroy();
        websocketProvider.destroy();
        doc.destroy();
      },
    };
    // HocuspocusProviderWebsocket retries for ever by itself (backoff from 1 s up to 30 s)
    websocketProvider.on('close', () => client.closes++);
    return client;
  }
  // WebsocketProvider puts the room name after the URL: give it the URL without the document.
  const url = server.url(document);
  const [path, query] = url.split('?') as [string, string | undefined];
  const provider = new WebsocketProvider(path.slice(0, path.lastIndexOf('/')), document, doc, {
    WebSocketPolyfill: WS as unknown as typeof globalThis.WebSocket,
    params: Object.fromEntries(new URLSearchParams(query ?? '')),
    disableBc: true,
    ...(options.alwaysReconnect ? { shouldReconnect: () => true } : {}),
  });
  // Through the relay nobody answers for a server: peers answer each other, and the first one has
  // nobody to answer it, so "connected" is as synced as it gets.
  const synced =
    server.name === 'relay'
      ? new Promise<void>((resolve) => provider.on('status', ({ status }) => status === 'connected' && resolve()))
      : new Promise<void>((resolve) => provider.on('sync', (state) => state && resolve()));
  const client: FullClient = {
    doc,
    awareness: provider.awareness,
    synced,
    closes: 0,
    destroy: () => {
      provider.destroy();
      doc.destroy();
    },
  };
  provider.on('connection-close', () => client.closes++);
  return client;
}

/** What a received frame is: a document update, an awareness update, a sync reply, or else. */
export type FrameKind = 'update' | 'awareness' | 'sync-step-2' | 'other';

/** The kind of a frame and where its payload starts (Hocuspocus prefixes the document name). */
export function readFrame(server: ServerProcess, data: Uint8Array): { kind: FrameKind; decoder: decoding.Decoder } {
  const decoder = decoding.createDecoder(data);
  try {
    if (server.name === 'hocuspocus') decoding.readVarString(decoder);
    const type = decoding.readVarUint(decoder);
    if (type === 1) return { kind: 'awareness', decoder };
    if (type === 0) {
      const step = decoding.readVarUint(decoder);
      return { kind: step === 2 ? 'update' : step === 1 ? 'sync-step-2' : 'other', decoder };
    }
  } catch {
    // not a frame of the protocol
  }
  return { kind: 'other', decoder };
}

function frame(server: ServerProcess, document: string, body: (encoder: encoding.Encoder) => void): Uint8Array {
  const encoder = encoding.createEncoder();
  if (server.name === 'hocuspocus') encoding.writeVarString(encoder, document);
  body(encoder);
  return encoding.toUint8Array(encoder);
}

/** A raw client: opens, does the server's handshake (none through the relay), counts what it gets. */
export class SilentClient {
  readonly socket: WebSocket;
  readonly opened: Promise<void>;
  readonly received: Record<FrameKind, number> = { update: 0, awareness: 0, 'sync-step-2': 0, other: 0 };
  /** Called with every frame after it is counted. */
  onFrame: ((kind: FrameKind, decoder: decoding.Decoder, data: Uint8Array) => void) | null = null;

  constructor(
    readonly server: ServerProcess,
    index: number,
    traffic: Traffic,
  ) {
    const document = server.documents[index]!;
    this.socket = new WebSocket(server.url(document), { localAddress: nextAddress(), perMessageDeflate: false, maxPayload: 256 * 1024 * 1024 });
    this.opened = new Promise((resolve, reject) => {
      this.socket.once('open', () => resolve());
      this.socket.once('error', reject);
    });
    this.socket.on('error', () => undefined);
    this.socket.on('message', (data: Buffer) => {
      traffic.frames++;
      traffic.bytes += data.length;
      const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
      const { kind, decoder } = readFrame(server, bytes);
      this.received[kind]++;
      this.onFrame?.(kind, decoder, bytes);
    });
    void this.opened.then(
      () => {
        if (server.name === 'relay') return;
        if (server.name === 'hocuspocus') {
          this.send(
            frame(server, document, (e) => {
              encoding.writeVarUint(e, 2); // auth
              encoding.writeVarUint(e, 0); // token
              encoding.writeVarString(e, server.token);
            }),
          );
        }
        // Sync step 1 with an empty state vector: the server answers with its whole state.
        this.send(
          frame(server, document, (e) => {
            encoding.writeVarUint(e, 0);
            syncProtocol.writeSyncStep1(e, new Y.Doc());
          }),
        );
      },
      () => undefined,
    );
  }

  send(payload: Uint8Array): void {
    if (this.socket.readyState === WebSocket.OPEN) this.socket.send(payload);
  }

  close(): void {
    this.socket.terminate();
  }
}

/**
 * An awareness update for one client id: a cursor and the time it was sent (`sent`, on
 * performance.timeOrigin's clock), so a receiver in this process can tell how long it took.
 */
export function awarenessFrame(server: ServerProcess, index: number, clientId: number, clock: number, position: number): Uint8Array {
  const update = encoding.createEncoder();
  encoding.writeVarUint(update, 1);
  encoding.writeVarUint(update, clientId);
  encoding.writeVarUint(update, clock);
  const state = { user: { name: `bench ${clientId}` }, cursor: { anchor: position, head: position }, sent: performance.now() };
  encoding.writeVarString(update, JSON.stringify(state));
  const payload = encoding.toUint8Array(update);
  return frame(server, server.documents[index]!, (e) => {
    encoding.writeVarUint(e, 1);
    encoding.writeVarUint8Array(e, payload);
  });
}

/** The entries of a received awareness frame (after its type): client id, clock, state. */
export function readAwareness(decoder: decoding.Decoder): { clientId: number; clock: number; state: Record<string, unknown> | null }[] {
  const update = decoding.createDecoder(decoding.readVarUint8Array(decoder));
  const entries = [];
  for (let n = decoding.readVarUint(update); n > 0; n--) {
    const clientId = decoding.readVarUint(update);
    const clock = decoding.readVarUint(update);
    entries.push({ clientId, clock, state: JSON.parse(decoding.readVarString(update)) as Record<string, unknown> | null });
  }
  return entries;
}

/** Opens clients in batches, so the servers see a room filling up rather than a SYN flood. */
export async function openAll<T>(count: number, make: (i: number) => T, opened: (client: T) => Promise<void>, batch = 50): Promise<T[]> {
  const clients: T[] = [];
  for (let i = 0; i < count; i += batch) {
    const group = Array.from({ length: Math.min(batch, count - i) }, (_, j) => make(i + j));
    await Promise.all(group.map(opened));
    clients.push(...group);
  }
  return clients;
}
