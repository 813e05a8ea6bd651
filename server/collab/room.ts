import * as Y from 'yjs';
import { Awareness, applyAwarenessUpdate, encodeAwarenessUpdate, removeAwarenessStates } from 'y-protocols/awareness';
import type { Connection } from './connection.ts';
import { writeAwareness, writeSyncStep2, writeTakenBack, writeUpdate } from './wire.ts';
import type { StoredDocument } from '../storage/document-log.ts';
import type { PendingUpdate } from './persistence.ts';
import { ServerChange } from './server-change.ts';
import { UpdateGuard } from './update-guard.ts';
import type { GuardRefusal, TakenBack } from './update-guard.ts';
import { discardPending, hasPending, unplaceable } from './placeable.ts';
import type { Actor } from '../../shared/brackets/rules.ts';
import type { Node as PMNode } from 'prosemirror-model';
import { initProseMirrorDoc, updateYFragment } from 'y-prosemirror';
import { schema } from '../../shared/schema/index.ts';
import { TEXT_FRAGMENT } from '../../shared/protocol.ts';
import { strictDocument } from '../../shared/yjs/strict-document.ts';
import type { Participant } from './identity.ts';

/** The shortest time between two awareness frames of a room (cursors move at most 25 times a second). */
const AWARENESS_INTERVAL_MS = 40;

/** Below this size the whole document encodes in well under a millisecond: not worth keeping a copy. */
const FULL_SYNC_CACHE_MIN_BYTES = 32 * 1024;

/**
 * What became of a participant's update: applied as sent; applied with what broke a rule taken
 * back; refused whole (nothing of it applied); or not applied because it depends on content the
 * server does not have yet (the sender is asked for it: GUARD.md).
 */
export type RoomVerdict = { kind: 'accepted' } | { kind: 'compensated'; takenBack: TakenBack } | { kind: 'refused'; refusal: GuardRefusal } | { kind: 'unplaceable'; reason: string };

/** For a compensated update: what its sender gets instead of the merged update (the correction only), and the notice. */
export interface SenderExtra {
  correction: Uint8Array;
  takenBack: TakenBack;
}

/**
 * What a room needs of storage: store an update with what goes alongside it (then release it, or
 * say it failed), and read the document back with everything stored so far. SQLite's group commit
 * implements it (hub.ts); so can any store that keeps an update log.
 */
export interface RoomStorage {
  store(entry: PendingUpdate): void;
  reload(documentId: string): StoredDocument;
}

/** What a room tells the hub that keeps it. */
export interface RoomEvents {
  /** An update was stored (for the metrics). */
  stored(bytes: number): void;
  /** Enough was stored since the last snapshot: compact when the room is quiet. */
  compactionDue(room: Room): void;
  /** Nobody has been in the room for the idle time: it may be unloaded. */
  idle(room: Room): void;
  /** Storing failed: the room holds an update storage does not, and must be dropped. */
  failed(room: Room, error: Error): void;
}

export interface RoomOptions {
  idleUnloadMs: number;
  compactAfterUpdates: number;
  compactAfterBytes: number;
}

/** Room counters: what is stored since the last snapshot, and how big the stored document is. */
export interface RoomLogState {
  lastStoredId: number;
  uncompactedUpdates: number;
  uncompactedBytes: number;
  /** Bytes the document takes in storage (its snapshot and the updates after it): the size cap is on this. */
  bytes: number;
}

/**
 * One loaded document and the connections editing it: it judges each update (update-guard.ts),
 * hands what it accepts to storage and broadcasts it once stored, and keeps its own counters and
 * timers. Policy for one participant (who may write, identity stamping) is in the connection; the
 * room knows storage only through RoomStorage.
 */
export class Room {
  readonly awareness: Awareness;
  readonly connections = new Set<Connection>();
  /** Which connection controls each awareness client id: nobody may speak for another's id. */
  readonly awarenessOwners = new Map<number, Connection>();
  readonly log: RoomLogState;
  #idleTimer: NodeJS.Timeout | null = null;
  #doc!: Y.Doc;
  /**
   * Made just after the first sync answer has gone out (so a page opening a document does not wait
   * for it), or at the first write if that comes sooner.
   */
  #guard: UpdateGuard | null = null;
  #guardSoon: NodeJS.Immediate | null = null;
  /**
   * While the guard judges an update: what the document emitted, sent on only if it is accepted.
   * Each with its own origin: Yjs may tidy formatting in a transaction of its own, which the sender
   * must get too.
   */
  #held: [Uint8Array, unknown][] | null = null;
  #awarenessChanged = new Set<number>();
  #awarenessTimer: NodeJS.Timeout | NodeJS.Immediate | null = null;
  #awarenessSentAt = -Infinity;
  /** The sync step 2 for a client that has nothing, while the document does not change (large documents only). */
  #fullSync: Uint8Array | null = null;
  readonly #updated = (update: Uint8Array, origin: unknown): void => {
    this.#fullSync = null;
    if (this.#held) this.#held.push([update, origin]);
    else this.#accepted(update, origin, null);
  };

  constructor(
    readonly documentId: string,
    stored: StoredDocument,
    private readonly storage: RoomStorage,
    private readonly events: RoomEvents,
    private readonly options: RoomOptions,
  ) {
    this.#load(stored);
    const bytes = (stored.snapshot?.byteLength ?? 0) + stored.updates.reduce((sum, u) => sum + u.byteLength, 0);
    this.log = { lastStoredId: stored.lastUpdateId, uncompactedUpdates: stored.updates.length, uncompactedBytes: 0, bytes };
    this.awareness = new Awareness(this.#doc);
    this.awareness.setLocalState(null);
    this.awareness.on('update', ({ added, updated, removed }: AwarenessChange) => {
      for (const id of [...added, ...updated, ...removed]) this.#awarenessChanged.add(id);
      this.#scheduleAwareness();
    });
  }

  /** The document as every participant has it (replaced, not changed, when an update is refused). */
  get doc(): Y.Doc {
    return this.#doc;
  }

  /**
   * Applies a participant's update as far as the rules allow (update-guard.ts). An undecodable
   * update throws, and nothing of it stays.
   */
  applyChecked(update: Uint8Array, actor: Actor, origin: unknown, prechecked = false): RoomVerdict {
    // An empty update (a client's sync step 2 when it has nothing new) changes nothing.
    if (update.length === 2 && update[0] === 0 && update[1] === 0) return { kind: 'accepted' };
    // (A large update was checked off the event loop already: update-precheck.ts.)
    const missing = prechecked ? null : unplaceable(update, (client) => this.clockOf(client));
    if (missing) return { kind: 'unplaceable', reason: missing };
    this.#guard ??= new UpdateGuard(this.#doc);
    const held: [Uint8Array, unknown][] = [];
    this.#held = held;
    let judgement: ReturnType<UpdateGuard['judge']>;
    try {
      judgement = this.#guard.judge(update, actor, origin);
    } catch (error) {
      this.#held = null;
      this.#undo();
      throw error;
    }
    this.#held = null;
    if (hasPending(this.#doc)) {
      // Placeable by the check above, yet Yjs kept part of it aside: never integrated later for someone else.
      this.#undo();
      return { kind: 'unplaceable', reason: 'it refers to content the server does not have' };
    }
    if (judgement.verdict === 'refused') {
      this.#undo();
      return { kind: 'refused', refusal: judgement.refusal };
    }
    if (judgement.verdict === 'accepted') {
      for (const [accepted, from] of held) this.#accepted(accepted, from, null);
      return { kind: 'accepted' };
    }
    // Stored and sent as one update, so nobody ever sees what was taken back; the sender gets the correction.
    const merged = held.length === 1 ? held[0]![0] : Y.mergeUpdates(held.map(([u]) => u));
    const corrections = held.filter(([, from]) => from !== origin).map(([u]) => u);
    const correction = corrections.length === 1 ? corrections[0]! : Y.mergeUpdates(corrections);
    this.#accepted(merged, origin, { correction, takenBack: judgement.takenBack });
    return { kind: 'compensated', takenBack: judgement.takenBack };
  }

  /** How far the document goes for one Yjs client (no copy of the whole state vector, on every keystroke). */
  clockOf(client: number): number {
    return Y.getState(this.#doc.store, client);
  }

  /** How far the document goes, per Yjs client. */
  stateVector(): Map<number, number> {
    return Y.decodeStateVector(Y.encodeStateVector(this.#doc));
  }

  /**
   * The answer to a client's sync step 1. A client with an empty state vector (a page opening the
   * document) gets the whole document: for a large one it is encoded once per change of the text,
   * not once per client, so a room full of delegates opening a long text at 9:00 costs one encode.
   */
  syncStep2(stateVector: Uint8Array): Uint8Array {
    const empty = stateVector.length === 1 && stateVector[0] === 0;
    if (empty && this.#fullSync) return this.#fullSync;
    const frame = writeSyncStep2(this.#doc, stateVector);
    if (empty && frame.byteLength >= FULL_SYNC_CACHE_MIN_BYTES) this.#fullSync = frame;
    if (!this.#guard && !this.#guardSoon) {
      this.#guardSoon = setImmediate(() => {
        this.#guardSoon = null;
        this.#guard ??= new UpdateGuard(this.#doc);
      });
    }
    return frame;
  }

  /** Sends one encoded update frame to every connection but the one it came from. */
  broadcastUpdate(update: Uint8Array, origin: unknown): void {
    const frame = writeUpdate(update);
    for (const connection of this.connections) if (connection !== origin) connection.send(frame);
  }

  /** The full awareness of the room as one frame, or null when nobody has a state. */
  awarenessFrame(): Uint8Array | null {
    const ids = [...this.awareness.getStates().keys()];
    return ids.length ? writeAwareness(encodeAwarenessUpdate(this.awareness, ids)) : null;
  }

  applyAwareness(update: Uint8Array, origin: Connection): void {
    applyAwarenessUpdate(this.awareness, update, origin);
  }

  /** A connection enters: the room is in use again. */
  join(connection: Connection): void {
    this.connections.add(connection);
    if (this.#idleTimer) clearTimeout(this.#idleTimer);
    this.#idleTimer = null;
  }

  /** Forgets a closed connection and removes its cursors for everyone; the last one out starts the idle time. */
  leave(connection: Connection): void {
    this.connections.delete(connection);
    const owned = [...this.awarenessOwners].filter(([, owner]) => owner === connection).map(([id]) => id);
    for (const id of owned) this.awarenessOwners.delete(id);
    if (owned.length) removeAwarenessStates(this.awareness, owned, 'closed');
    this.unloadWhenIdle();
  }

  /** Tells the hub once nobody has been here for the idle time (a room the server changed with nobody in it, too). */
  unloadWhenIdle(): void {
    if (this.connections.size > 0 || this.#idleTimer) return;
    this.#idleTimer = setTimeout(() => {
      this.#idleTimer = null;
      if (this.connections.size === 0) this.events.idle(this);
    }, this.options.idleUnloadMs);
    this.#idleTimer.unref();
  }

  /** How many connections are in the room. */
  get size(): number {
    return this.connections.size;
  }

  /** People in the room now, one entry per user (a delegate with two tabs is there once). */
  present(): Participant[] {
    const byUser = new Map<number, Participant>();
    for (const connection of this.connections) byUser.set(connection.who.userId, connection.who);
    return [...byUser.values()];
  }

  /** Sends every connection a ping; one that did not answer the last is dropped (it resyncs when back). */
  ping(): void {
    for (const connection of this.connections) {
      if (!connection.alive) {
        connection.socket.terminate();
        continue;
      }
      connection.alive = false;
      connection.socket.ping();
    }
  }

  closeAll(code: number, reason: string): void {
    for (const connection of this.connections) connection.close(code, reason);
  }

  /** The current text, read strictly (a StructureError if it does not fit the schema). */
  read(): PMNode {
    return strictDocument(this.#doc.getXmlFragment(TEXT_FRAGMENT), schema);
  }

  /**
   * Writes `next` as the difference from the current text, in one Yjs transaction (y-prosemirror's
   * own diffing: only what changed is touched, concurrent typing elsewhere survives). The update is
   * stored and broadcast like any accepted one, with what `origin` carries.
   */
  write(next: PMNode, origin: ServerChange): void {
    const fragment = this.#doc.getXmlFragment(TEXT_FRAGMENT);
    const { meta } = initProseMirrorDoc(fragment, schema);
    this.#doc.transact(() => updateYFragment(this.#doc, fragment, next, meta), origin);
  }

  /** The whole document as one update (it includes the last keystrokes). */
  state(): Uint8Array {
    return Y.encodeStateAsUpdate(this.#doc);
  }

  /** The whole state to store as a snapshot, or null when nothing was stored since the last one. */
  snapshot(): { state: Uint8Array; lastStoredId: number } | null {
    return this.log.uncompactedUpdates === 0 ? null : { state: Y.encodeStateAsUpdate(this.#doc), lastStoredId: this.log.lastStoredId };
  }

  /** The room's document was compacted into one snapshot of `bytes`. */
  compacted(bytes: number): void {
    this.log.bytes = bytes;
    this.log.uncompactedUpdates = 0;
    this.log.uncompactedBytes = 0;
  }

  destroy(): void {
    if (this.#idleTimer) clearTimeout(this.#idleTimer);
    if (this.#guardSoon) clearImmediate(this.#guardSoon);
    if (this.#awarenessTimer) {
      clearTimeout(this.#awarenessTimer as NodeJS.Timeout);
      clearImmediate(this.#awarenessTimer as NodeJS.Immediate);
    }
    this.awareness.destroy();
    this.#guard?.destroy();
    this.#doc.destroy();
    if (this.awareness.doc !== this.#doc) this.awareness.doc.destroy();
  }

  /**
   * An update the document took: stored (with a server change's record), then broadcast. A
   * compensated one goes to the others whole, and to its sender as the correction only, followed
   * by the notice.
   */
  #accepted(update: Uint8Array, origin: unknown, extra: SenderExtra | null): void {
    this.storage.store({
      documentId: this.documentId,
      update,
      alongside: origin instanceof ServerChange ? origin.take() : undefined,
      stored: (id) => {
        this.events.stored(update.byteLength);
        this.log.lastStoredId = id;
        this.log.uncompactedUpdates++;
        this.log.uncompactedBytes += update.byteLength;
        this.log.bytes += update.byteLength;
        if (this.log.uncompactedUpdates >= this.options.compactAfterUpdates || this.log.uncompactedBytes >= this.options.compactAfterBytes) {
          this.events.compactionDue(this);
        }
      },
      release: () => {
        this.broadcastUpdate(update, origin);
        const sender = origin as Connection | null;
        if (extra && sender) {
          sender.send(writeUpdate(extra.correction));
          sender.send(writeTakenBack(extra.takenBack));
        }
      },
      failed: (error) => this.events.failed(this, error),
    });
  }

  #load(stored: StoredDocument): void {
    const doc = new Y.Doc({ gc: true });
    doc.transact(() => {
      if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot);
      for (const update of stored.updates) Y.applyUpdate(doc, update);
    }, 'storage');
    // Stored before the server refused unplaceable updates: never judged, so never integrated.
    discardPending(doc);
    doc.on('update', this.#updated);
    this.#doc = doc;
  }

  /**
   * Takes back a refused update: the document is read again from storage, which holds everything
   * accepted and nothing refused. Participants never saw the refused update, so their copies still
   * fit the new one. Costs one load of the document, only on a refusal.
   */
  #undo(): void {
    const refused = this.#doc;
    this.#guard?.destroy();
    this.#guard = null;
    this.#fullSync = null;
    this.#load(this.storage.reload(this.documentId));
    // The awareness keeps the document it was made with (it only reads its client id).
    refused.off('update', this.#updated);
    if (refused !== this.awareness.doc) refused.destroy();
  }

  /**
   * Awareness changes go out as one frame to everyone, at most one frame per room every
   * AWARENESS_INTERVAL_MS: a lone cursor move is sent at once (at the end of the turn), but a room of
   * 200 moving cursors sends one frame carrying all of them per interval to each connection, not one
   * per cursor — the cost of a storm grows with the room, not with the room squared.
   */
  #scheduleAwareness(): void {
    if (this.#awarenessTimer) return;
    const send = () => {
      this.#awarenessTimer = null;
      const ids = [...this.#awarenessChanged];
      this.#awarenessChanged.clear();
      if (ids.length === 0 || this.connections.size === 0) return;
      this.#awarenessSentAt = performance.now();
      const frame = writeAwareness(encodeAwarenessUpdate(this.awareness, ids));
      for (const connection of this.connections) connection.send(frame);
    };
    const wait = this.#awarenessSentAt + AWARENESS_INTERVAL_MS - performance.now();
    this.#awarenessTimer = wait > 0 ? setTimeout(send, wait) : setImmediate(send);
  }
}

interface AwarenessChange {
  added: number[];
  updated: number[];
  removed: number[];
}
