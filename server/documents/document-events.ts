import type { Viewer } from '../../shared/threads.ts';
import { canSeeThread } from '../../shared/threads.ts';
import type { DecisionEntry, ThreadView, VersionSummary } from '../../shared/api.ts';

/**
 * Live changes of a document, per document, to the people allowed to see them (Server-Sent
 * Events): a thread opened, answered, edited or resolved (each subscriber gets the thread as *they*
 * see it, and a private thread only ever reaches subscribers of its own scope); a decision of the
 * chair taken or undone, and a version taken or restored (every member of the group may read the
 * decision log and the versions). Before anything is sent the subscriber's standing is checked
 * again — a stream opened before a logout, a removal from the group or a move to another
 * delegation is ended, not fed.
 */
export interface DocumentEventData {
  thread: ThreadView;
  decision: DecisionEntry;
  version: VersionSummary;
}
export type DocumentEvent = keyof DocumentEventData;

export interface Subscriber {
  readonly userId: number;
  /** The viewer as they were when the stream opened. */
  readonly viewer: Viewer;
  /** Whether the viewer still holds that standing (session valid, same role and delegation). */
  stillValid(): boolean;
  send<E extends DocumentEvent>(event: E, data: DocumentEventData[E]): void;
  /** Ends the stream, telling the client why. */
  end(reason: string): void;
}

const ACCESS_CHANGED = 'your access to this document changed; reload the page';

export class DocumentEvents {
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
  threadChanged(documentId: string, scope: string, view: (viewer: Viewer) => ThreadView | null): void {
    for (const subscriber of this.#valid(documentId, (s) => canSeeThread(scope, s.viewer))) {
      const seen = view(subscriber.viewer);
      if (seen) subscriber.send('thread', seen);
    }
  }

  /** Tells every member following the document that a decision was taken (or undone). */
  decided(documentId: string, entry: DecisionEntry): void {
    for (const subscriber of this.#valid(documentId)) subscriber.send('decision', entry);
  }

  /** Tells every member following the document that a version was taken or restored. */
  versioned(documentId: string, version: VersionSummary): void {
    for (const subscriber of this.#valid(documentId)) subscriber.send('version', version);
  }

  /** The document's subscribers `concerned`, those whose standing changed ended on the way. */
  #valid(documentId: string, concerned: (s: Subscriber) => boolean = () => true): Subscriber[] {
    const valid: Subscriber[] = [];
    for (const subscriber of [...(this.#byDocument.get(documentId) ?? [])]) {
      if (!concerned(subscriber)) continue;
      if (subscriber.stillValid()) valid.push(subscriber);
      else subscriber.end(ACCESS_CHANGED);
    }
    return valid;
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
