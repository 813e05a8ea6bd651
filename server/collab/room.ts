import * as Y from 'yjs';
import { Awareness, applyAwarenessUpdate, encodeAwarenessUpdate, removeAwarenessStates } from 'y-protocols/awareness';
import type { Connection } from './connection.ts';
import { writeAwareness, writeSyncStep2, writeUpdate } from './wire.ts';
import type { StoredDocument } from '../storage/document-log.ts';
import { UpdateGuard } from './update-guard.ts';
import type { GuardRefusal, TakenBack } from './update-guard.ts';
import { discardPending, hasPending, unplaceable } from './placeable.ts';
import type { Actor } from '../../shared/brackets/rules.ts';

/** The shortest time between two awareness frames of a room (cursors move at most 25 times a second). */
const AWARENESS_INTERVAL_MS = 40;

/** Below this size the whole document encodes in well under a millisecond: not worth keeping a copy. */
const FULL_SYNC_CACHE_MIN_BYTES = 32 * 1024;

/**
 * What became of a participant's update: applied as sent; applied with what broke a rule taken
 * back; refused whole (nothing of it applied); or not applied because it depends on content the
 * server does not have yet (the sender is asked for it: GUARD.md).
 */
export type RoomVerdict =
  | { kind: 'accepted' }
  | { kind: 'compensated'; takenBack: TakenBack }
  | { kind: 'refused'; refusal: GuardRefusal }
  | { kind: 'unplaceable'; reason: string };

/** For a compensated update: what its sender gets instead of the merged update (the correction only), and the notice. */
export interface SenderExtra {
  correction: Uint8Array;
  takenBack: TakenBack;
}

/** Room counters the hub reads to decide on compaction. */
export interface RoomLogState {
  lastStoredId: number;
  uncompactedUpdates: number;
  uncompactedBytes: number;
  /** Bytes the document takes in storage (its snapshot and the updates after it): the size cap is on this. */
  bytes: number;
}

/**
 * One loaded document and the connections editing it. The room only holds state and moves
 * bytes: policy (who may write, identity stamping) is in the connection, storage in the hub.
 */
export class Room {
  readonly awareness: Awareness;
  readonly connections = new Set<Connection>();
  /** Which connection controls each awareness client id: nobody may speak for another's id. */
  readonly awarenessOwners = new Map<number, Connection>();
  readonly log: RoomLogState;
  idleTimer: NodeJS.Timeout | null = null;
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
    else this.accepted(update, origin, null);
  };

  /**
   * `accepted` gets every update the document takes (a participant's once the rules allowed it, the
   * server's own at once): the hub stores, then broadcasts it. `reload` reads the document from
   * storage again, with everything accepted so far: a refused update is undone that way.
   */
  constructor(
    readonly documentId: string,
    stored: StoredDocument,
    private readonly accepted: (update: Uint8Array, origin: unknown, extra: SenderExtra | null) => void,
    private readonly reload: () => StoredDocument,
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
    let judgement;
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
      for (const [accepted, from] of held) this.accepted(accepted, from, null);
      return { kind: 'accepted' };
    }
    // Stored and sent as one update, so nobody ever sees what was taken back; the sender gets the correction.
    const merged = held.length === 1 ? held[0]![0] : Y.mergeUpdates(held.map(([u]) => u));
    const corrections = held.filter(([, from]) => from !== origin).map(([u]) => u);
    const correction = corrections.length === 1 ? corrections[0]! : Y.mergeUpdates(corrections);
    this.accepted(merged, origin, { correction, takenBack: judgement.takenBack });
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

  /** Forgets a closed connection and removes its cursors for everyone. */
  remove(connection: Connection): void {
    this.connections.delete(connection);
    const owned = [...this.awarenessOwners].filter(([, owner]) => owner === connection).map(([id]) => id);
    for (const id of owned) this.awarenessOwners.delete(id);
    if (owned.length) removeAwarenessStates(this.awareness, owned, 'closed');
  }

  destroy(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
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
    this.#load(this.reload());
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
