import type { Viewer } from '../../shared/threads.ts';
import { canSeeThread } from '../../shared/threads.ts';
import type { ThreadView } from '../../shared/api.ts';

/**
 * Live thread changes, per document, to the people allowed to see them (Server-Sent Events). Each
 * subscriber gets the thread as *they* see it (their "mine", "mentions me"); a private thread is
 * only ever offered to subscribers of its own scope. Before anything is sent, the subscriber's
 * standing is checked again — a stream opened before a logout, a removal from the group or a move
 * to another delegation is ended, not fed.
 */
export interface Subscriber {
  readonly userId: number;
  /** The viewer as they were when the stream opened. */
  readonly viewer: Viewer;
  /** Whether the viewer still holds that standing (session valid, same role and delegation). */
  stillValid(): boolean;
  send(event: 'thread', data: ThreadView): void;
  /** Ends the stream, telling the client why. */
  end(reason: string): void;
}

export class ThreadEvents {
  readonly #byDocument = new Map<string, Set<Subscriber>>();

  subscribe(documentId: string, subscriber: Subscriber): () => void {
    let set = this.#byDocument.get(documentId);
    if (!set) this.#byDocument.set(documentId, (set = new Set()));
    set.add(subscriber);
    return () => {
      set.delete(subscriber);
      if (set.size === 0 && this.#byDocument.get(documentId) === set) this.#byDocument.delete(documentId);
    };
  }

  /**
   * Tells everyone who may see it that a thread changed; `view` gives the thread as a viewer sees
   * it (null: out of their sight).
   */
  changed(documentId: string, scope: string, view: (viewer: Viewer) => ThreadView | null): void {
    for (const subscriber of [...(this.#byDocument.get(documentId) ?? [])]) {
      if (!canSeeThread(scope, subscriber.viewer)) continue;
      if (!subscriber.stillValid()) {
        subscriber.end('your access to this document changed; reload to see its comments');
        continue;
      }
      const seen = view(subscriber.viewer);
      if (seen) subscriber.send('thread', seen);
    }
  }

  /** Open streams of one user, across documents. */
  countOf(userId: number): number {
    let n = 0;
    for (const set of this.#byDocument.values()) for (const s of set) if (s.userId === userId) n++;
    return n;
  }

  get size(): number {
    let n = 0;
    for (const set of this.#byDocument.values()) n += set.size;
    return n;
  }
}
