import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import { CLOSE, TEXT_FRAGMENT } from '../../shared/protocol.ts';
import type { Participant } from '../app/participant.ts';

/**
 * The shared text of one document: a Y.Doc kept in sync with the server's room over the stock
 * y-websocket provider (the session cookie authenticates the socket). Our awareness `user` is set
 * to the identity the server will stamp on it anyway, so our own display matches everyone else's.
 */
export interface Collaboration {
  doc: Y.Doc;
  provider: WebsocketProvider;
  /** The document text, bound to the editor by y-prosemirror. */
  fragment: Y.XmlFragment;
  destroy(): void;
}

/**
 * Close codes after which reconnecting cannot help: the frame was malformed or refused (sending the
 * same state again would be refused again), the session ended (logout) or the document is gone. Everything else — rate limit,
 * slow consumer, too big, server restart, network — is transient, and the provider reconnects.
 */
const PERMANENT_CLOSES = new Set<number>([CLOSE.malformed, CLOSE.refused, CLOSE.gone, CLOSE.signedOut]);

export function connectDocument(documentId: string, self: Participant): Collaboration {
  const doc = new Y.Doc();
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  const provider = new WebsocketProvider(`${scheme}://${location.host}/collab`, documentId, doc, {
    // Every change goes through the server, which checks it; tabs do not sync with each other directly.
    disableBc: true,
    shouldReconnect: (event) => !PERMANENT_CLOSES.has(event.code),
  });
  provider.awareness.setLocalStateField('user', self);

  // When the browser knows it has no network, the socket is closed rather than left open: a socket
  // can outlive a short cut and would then deliver every keystroke typed meanwhile as an update of
  // its own, each judged alone (an edit to a provision agreed meanwhile taken back once per
  // keystroke, until the server closes us for repeated violations). Closed, the Y.Doc keeps the
  // edits and the next sync sends them as one update: one judgement, one notice.
  let cutOffline = false;
  const onOffline = () => {
    if (!provider.shouldConnect) return; // stopped for good (refused, signed out): leave it stopped
    cutOffline = true;
    provider.disconnect();
  };
  const onOnline = () => {
    if (!cutOffline) return;
    cutOffline = false;
    provider.connect();
  };
  window.addEventListener('offline', onOffline);
  window.addEventListener('online', onOnline);
  return {
    doc,
    provider,
    fragment: doc.getXmlFragment(TEXT_FRAGMENT),
    destroy() {
      window.removeEventListener('offline', onOffline);
      window.removeEventListener('online', onOnline);
      provider.destroy();
      doc.destroy();
    },
  };
}
