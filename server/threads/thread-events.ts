import type { Viewer } from '../../shared/threads.ts';
import { canSeeThread } from '../../shared/threads.ts';
import type { ThreadView } from '../../shared/api.ts';

/**
 * Live thread changes, per document, to the people allowed to see them (Server-Sent Events). Each
 * subscriber gets the thread as *they* see it (their "mine", "mentions me"); a private thread is
 * only ever offered to subscribers of its own scope.
 */
export interface Subscriber {
  viewer: Viewer;
  send(event: 'thread', data: ThreadView): void;
}

export class ThreadEvents {
  readonly #byDocument = new Map<string, Set<Subscriber>>();

  subscribe(documentId: string, subscriber: Subscriber): () => void {
    let set = this.#byDocument.get(documentId);
    if (!set) this.#byDocument.set(documentId, (set = new Set()));
    set.add(subscriber);
    return () => {
      set.delete(subscriber);
      if (set.size === 0) this.#byDocument.delete(documentId);
    };
  }

  /** Tells everyone who may see it that a thread changed; `view` gives the thread as a viewer sees it. */
  changed(documentId: string, scope: string, view: (viewer: Viewer) => ThreadView): void {
    for (const subscriber of this.#byDocument.get(documentId) ?? []) {
      if (canSeeThread(scope, subscriber.viewer)) subscriber.send('thread', view(subscriber.viewer));
    }
  }

  get size(): number {
    let n = 0;
    for (const set of this.#byDocument.values()) n += set.size;
    return n;
  }
}
