import { closeSync, fdatasync, fdatasyncSync, openSync } from 'node:fs';
import type { DocumentLog } from '../storage/document-log.ts';
import type { Durability } from '../config.ts';

/** A document update waiting to be stored and then broadcast. */
export interface PendingUpdate {
  documentId: string;
  update: Uint8Array;
  /** Called once the update is committed, with its row id (the room's log counters follow it). */
  stored: (id: number) => void;
  /**
   * Called once the update may be seen, and only once: this is where it is broadcast. By default
   * when the commit is on disk (survives a power cut); with durability `commit`, when it is
   * committed (survives a crash of the process).
   */
  release: () => void;
  /** Called when storing failed: the update must not be broadcast. */
  failed: (error: Error) => void;
  /** Stored in the same transaction as the update (see DocumentLog.append). */
  alongside?: () => void;
}

/**
 * Group commit with the fsync off the event loop. The updates of one event-loop turn, from every
 * room, are appended in one transaction without waiting for the disk (the write reaches the WAL
 * file, so a crash of the process loses nothing); then one `fdatasync` of the WAL runs on libuv's
 * thread pool, and only when the disk has the commit are the updates broadcast. So a client that
 * saw an update can rely on it being stored even through a power cut, as with SQLite's
 * synchronous=FULL, but a slow disk delays only the updates waiting for it, never the other rooms,
 * awareness or HTTP. While one fsync runs, the next turns' commits wait for the next one: under
 * load one fsync covers many turns.
 *
 * `flush({ durable: true })` commits with a synchronous fsync instead, for the callers that must
 * know the update is on disk when flush returns (a chair's decision, shutdown); that fsync also
 * covers every commit before it, so they are broadcast at once.
 *
 * With durability `commit` (CONCORD_DURABILITY), updates are released as soon as they are
 * committed, and the fsync follows as above: a power cut can lose what one fsync was covering,
 * a crash of the process loses nothing, and a slow disk delays nobody. For disks whose sync time
 * jumps from under a millisecond to hundreds (BENCHMARKS.md measures the difference).
 */
export class UpdateQueue {
  #pending: PendingUpdate[] = [];
  #scheduled = false;
  /** Committed, waiting for the fsync that makes them durable, in commit order. */
  #committed: PendingUpdate[] = [];
  /** What the fsync now running covers. */
  #syncing: PendingUpdate[] | null = null;
  #wal: number | null = null;
  #closed = false;

  constructor(
    private readonly log: DocumentLog,
    private readonly durability: Durability = 'disk',
  ) {}

  enqueue(entry: PendingUpdate): void {
    this.#pending.push(entry);
    if (!this.#scheduled) {
      this.#scheduled = true;
      setImmediate(() => this.flush());
    }
  }

  /** Updates not yet broadcast (pending, committed or syncing). */
  get size(): number {
    return this.#pending.length + this.#committed.length + (this.#syncing?.length ?? 0);
  }

  /**
   * Commits everything pending now; safe to call at any time (before a sync reply, on shutdown).
   * With `durable`, the commit is on disk when this returns and everything before it is broadcast.
   */
  flush(options: { durable?: boolean } = {}): void {
    this.#scheduled = false;
    const durable = options.durable === true || this.#walFile() === null;
    const batch = this.#pending;
    this.#pending = [];
    if (batch.length > 0) {
      let ids: number[];
      try {
        ids = this.log.append(batch, { sync: durable });
      } catch (error) {
        for (const entry of batch) entry.failed(error as Error);
        return;
      }
      batch.forEach((entry, i) => entry.stored(ids[i]!));
    }
    if (!durable) {
      if (this.durability === 'commit') for (const entry of batch) entry.release();
      this.#committed.push(...batch);
      this.#startSync();
      return;
    }
    // The synchronous fsync of a durable commit covers every commit before it as well.
    const earlier = [...(this.#syncing ?? []), ...this.#committed];
    if (batch.length === 0 && earlier.length > 0) this.#syncNow();
    if (this.#syncing) this.#syncing = [];
    this.#committed = [];
    // with durability `commit` the earlier ones were released when they were committed
    for (const entry of this.durability === 'commit' ? batch : [...earlier, ...batch]) entry.release();
  }

  /** Commits and syncs what is left, synchronously, and stops syncing (shutdown, before the database closes). */
  close(): void {
    this.flush({ durable: true });
    this.#closed = true;
    if (this.#wal !== null) closeSync(this.#wal);
    this.#wal = null;
  }

  #startSync(): void {
    if (this.#syncing || this.#committed.length === 0 || this.#closed) return;
    const fd = this.#walFd();
    const covered = this.#committed;
    this.#committed = [];
    this.#syncing = covered;
    fdatasync(fd, (error) => {
      // A durable flush meanwhile may have synced (and broadcast) these already.
      const still = this.#syncing ?? [];
      this.#syncing = null;
      if (error) {
        for (const entry of still) entry.failed(error);
      } else if (this.durability === 'disk') {
        for (const entry of still) entry.release();
      }
      this.#startSync();
    });
  }

  #syncNow(): void {
    const file = this.#walFile();
    if (file !== null && !this.#closed) fdatasyncSync(this.#walFd());
  }

  /** The WAL file of an on-disk database, or null (in-memory databases have none to sync). */
  #walFile(): string | null {
    const name = this.log.file;
    return name === '' || name === ':memory:' ? null : `${name}-wal`;
  }

  /**
   * One descriptor on the WAL, kept open for the process's life: closing a descriptor on a file
   * SQLite locks can drop its locks, so it is closed only at shutdown.
   */
  #walFd(): number {
    this.#wal ??= openSync(this.#walFile()!, 'r');
    return this.#wal;
  }
}
