import type { Pool } from 'pg';
import type { PendingUpdate } from '../collab/persistence.ts';
import type { RoomStorage } from '../collab/room.ts';
import type { StoredDocument } from '../storage/document-log.ts';
import type { Lease, Ownership } from './ownership.ts';
import { inTransaction, OwnershipLost } from './ownership.ts';

/** Another instance owns the document now: its clients belong there (or are forwarded to it). */
export class OwnedElsewhere extends Error {
  constructor(readonly documentId: string) {
    super(`document ${documentId} is owned by another instance`);
  }
}

/** What this instance holds of a document it owns. */
interface Owned {
  lease: Lease;
  snapshot: Uint8Array | null;
  /** Everything stored (or waiting to be) after the snapshot, with its number once stored. */
  updates: { seq: number | null; update: Uint8Array }[];
  waiting: PendingUpdate[];
  writing: Promise<void> | null;
}

/**
 * A room's storage on PostgreSQL. This instance owns each document it serves (a lease renewed every
 * third of its TTL); each turn's updates of a document are appended in one transaction fenced by the
 * lease (ownership.ts), and released only once committed. A copy of what was stored is kept, so a
 * refused update is taken back without a round trip (the room's reload is synchronous). Losing the
 * lease, or a failed append, is reported: the room holding updates storage does not must be dropped.
 */
export class PostgresRoomStorage implements RoomStorage {
  readonly #owned = new Map<string, Owned>();
  readonly #renewal: NodeJS.Timeout;

  constructor(
    private readonly pool: Pool,
    private readonly ownership: Ownership,
    private readonly lost: (documentId: string, error: Error) => void,
  ) {
    this.#renewal = setInterval(() => void this.#renewAll(), Math.max(50, ownership.ttlMs / 3));
    this.#renewal.unref();
  }

  /** Takes the document's lease and loads what is stored; OwnedElsewhere while another instance holds it. */
  async open(documentId: string): Promise<StoredDocument> {
    const lease = await this.ownership.acquire(documentId);
    if (!lease) throw new OwnedElsewhere(documentId);
    const snapshot = await this.pool.query<{ data: Buffer; last_update_id: number }>('SELECT data, last_update_id FROM document_snapshots WHERE document_id = $1', [documentId]);
    const after = Number(snapshot.rows[0]?.last_update_id ?? 0);
    const rows = await this.pool.query<{ seq: string; data: Buffer }>('SELECT seq, data FROM document_updates WHERE document_id = $1 AND seq > $2 ORDER BY seq', [documentId, after]);
    const owned: Owned = {
      lease,
      snapshot: snapshot.rows[0] ? new Uint8Array(snapshot.rows[0].data) : null,
      updates: rows.rows.map((row) => ({ seq: Number(row.seq), update: new Uint8Array(row.data) })),
      waiting: [],
      writing: null,
    };
    this.#owned.set(documentId, owned);
    return this.reload(documentId);
  }

  store(entry: PendingUpdate): void {
    const owned = this.#owned.get(entry.documentId);
    if (!owned) {
      entry.failed(new OwnedElsewhere(entry.documentId));
      return;
    }
    if (entry.alongside) {
      // a chair's decision stores its record with its update: not yet on PostgreSQL
      entry.failed(new Error('decisions are not stored on PostgreSQL yet; nothing was changed'));
      return;
    }
    owned.updates.push({ seq: null, update: entry.update });
    owned.waiting.push(entry);
    if (!owned.writing) owned.writing = new Promise((resolve) => setImmediate(resolve)).then(() => this.#write(entry.documentId, owned));
  }

  /** Everything accepted so far, stored or on its way (the room replays it to take back a refused update). */
  reload(documentId: string): StoredDocument {
    const owned = this.#owned.get(documentId);
    if (!owned) throw new OwnedElsewhere(documentId);
    return { snapshot: owned.snapshot, updates: owned.updates.map((u) => u.update), lastUpdateId: owned.lease.seq };
  }

  /** Resolves once everything handed over so far is stored (or failed). */
  async flush(documentId: string): Promise<void> {
    while (this.#owned.get(documentId)?.writing) await this.#owned.get(documentId)!.writing;
  }

  /**
   * Replaces the stored updates up to `lastStoredId` by `state`, fenced like an append: an owner
   * that lost the lease compacts nothing, and a snapshot never goes back to an older one.
   */
  async compact(documentId: string, state: Uint8Array, lastStoredId: number, schemaVersion: number): Promise<void> {
    const owned = this.#owned.get(documentId);
    if (!owned) return;
    await inTransaction(this.pool, async (db) => {
      const fence = await db.query('SELECT 1 FROM document_owners WHERE document_id = $1 AND epoch = $2 FOR UPDATE', [documentId, owned.lease.epoch]);
      if (fence.rowCount !== 1) throw new OwnershipLost(documentId, 'taken over before compaction');
      await db.query(
        `INSERT INTO document_snapshots (document_id, data, last_update_id, schema_version, created_at) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (document_id) DO UPDATE SET data = excluded.data, last_update_id = excluded.last_update_id,
           schema_version = excluded.schema_version, created_at = excluded.created_at
         WHERE document_snapshots.last_update_id <= excluded.last_update_id`,
        [documentId, Buffer.from(state), lastStoredId, schemaVersion, Date.now()],
      );
      await db.query('DELETE FROM document_updates WHERE document_id = $1 AND seq <= $2', [documentId, lastStoredId]);
    });
    owned.snapshot = state;
    owned.updates = owned.updates.filter((u) => u.seq === null || u.seq > lastStoredId);
  }

  /** The room is unloaded: what is waiting is stored, then the lease is let go for the next owner. */
  async close(documentId: string): Promise<void> {
    await this.flush(documentId);
    const owned = this.#owned.get(documentId);
    if (!owned) return;
    this.#owned.delete(documentId);
    await this.ownership.release(owned.lease);
  }

  /** Stops renewing (shutdown, after every room closed). */
  stop(): void {
    clearInterval(this.#renewal);
  }

  async #write(documentId: string, owned: Owned): Promise<void> {
    const batch = owned.waiting;
    owned.waiting = [];
    try {
      const first = owned.lease.seq + 1;
      await this.ownership.append(
        owned.lease,
        batch.map((entry) => entry.update),
      );
      const pending = owned.updates.filter((u) => u.seq === null);
      pending.slice(0, batch.length).forEach((u, i) => (u.seq = first + i));
      batch.forEach((entry, i) => entry.stored(first + i));
      for (const entry of batch) entry.release();
    } catch (error) {
      for (const entry of [...batch, ...owned.waiting]) entry.failed(error as Error);
      owned.waiting = [];
      this.#owned.delete(documentId);
      this.lost(documentId, error as Error);
      owned.writing = null;
      return;
    }
    owned.writing = owned.waiting.length ? this.#write(documentId, owned) : null;
  }

  async #renewAll(): Promise<void> {
    for (const [documentId, owned] of this.#owned) {
      // false means taken over; an error (PostgreSQL unreachable) is tried again at the next round,
      // and if the lease ran out meanwhile, the next append finds out and stores nothing
      const renewed = await this.ownership.renew(owned.lease).catch(() => true);
      if (!renewed && this.#owned.get(documentId) === owned) {
        this.#owned.delete(documentId);
        this.lost(documentId, new OwnershipLost(documentId, 'the lease could not be renewed'));
      }
    }
  }
}
