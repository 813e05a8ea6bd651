import * as Y from 'yjs';
import type { Db } from './database.ts';
import { discardPending } from '../collab/placeable.ts';

/** What is stored of one document: the latest snapshot (if any) and the updates after it. */
export interface StoredDocument {
  snapshot: Uint8Array | null;
  updates: Uint8Array[];
  /** Id of the last stored row (snapshot or update); 0 for a document never written. */
  lastUpdateId: number;
}

/**
 * A stored document applied to a fresh Y.Doc as it is, content Yjs could not place kept aside
 * (pending): for the start-up migration, which reports and discards it. Everyone else replays.
 */
export function docOf(stored: StoredDocument): Y.Doc {
  const doc = new Y.Doc();
  doc.transact(() => {
    if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot);
    for (const update of stored.updates) Y.applyUpdate(doc, update);
  });
  return doc;
}

/**
 * The Yjs update log of documents in SQLite: updates are appended as the server applies them and
 * compacted into one snapshot row from time to time. Only updates the server has applied are ever
 * stored, so loading never meets bytes Yjs cannot read.
 */
export class DocumentLog {
  readonly #insert;
  readonly #selectUpdates;
  readonly #selectSnapshot;
  readonly #upsertSnapshot;
  readonly #deleteUpTo;
  readonly #stats;
  readonly #synchronous;
  /** Told of every commit of the log (the checkpoint thread counts them). */
  onCommit: (() => void) | null = null;

  constructor(private readonly db: Db) {
    this.#insert = db.prepare('INSERT INTO document_updates (document_id, data, created_at) VALUES (?, ?, ?)');
    this.#selectUpdates = db.prepare('SELECT id, data FROM document_updates WHERE document_id = ? ORDER BY id');
    this.#selectSnapshot = db.prepare('SELECT data, last_update_id FROM document_snapshots WHERE document_id = ?');
    this.#upsertSnapshot = db.prepare(`INSERT INTO document_snapshots (document_id, data, last_update_id, schema_version, created_at)
      VALUES (?, ?, ?, ?, ?)
      ON CONFLICT (document_id) DO UPDATE SET data = excluded.data, last_update_id = excluded.last_update_id,
        schema_version = excluded.schema_version, created_at = excluded.created_at`);
    this.#deleteUpTo = db.prepare('DELETE FROM document_updates WHERE document_id = ? AND id <= ?');
    this.#synchronous = { normal: db.prepare('PRAGMA synchronous = NORMAL'), full: db.prepare('PRAGMA synchronous = FULL') };
    this.#stats = db.prepare('SELECT count(*) AS count, coalesce(sum(length(data)), 0) AS bytes FROM document_updates WHERE document_id = ?');
  }

  load(documentId: string): StoredDocument {
    const snapshot = this.#selectSnapshot.get(documentId) as { data: Buffer; last_update_id: number } | undefined;
    const rows = this.#selectUpdates.all(documentId) as { id: number; data: Buffer }[];
    return {
      snapshot: snapshot ? new Uint8Array(snapshot.data) : null,
      updates: rows.map((row) => new Uint8Array(row.data)),
      lastUpdateId: rows.at(-1)?.id ?? snapshot?.last_update_id ?? 0,
    };
  }

  /** The id of the newest stored update (or of the last one compacted), 0 for an empty log: changes whenever the text does. */
  lastUpdateId(documentId: string): number {
    const row = this.db
      .prepare(
        `SELECT max(coalesce((SELECT max(id) FROM document_updates WHERE document_id = @id), 0),
                  coalesce((SELECT last_update_id FROM document_snapshots WHERE document_id = @id), 0)) AS id`,
      )
      .get({ id: documentId }) as { id: number };
    return row.id;
  }

  /**
   * The stored document as a fresh Y.Doc (the caller destroys it), without what Yjs could not
   * place: a document stored before the server refused such content may hold some, never judged,
   * and no reader may integrate it (a later update could fill the gap).
   */
  replay(documentId: string): Y.Doc {
    const doc = docOf(this.load(documentId));
    discardPending(doc);
    return doc;
  }

  /** The stored document as one update. */
  state(documentId: string): Uint8Array {
    const doc = this.replay(documentId);
    const state = Y.encodeStateAsUpdate(doc);
    doc.destroy();
    return state;
  }

  /** Runs `work` in one transaction of the log's database. */
  transaction(work: () => void): void {
    this.db.transaction(work)();
  }

  /**
   * Appends updates of any documents in one transaction (one fsync) and returns the row ids. An
   * entry's `alongside` writes what must be stored with that update or not at all (the log entry of
   * a chair's decision), in the same transaction. With `sync: false` the commit does not wait for
   * the disk (the WAL is written, not synced): whoever asks so syncs the WAL before relying on it.
   */
  append(entries: readonly { documentId: string; update: Uint8Array; alongside?: () => void }[], options: { sync?: boolean } = {}): number[] {
    const now = Date.now();
    const write = this.db.transaction(() =>
      entries.map(({ documentId, update, alongside }) => {
        const id = Number(this.#insert.run(documentId, update, now).lastInsertRowid);
        alongside?.();
        return id;
      }),
    );
    // Without sync, the caller syncs the WAL itself, off the event loop (server/collab/persistence.ts).
    const ids = options.sync !== false ? write() : this.#withoutWaitingForDisk(write);
    this.onCommit?.();
    return ids;
  }

  /** The database file ('' or ':memory:' when in memory): its WAL is `${file}-wal`. */
  get file(): string {
    return this.db.name;
  }

  /**
   * Replaces the updates up to `lastUpdateId` by `state`, their merge, in one transaction: a crash
   * leaves either the old rows or the new snapshot, never neither. `alongside` writes what must be
   * stored with the snapshot or not at all (a migrated document's schema version). Never call it
   * inside another transaction: SQLite refuses to change the sync level there.
   */
  compact(documentId: string, state: Uint8Array, lastUpdateId: number, schemaVersion: number, alongside?: () => void): void {
    const write = this.db.transaction(() => {
      this.#upsertSnapshot.run(documentId, state, lastUpdateId, schemaVersion, Date.now());
      this.#deleteUpTo.run(documentId, lastUpdateId);
      alongside?.();
    });
    // Not waiting for the disk: should a power cut lose the commit, the rows it replaced are still
    // there, so the document is the same either way; the next sync of the WAL makes it durable.
    this.#withoutWaitingForDisk(write);
  }

  /** Commits `write` with synchronous=NORMAL (the WAL is written, not synced), then back to FULL. */
  #withoutWaitingForDisk<T>(write: () => T): T {
    this.#synchronous.normal.run();
    try {
      return write();
    } finally {
      this.#synchronous.full.run();
    }
  }

  /** Number and total size of the updates not yet compacted. */
  pending(documentId: string): { count: number; bytes: number } {
    return this.#stats.get(documentId) as { count: number; bytes: number };
  }
}
