/**
 * The document's live stream (`/api/documents/:id/events`, Server-Sent Events): threads, the
 * chair's decisions and versions, each to those allowed to see them. One EventSource per document
 * serves every panel of the page (the server limits streams per user); it closes when the last
 * panel lets go. EventSource reconnects by itself: `reconnect` then tells each panel to reload what
 * it may have missed while the connection was down.
 */
export interface DocumentStream {
  on(event: 'reconnect' | 'thread' | 'decision' | 'version' | 'end', listener: (data: string) => void): void;
  /** This panel no longer listens; the stream closes with the last one. */
  release(): void;
}

const open = new Map<string, { source: EventSource; users: number }>();

export function documentStream(documentId: string): DocumentStream {
  let shared = open.get(documentId);
  if (!shared) {
    const source = new EventSource(`/api/documents/${encodeURIComponent(documentId)}/events`);
    let opened = false;
    source.addEventListener('open', () => {
      if (opened) source.dispatchEvent(new Event('reconnect'));
      opened = true;
    });
    shared = { source, users: 0 };
    open.set(documentId, shared);
  }
  shared.users++;
  const { source } = shared;
  const listeners: [string, (event: Event) => void][] = [];
  let released = false;
  return {
    on(event, listener) {
      const handler = (e: Event) => listener(e instanceof MessageEvent ? String(e.data) : '');
      listeners.push([event, handler]);
      source.addEventListener(event, handler);
    },
    release() {
      if (released) return;
      released = true;
      for (const [event, handler] of listeners) source.removeEventListener(event, handler);
      if (--shared.users === 0) {
        source.close();
        open.delete(documentId);
      }
    },
  };
}
