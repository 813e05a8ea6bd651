import * as Y from 'yjs';
import type { WebSocket } from 'ws';
import { CLOSE } from '../../shared/protocol.ts';
import type { DocumentLog } from '../storage/document-log.ts';
import { DOCUMENT_SCHEMA_VERSION } from '../storage/documents.ts';
import { Connection } from './connection.ts';
import type { ConnectionLimits } from './connection.ts';
import type { Durability } from '../config.ts';
import type { Participant } from './identity.ts';
import { UpdateQueue } from './persistence.ts';
import { Room } from './room.ts';
import { UpdatePrechecker } from './update-precheck.ts';
import type { SenderExtra } from './room.ts';
import { writeTakenBack, writeUpdate } from './wire.ts';
import type { Node as PMNode } from 'prosemirror-model';
import { initProseMirrorDoc, updateYFragment } from 'y-prosemirror';
import { schema } from '../../shared/schema/index.ts';
import { TEXT_FRAGMENT } from '../../shared/protocol.ts';
import { strictDocument } from '../../shared/yjs/strict-document.ts';

/** Origin of the changes the server writes itself (chair's decisions): stored and sent to everyone. */
export const SERVER_ORIGIN = Symbol('concord-server');

export interface HubOptions extends ConnectionLimits {
  idleUnloadMs: number;
  pingIntervalMs: number;
  compactAfterUpdates: number;
  compactAfterBytes: number;
  /** When an accepted update is broadcast: synced to disk (default) or committed (persistence.ts). */
  durability?: Durability;
}

interface Logger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

/**
 * The collaboration hub: loads each document once into a room, stores every accepted update before
 * it is broadcast (group commit, fsync off the event loop, on disk or with CONCORD_DURABILITY=commit
 * committed: persistence.ts), compacts logs off the hot path, drops dead connections, unloads idle
 * documents and flushes everything on shutdown.
 */
export class Hub {
  readonly #rooms = new Map<string, Room>();
  readonly #queue: UpdateQueue;
  readonly #ping: NodeJS.Timeout;
  readonly #compactions = new Set<Room>();
  readonly #prechecker = new UpdatePrechecker();
  #compactTimer: NodeJS.Timeout | null = null;
  /** How many times a document was loaded from storage (a test proves loads are de-duplicated). */
  loads = 0;
  /** Set while Hub.change writes: stored with the update that change produces. */
  #alongside: (() => void) | null = null;
  /** The browser session each cookie-authenticated connection was opened with. */
  readonly #sessions = new WeakMap<Connection, string>();
  /** Counters for /api/metrics. */
  readonly counters = { updatesStored: 0, updateBytes: 0, refusals: 0, compensations: 0, resyncs: 0, malformed: 0, awarenessDropped: 0, connectionsOpened: 0 };

  constructor(
    private readonly log: DocumentLog,
    private readonly options: HubOptions,
    private readonly logger: Logger,
  ) {
    this.#queue = new UpdateQueue(log, options.durability ?? 'disk');
    this.#ping = setInterval(() => this.#pingAll(), options.pingIntervalMs);
    this.#ping.unref();
  }

  /**
   * Attaches an authenticated socket to the room of its document. `session` is the secret of the
   * browser session it was opened with (null for an API token): the socket ends with the session.
   */
  connect(socket: WebSocket, documentId: string, who: Participant, readOnly: boolean, session: string | null = null): Connection {
    const room = this.#room(documentId);
    if (room.idleTimer) {
      clearTimeout(room.idleTimer);
      room.idleTimer = null;
    }
    const connection = new Connection(socket, room, who, readOnly, this.options, {
      flushUpdates: () => this.#queue.flush(),
      prechecker: this.#prechecker,
      log: this.logger,
      counters: this.counters,
    });
    this.counters.connectionsOpened++;
    if (session !== null) this.#sessions.set(connection, session);
    socket.on('message', (data: Buffer, isBinary: boolean) => {
      if (!isBinary) {
        connection.close(CLOSE.malformed, 'text frames are not part of the protocol');
        return;
      }
      connection.receive(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
    });
    socket.on('pong', () => (connection.alive = true));
    socket.on('close', () => this.#disconnect(connection));
    socket.on('error', (error) => {
      this.logger.warn({ documentId, error: error.message }, 'connection error');
      socket.terminate();
    });
    connection.open();
    return connection;
  }

  /**
   * Closes the sockets a user opened with browser sessions that just ended: one session (logout) or
   * all of them (logout everywhere, a lost laptop). Sockets opened with API tokens stay. Returns
   * how many were closed.
   */
  signOut(userId: number, session?: string): number {
    let closed = 0;
    for (const room of this.#rooms.values()) {
      for (const connection of room.connections) {
        const opened = this.#sessions.get(connection);
        if (connection.who.userId !== userId || opened === undefined) continue;
        if (session !== undefined && opened !== session) continue;
        connection.close(CLOSE.signedOut, 'your session ended; sign in again');
        closed++;
      }
    }
    return closed;
  }

  /** People connected to a document now, one entry per user. */
  presence(documentId: string): Participant[] {
    const room = this.#rooms.get(documentId);
    if (!room) return [];
    const byUser = new Map<number, Participant>();
    for (const connection of room.connections) byUser.set(connection.who.userId, connection.who);
    return [...byUser.values()];
  }

  /** Rooms and connections now, for /api/metrics. */
  gauges(): { rooms: number; connections: number } {
    let connections = 0;
    for (const room of this.#rooms.values()) connections += room.connections.size;
    return { rooms: this.#rooms.size, connections };
  }

  /** Ids of the documents loaded in rooms now. */
  loadedDocuments(): string[] {
    return [...this.#rooms.keys()];
  }

  isLoaded(documentId: string): boolean {
    return this.#rooms.has(documentId);
  }

  /**
   * The current state of a document as one update: from its room when loaded (so it includes the
   * last keystrokes), else from storage.
   */
  state(documentId: string): Uint8Array {
    this.#queue.flush();
    const room = this.#rooms.get(documentId);
    return room ? Y.encodeStateAsUpdate(room.doc) : this.log.state(documentId);
  }

  /**
   * Changes a document as the server itself: reads the current text strictly, lets `change` compute
   * the next one, and writes the difference as one Yjs transaction (y-prosemirror's own diffing, so
   * only what changed is touched and concurrent typing elsewhere survives). The update is stored
   * before this returns and reaches every connection as an ordinary update.
   */
  change<T extends { doc: PMNode }>(documentId: string, change: (current: PMNode) => T, record?: (result: T & { before: PMNode }) => void): T & { before: PMNode } {
    const room = this.#room(documentId);
    const fragment = room.doc.getXmlFragment(TEXT_FRAGMENT);
    const before = strictDocument(fragment, schema);
    const result = { ...change(before), before };
    // What `record` writes is stored in the same transaction as the change: both or neither.
    const alongside = record ? () => record(result) : null;
    let recorded = false;
    if (!result.doc.eq(before)) {
      const { meta } = initProseMirrorDoc(fragment, schema);
      this.#alongside = alongside && (() => ((recorded = true), alongside()));
      try {
        room.doc.transact(() => updateYFragment(room.doc, fragment, result.doc, meta), SERVER_ORIGIN);
      } finally {
        this.#alongside = null;
      }
    }
    this.#queue.flush({ durable: true });
    if (this.#rooms.get(documentId) !== room) throw new Error('storing the change failed; nothing was changed');
    if (alongside && !recorded) this.log.transaction(alongside);
    if (room.connections.size === 0 && !room.idleTimer) this.#scheduleUnload(room);
    return result;
  }

  /**
   * Starts what the hub would otherwise start at its first need: the pre-check thread (its start-up
   * must not fall on the first large update, which may be a flood's: update-precheck.ts).
   */
  prepare(): void {
    this.#prechecker.start();
  }

  /** Flushes, compacts and closes everything: called on SIGINT/SIGTERM before the database closes. */
  close(): void {
    clearInterval(this.#ping);
    if (this.#compactTimer) clearTimeout(this.#compactTimer);
    this.#queue.flush({ durable: true });
    for (const room of this.#rooms.values()) {
      for (const connection of room.connections) connection.close(CLOSE.goingAway, 'server shutting down');
      this.#unload(room);
    }
    this.#queue.close();
    this.#prechecker.close();
  }

  #room(documentId: string): Room {
    let room = this.#rooms.get(documentId);
    if (room) return room;
    const loaded: Room = new Room(
      documentId,
      this.log.load(documentId),
      (update, origin, extra) => this.#accept(loaded, update, origin, extra),
      () => {
        this.#queue.flush();
        return this.log.load(documentId);
      },
    );
    this.loads++;
    this.#rooms.set(documentId, loaded);
    return loaded;
  }

  /**
   * An update the room's document accepted: store it, then broadcast it. A compensated one goes to
   * the others whole, and to its sender as the correction only, followed by the notice.
   */
  #accept(room: Room, update: Uint8Array, origin: unknown, extra: SenderExtra | null): void {
    const alongside = origin === SERVER_ORIGIN ? this.#alongside : null;
    this.#alongside = null; // one update per change
    this.#queue.enqueue({
      documentId: room.documentId,
      update,
      ...(alongside ? { alongside } : {}),
      stored: (id) => {
        this.counters.updatesStored++;
        this.counters.updateBytes += update.byteLength;
        room.log.lastStoredId = id;
        room.log.uncompactedUpdates++;
        room.log.uncompactedBytes += update.byteLength;
        room.log.bytes += update.byteLength;
        if (
          room.log.uncompactedUpdates >= this.options.compactAfterUpdates ||
          room.log.uncompactedBytes >= this.options.compactAfterBytes
        ) {
          this.#scheduleCompaction(room);
        }
      },
      release: () => {
        room.broadcastUpdate(update, origin);
        if (extra && origin instanceof Connection) {
          origin.send(writeUpdate(extra.correction));
          origin.send(writeTakenBack(extra.takenBack));
        }
      },
      failed: (error) => {
        // The room's document now holds an update storage does not: drop the room so everyone
        // reloads from storage and resends what they have.
        this.logger.error({ documentId: room.documentId, error: error.message }, 'storing an update failed; unloading document');
        for (const connection of room.connections) connection.close(CLOSE.internal, 'storage failed; reconnecting');
        this.#rooms.delete(room.documentId);
        room.destroy();
      },
    });
  }

  /** Compaction encodes the whole document, so it waits for a quiet moment rather than a keystroke. */
  #scheduleCompaction(room: Room): void {
    this.#compactions.add(room);
    if (this.#compactTimer) return;
    this.#compactTimer = setTimeout(() => {
      this.#compactTimer = null;
      const rooms = [...this.#compactions];
      this.#compactions.clear();
      this.#queue.flush();
      for (const r of rooms) if (this.#rooms.get(r.documentId) === r) this.compact(r.documentId);
    }, 250);
    this.#compactTimer.unref();
  }

  /** Replaces a loaded document's stored updates by one snapshot of its state. */
  compact(documentId: string): void {
    const room = this.#rooms.get(documentId);
    if (!room) return;
    this.#queue.flush();
    if (room.log.uncompactedUpdates === 0) return;
    const state = Y.encodeStateAsUpdate(room.doc);
    this.log.compact(documentId, state, room.log.lastStoredId, DOCUMENT_SCHEMA_VERSION);
    room.log.bytes = state.byteLength;
    room.log.uncompactedUpdates = 0;
    room.log.uncompactedBytes = 0;
  }

  #disconnect(connection: Connection): void {
    const room = connection.room;
    room.remove(connection);
    if (room.connections.size > 0 || this.#rooms.get(room.documentId) !== room) return;
    this.#scheduleUnload(room);
  }

  #scheduleUnload(room: Room): void {
    room.idleTimer = setTimeout(() => {
      room.idleTimer = null;
      if (room.connections.size === 0 && this.#rooms.get(room.documentId) === room) this.#unload(room);
    }, this.options.idleUnloadMs);
    room.idleTimer.unref();
  }

  #unload(room: Room): void {
    this.#queue.flush();
    try {
      this.compact(room.documentId);
    } catch (error) {
      this.logger.error({ documentId: room.documentId, error: (error as Error).message }, 'compaction on unload failed');
    }
    this.#rooms.delete(room.documentId);
    room.destroy();
  }

  #pingAll(): void {
    for (const room of this.#rooms.values()) {
      for (const connection of room.connections) {
        if (!connection.alive) {
          connection.socket.terminate();
          continue;
        }
        connection.alive = false;
        connection.socket.ping();
      }
    }
  }
}
