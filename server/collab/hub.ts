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
import type { RoomEvents, RoomStorage } from './room.ts';
import { UpdatePrechecker } from './update-precheck.ts';
import type { Node as PMNode } from 'prosemirror-model';
import { ServerChange } from './server-change.ts';
import { textOfState } from './document-text.ts';

/**
 * A document as the server opens it to change it (a chair's decision, restoring a version): `change`
 * reads the current text strictly, lets `next` compute the next one, and writes the difference as one
 * Yjs transaction (y-prosemirror's own diffing, so only what changed is touched and concurrent
 * typing elsewhere survives). `record` is stored in the same transaction as that update, or alone
 * when nothing changed; both are stored before `change` returns, and the update reaches every
 * connection as an ordinary one.
 */
export interface OpenDocument {
  change<T extends { doc: PMNode }>(next: (current: PMNode) => T, record?: (result: T & { before: PMNode }) => void): T & { before: PMNode };
}

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
 * The collaboration hub: the registry of rooms (each document loaded once), the transport (sockets
 * to connections), the timers (pings, compaction at a quiet moment, unloading idle rooms) and the
 * server's own access to documents (`open`, `read`). Rooms store through the group commit
 * (persistence.ts: fsync off the event loop, on disk or with CONCORD_DURABILITY=commit committed).
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
  readonly #storage: RoomStorage;
  readonly #roomEvents: RoomEvents;
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
    this.#storage = {
      store: (entry) => this.#queue.enqueue(entry),
      reload: (documentId) => {
        this.#queue.flush();
        return log.load(documentId);
      },
    };
    this.#roomEvents = {
      stored: (bytes) => {
        this.counters.updatesStored++;
        this.counters.updateBytes += bytes;
      },
      compactionDue: (room) => this.#scheduleCompaction(room),
      idle: (room) => {
        if (this.#rooms.get(room.documentId) === room) this.#unload(room);
      },
      failed: (room, error) => {
        // The room's document now holds an update storage does not: drop the room so everyone
        // reloads from storage and resends what they have.
        this.logger.error({ documentId: room.documentId, error: error.message }, 'storing an update failed; unloading document');
        room.closeAll(CLOSE.internal, 'storage failed; reconnecting');
        this.#rooms.delete(room.documentId);
        room.destroy();
      },
    };
    this.#ping = setInterval(() => this.#pingAll(), options.pingIntervalMs);
    this.#ping.unref();
  }

  /**
   * Attaches an authenticated socket to the room of its document. `session` is the secret of the
   * browser session it was opened with (null for an API token): the socket ends with the session.
   */
  connect(socket: WebSocket, documentId: string, who: Participant, readOnly: boolean, session: string | null = null): Connection {
    const room = this.#room(documentId);
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
    socket.on('close', () => room.leave(connection));
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
    return this.#rooms.get(documentId)?.present() ?? [];
  }

  /** Rooms and connections now, for /api/metrics. */
  gauges(): { rooms: number; connections: number } {
    let connections = 0;
    for (const room of this.#rooms.values()) connections += room.size;
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
    return room ? room.state() : this.log.state(documentId);
  }

  /**
   * The current text of a document, read strictly (a text that does not fit the schema throws a
   * StructureError rather than being shown differently): every server reader's one way in.
   */
  read(documentId: string): PMNode {
    const room = this.#rooms.get(documentId);
    return room ? room.read() : textOfState(this.state(documentId));
  }

  /** A document opened for a change by the server (its room is loaded for it). */
  open(documentId: string): OpenDocument {
    return {
      change: (next, record) => {
        const room = this.#room(documentId);
        const before = room.read();
        const result = { ...next(before), before };
        const origin = new ServerChange(record ? () => record(result) : null);
        if (!result.doc.eq(before)) room.write(result.doc, origin);
        this.#queue.flush({ durable: true });
        if (this.#rooms.get(documentId) !== room) throw new Error('storing the change failed; nothing was changed');
        // a change that changed nothing still records (a decision on brackets already gone, say)
        const alone = origin.take();
        if (alone) this.log.transaction(alone);
        room.unloadWhenIdle();
        return result;
      },
    };
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
      room.closeAll(CLOSE.goingAway, 'server shutting down');
      this.#unload(room);
    }
    this.#queue.close();
    this.#prechecker.close();
  }

  #room(documentId: string): Room {
    let room = this.#rooms.get(documentId);
    if (room) return room;
    room = new Room(documentId, this.log.load(documentId), this.#storage, this.#roomEvents, this.options);
    this.loads++;
    this.#rooms.set(documentId, room);
    return room;
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
    const snapshot = room.snapshot();
    if (!snapshot) return;
    this.log.compact(documentId, snapshot.state, snapshot.lastStoredId, DOCUMENT_SCHEMA_VERSION);
    room.compacted(snapshot.state.byteLength);
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
    for (const room of this.#rooms.values()) room.ping();
  }
}
