import type * as Y from 'yjs';
import type { WebsocketProvider } from 'y-websocket';
import { CLOSE } from '../../shared/protocol.ts';

/**
 * The state of the link to the server as the user needs to know it: are my edits reaching the
 * others, and if not, are they safe? Built from the provider's status and sync events, the
 * browser's online/offline events, and whether local edits were made since the last sync.
 */
export type ConnectionKind =
  /** First connection, not yet synced. */
  | 'connecting'
  /** Synced with the server: edits go out as they are typed. */
  | 'connected'
  /** Lost the server; the provider is retrying. */
  | 'reconnecting'
  /** The browser has no network. */
  | 'offline'
  /** The server closed the connection for good (refused, gone); `message` says why. */
  | 'stopped';

export interface ConnectionState {
  kind: ConnectionKind;
  /** Local edits made while not connected, kept in memory until the next sync sends them. */
  unsent: boolean;
  message?: string;
}

export class ConnectionMonitor {
  #state: ConnectionState = { kind: 'connecting', unsent: false };
  #everSynced = false;
  #listeners = new Set<(state: ConnectionState) => void>();
  #stoppedMessage: string | null = null;
  readonly #teardown: (() => void)[] = [];

  constructor(
    private readonly provider: WebsocketProvider,
    doc: Y.Doc,
  ) {
    const recompute = () => this.#recompute();
    const onSync = (synced: boolean) => {
      if (synced) {
        // On (re)connection the server asks for our state first (its sync step 1 precedes its
        // reply to ours), so by the time we are synced our offline edits have been sent.
        this.#everSynced = true;
        this.#state = { ...this.#state, unsent: false };
      }
      recompute();
    };
    const onClosed = (event: { code: number; reason: string }) => {
      this.#stoppedMessage = closedMessage(event.code, event.reason);
      recompute();
    };
    const onUpdate = (_update: Uint8Array, origin: unknown) => {
      if (origin !== provider && !this.#live()) {
        this.#state = { ...this.#state, unsent: true };
        recompute();
      }
    };
    provider.on('status', recompute);
    provider.on('sync', onSync);
    provider.on('closed', onClosed);
    doc.on('update', onUpdate);
    window.addEventListener('online', recompute);
    window.addEventListener('offline', recompute);
    this.#teardown.push(
      () => provider.off('status', recompute),
      () => provider.off('sync', onSync),
      () => provider.off('closed', onClosed),
      () => doc.off('update', onUpdate),
      () => window.removeEventListener('online', recompute),
      () => window.removeEventListener('offline', recompute),
    );
    this.#recompute();
  }

  get state(): ConnectionState {
    return this.#state;
  }

  /** Whether the text has been received from the server at least once. */
  get everSynced(): boolean {
    return this.#everSynced;
  }

  /** Calls `listener` now and on every change. Returns the unsubscribe function. */
  subscribe(listener: (state: ConnectionState) => void): () => void {
    this.#listeners.add(listener);
    listener(this.#state);
    return () => this.#listeners.delete(listener);
  }

  destroy(): void {
    for (const undo of this.#teardown) undo();
    this.#listeners.clear();
  }

  #live(): boolean {
    return navigator.onLine && this.provider.wsconnected && this.provider.synced;
  }

  #recompute(): void {
    let kind: ConnectionKind;
    if (this.#stoppedMessage) kind = 'stopped';
    else if (!navigator.onLine) kind = 'offline';
    else if (this.provider.wsconnected && this.provider.synced) kind = 'connected';
    else kind = this.#everSynced ? 'reconnecting' : 'connecting';
    const next: ConnectionState = { kind, unsent: this.#state.unsent, ...(this.#stoppedMessage ? { message: this.#stoppedMessage } : {}) };
    this.#state = next;
    for (const listener of this.#listeners) listener(next);
  }
}

function closedMessage(code: number, reason: string): string {
  switch (code) {
    case CLOSE.refused:
      return `The server refused your last change${reason ? ` (${reason})` : ''}. Reload the page to continue with the current text.`;
    case CLOSE.gone:
      return 'This document was deleted, or you no longer have access to it.';
    case CLOSE.signedOut:
      return 'You were signed out (on this device or everywhere). Sign in again to go on.';
    case CLOSE.malformed:
      return `The connection failed${reason ? ` (${reason})` : ''}. Reload the page to continue.`;
    default:
      return `The server closed the connection${reason ? ` (${reason})` : ''}. Reload the page to continue.`;
  }
}
