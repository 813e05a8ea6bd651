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
  return {
    doc,
    provider,
    fragment: doc.getXmlFragment(TEXT_FRAGMENT),
    destroy() {
      provider.destroy();
      doc.destroy();
    },
  };
}
