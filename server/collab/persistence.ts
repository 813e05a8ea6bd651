import type { DocumentLog } from '../storage/document-log.ts';

/** A document update waiting to be stored and then broadcast. */
export interface PendingUpdate {
  documentId: string;
  update: Uint8Array;
  /** Called once the update is stored, with its row id; this is where it is broadcast. */
  stored: (id: number) => void;
  /** Called when storing failed: the update must not be broadcast. */
  failed: (error: Error) => void;
  /** Stored in the same transaction as the update (see DocumentLog.append). */
  alongside?: () => void;
}

/**
 * Group commit: updates of one event-loop turn, from every room, are appended to the log in one
 * transaction (one fsync) and only then broadcast. So a client that saw an update can rely on it
 * being stored, and storing costs one fsync per turn rather than per keystroke.
 */
export class UpdateQueue {
  #pending: PendingUpdate[] = [];
  #scheduled = false;

  constructor(private readonly log: DocumentLog) {}

  enqueue(entry: PendingUpdate): void {
    this.#pending.push(entry);
    if (!this.#scheduled) {
      this.#scheduled = true;
      setImmediate(() => this.flush());
    }
  }

  get size(): number {
    return this.#pending.length;
  }

  /** Stores everything pending now; safe to call at any time (before a sync reply, on shutdown). */
  flush(): void {
    this.#scheduled = false;
    if (this.#pending.length === 0) return;
    const batch = this.#pending;
    this.#pending = [];
    let ids: number[];
    try {
      ids = this.log.append(batch);
    } catch (error) {
      for (const entry of batch) entry.failed(error as Error);
      return;
    }
    batch.forEach((entry, i) => entry.stored(ids[i]!));
  }
}
