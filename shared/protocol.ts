/**
 * Constants of the collaboration wire protocol. Message types are those of y-websocket
 * (y-protocols); the close codes are Concord's own, in the 4000–4999 range for applications.
 */
export const MESSAGE_SYNC = 0;
export const MESSAGE_AWARENESS = 1;
export const MESSAGE_AUTH = 2;
export const MESSAGE_QUERY_AWARENESS = 3;
/**
 * Concord's own message, server to client: what the server took back of the client's last update
 * and by which rule (a JSON `TakenBackNotice`). Stock clients ignore it; the text is corrected by
 * an ordinary update sent just before.
 */
export const MESSAGE_TAKEN_BACK = 7;

/** What a `MESSAGE_TAKEN_BACK` says: each rule broken, in words, and the provisions put back. */
export interface TakenBackNotice {
  rules: { rule: string; message: string }[];
  restored: string[];
}

/** Sync sub-messages (y-protocols/sync). */
export const SYNC_STEP_1 = 0;
export const SYNC_STEP_2 = 1;
export const SYNC_UPDATE = 2;

/** Why the server closed a collaboration connection. */
export const CLOSE = {
  /** The frame could not be decoded; the client should reload the document. */
  malformed: 4400,
  /** The update broke a rule of the working group (role, agreed text, attribution). */
  refused: 4403,
  /** The session the socket was opened with ended (logout, logout everywhere): sign in again. */
  signedOut: 4401,
  /** The document was deleted or the user lost access. */
  gone: 4404,
  /**
   * The client sent more messages than the per-connection cap allows. In the 4500s ("try again
   * later"): the stock y-websocket provider reconnects after those, and gives up after 4400–4499.
   */
  rateLimited: 4529,
  /** The client read too slowly; its send buffer passed the cap. It resyncs on reconnect. */
  slowConsumer: 4508,
  /** The server is shutting down or unloading the document. */
  goingAway: 1001,
  /** ws closes with this when a frame is larger than maxPayload. */
  tooBig: 1009,
  /** Storage failed; the client reconnects and resends what it has. */
  internal: 1011,
} as const;

/** Name of the Y.XmlFragment holding a document's text (y-prosemirror's default). */
export const TEXT_FRAGMENT = 'prosemirror';
