import type { WebSocket } from 'ws';
import { CLOSE } from '../../shared/protocol.ts';
import type { Participant } from './identity.ts';
import { awarenessUser } from './identity.ts';
import type { Room, RoomVerdict } from './room.ts';
import { Budget } from './budget.ts';
import { AwarenessGate } from './awareness-limits.ts';
import type { AwarenessVerdict } from './awareness-limits.ts';
import { OFF_THREAD_BYTES, precheck } from './update-precheck.ts';
import { claimTooLarge } from './update-limits.ts';
import type { Precheck, UpdatePrechecker } from './update-precheck.ts';
import { MalformedFrameError, readAwarenessUpdate, readMessage, writeAwarenessUpdate, writeSyncStep1 } from './wire.ts';

/** Limits one connection lives under (from the server configuration). */
export interface ConnectionLimits {
  messageRate: { perSecond: number; burst: number };
  maxBufferedBytes: number;
  /** Awareness client ids one connection may control (a browser tab uses one). */
  maxAwarenessClients: number;
  /** Bytes of updates one connection may send a minute (an afternoon's offline backlog is a few hundred KB). */
  maxBytesPerMinute: number;
  /** Bytes a document may take in storage; past it, nothing more is added to it. */
  maxDocumentBytes: number;
}

/** What the connection asks of the hub: flushing stored updates before it answers a sync. */
export interface ConnectionHost {
  flushUpdates(): void;
  prechecker: UpdatePrechecker;
  log: { warn(obj: object, msg: string): void };
  counters: { refusals: number; malformed: number; compensations: number; resyncs: number; awarenessDropped: number };
}

/**
 * One participant's WebSocket in a room: decodes each frame, applies the rules (read-only roles,
 * identity stamping, rate cap, send-buffer cap) and hands accepted updates to the room's document.
 */
export class Connection {
  alive = true;
  /** Frames refused because the participant may not write (observers). */
  droppedWrites = 0;
  /** Updates refused by the rules (update-guard.ts). */
  refusals = 0;
  /** Updates of which the server took back what broke a rule. */
  compensations = 0;
  /** Compensated updates per minute before the sender is closed: a stale backlog breaks a rule once, a script again and again. */
  readonly #violations = new Budget(10, 60_000);
  #lastViolation = '';
  readonly #corrections = new Budget(30, 60_000);
  /** Unplaceable updates per minute asked again (a reconnecting client sends a few). */
  readonly #unplaceable = new Budget(30, 60_000);
  #tokens: number;
  #lastRefill = Date.now();
  readonly #bytes: Budget;
  /** Frames that arrived while a large update was checked off the event loop: handled after it, in order. */
  #held: Uint8Array[] | null = null;
  readonly #awareness = new AwarenessGate();

  constructor(
    readonly socket: WebSocket,
    readonly room: Room,
    readonly who: Participant,
    readonly readOnly: boolean,
    private readonly limits: ConnectionLimits,
    private readonly host: ConnectionHost,
  ) {
    this.#tokens = limits.messageRate.burst;
    this.#bytes = new Budget(limits.maxBytesPerMinute, 60_000);
  }

  /** Starts the protocol: the server's sync step 1, then the room's current awareness. */
  open(): void {
    this.room.join(this);
    this.send(writeSyncStep1(this.room.doc));
    const awareness = this.room.awarenessFrame();
    if (awareness) this.send(awareness);
  }

  send(frame: Uint8Array): void {
    if (this.socket.readyState !== this.socket.OPEN) return;
    if (this.socket.bufferedAmount > this.limits.maxBufferedBytes) {
      this.close(CLOSE.slowConsumer, 'too far behind; reconnect to resync');
      return;
    }
    this.socket.send(frame, { binary: true });
  }

  /**
   * Closes with a code and reason the client acts on, then decodes nothing more from it: a flood's
   * frames already on their way are dropped unread, and the socket ends a second later whether or
   * not the client answers the close.
   */
  close(code: number, reason: string): void {
    if (this.socket.readyState === this.socket.OPEN || this.socket.readyState === this.socket.CONNECTING) {
      this.socket.close(code, closeReason(reason));
      setTimeout(() => this.socket.terminate(), 1000).unref();
    }
  }

  /** Handles one frame; any error closes this connection only. */
  receive(frame: Uint8Array): void {
    if (this.socket.readyState !== this.socket.OPEN) return;
    if (this.#held) {
      this.#held.push(frame);
      return;
    }
    if (!this.#takeToken()) {
      this.close(CLOSE.rateLimited, 'too many messages; slow down');
      return;
    }
    try {
      this.#dispatch(frame);
    } catch (error) {
      this.#malformed(error as Error);
    }
  }

  #malformed(error: Error): void {
    const malformed = error instanceof MalformedFrameError;
    this.host.counters.malformed++;
    this.host.log.warn(
      { documentId: this.room.documentId, user: this.who.username, error: error.message },
      malformed ? 'malformed frame, closing connection' : 'frame could not be applied, closing connection',
    );
    this.close(CLOSE.malformed, malformed ? 'malformed frame' : 'update could not be applied; reload the document');
  }

  #dispatch(frame: Uint8Array): void {
    const message = readMessage(frame);
    switch (message.type) {
      case 'sync-step-1':
        // Whatever the reply contains must already be committed (a crash of the process keeps it).
        this.host.flushUpdates();
        this.send(this.room.syncStep2(message.stateVector));
        return;
      case 'sync-step-2':
      case 'update':
        if (this.readOnly) {
          this.droppedWrites++;
          return;
        }
        this.#applyUpdate(message.update);
        return;
      case 'awareness':
        this.#receiveAwareness(message.update);
        return;
      case 'query-awareness': {
        const awareness = this.room.awarenessFrame();
        if (awareness) this.send(awareness);
        return;
      }
      case 'auth':
        // Authentication happens at the HTTP upgrade; in-band auth messages are ignored.
        return;
    }
  }

  /**
   * Hands an update to the room after the size limits and the pre-check (decoding, struct caps,
   * placeability: off the event loop when large). The room keeps what the rules allow and takes
   * back the rest (update-guard.ts); an update refused whole closes its sender with the rule in the
   * reason: its document now depends on a change nobody else has, so it must reload rather than
   * reconnect (the Concord client does so).
   */
  #applyUpdate(update: Uint8Array): void {
    if (!this.#bytes.take(update.byteLength)) {
      this.close(CLOSE.rateLimited, `more than ${mb(this.limits.maxBytesPerMinute)} of changes in a minute; wait a minute, nothing typed is lost`);
      return;
    }
    if (this.room.log.bytes + update.byteLength > this.limits.maxDocumentBytes) {
      this.#refuse({ rule: 'size', message: `this document has reached its size limit of ${mb(this.limits.maxDocumentBytes)}; take a version and continue in a new document` });
      return;
    }
    if (update.byteLength < OFF_THREAD_BYTES) {
      let checked: Precheck;
      try {
        checked = precheck(update, (client) => this.room.clockOf(client));
      } catch (error) {
        throw new MalformedFrameError(`update could not be decoded: ${(error as Error).message}`);
      }
      this.#applyChecked(update, checked);
      return;
    }
    // A bomb says what it is in its header: refused before any thread reads it.
    let claimed: string | null;
    try {
      claimed = claimTooLarge(update);
    } catch (error) {
      throw new MalformedFrameError(`update could not be decoded: ${(error as Error).message}`);
    }
    if (claimed) {
      this.#refuse({ rule: 'size', message: claimed });
      return;
    }
    // A large update is read on the pre-check thread; this connection's later frames wait for it:
    // in the socket, unread (what ws had already read of them is held here, at most a read's worth),
    // so a flood's frames are neither unmasked nor kept in memory until the check answers.
    this.#held = [];
    this.socket.pause();
    this.host.prechecker
      .check(update, this.room.stateVector())
      .then(
        (checked) => {
          try {
            this.#applyChecked(update, checked);
          } catch (error) {
            this.#malformed(error as Error);
          }
        },
        (error: Error) => this.#malformed(new MalformedFrameError(`update could not be decoded: ${error.message}`)),
      )
      .finally(() => {
        const held = this.#held ?? [];
        this.#held = null;
        for (const frame of held) if (this.socket.readyState === this.socket.OPEN) this.receive(frame);
        // a held frame may have started another check (it holds the rest); a closed connection reads nothing more
        if (this.#held === null && this.socket.readyState === this.socket.OPEN) this.socket.resume();
      });
  }

  #applyChecked(update: Uint8Array, checked: Precheck): void {
    let verdict: RoomVerdict;
    if (checked.tooLarge) verdict = { kind: 'refused', refusal: { rule: 'size', message: checked.tooLarge } };
    else if (checked.unplaceable) verdict = { kind: 'unplaceable', reason: checked.unplaceable };
    else {
      try {
        verdict = this.room.applyChecked(update, { role: this.who.role, delegation: this.who.delegation }, this, true);
      } catch (error) {
        throw new MalformedFrameError(`update could not be applied: ${(error as Error).message}`);
      }
    }
    if (verdict.kind === 'accepted') return;
    if (verdict.kind === 'unplaceable') {
      // A stock client sends such an update only just after reconnecting, before its sync step 2
      // has arrived: asking for what the server lacks brings everything, in an order that places.
      if (!this.#unplaceable.take()) {
        this.#refuse({ rule: 'unplaceable', message: 'too many changes that depend on content the server does not have; reload the document' });
        return;
      }
      this.host.counters.resyncs++;
      this.send(writeSyncStep1(this.room.doc));
      return;
    }
    if (verdict.kind === 'compensated') {
      this.compensations++;
      this.host.counters.compensations++;
      this.host.log.warn(
        { documentId: this.room.documentId, user: this.who.username, rules: verdict.takenBack.rules.map((r) => r.rule), restored: verdict.takenBack.restored },
        'update partly taken back',
      );
      // Keystrokes typed into one agreed provision during a short drop arrive one update each: the
      // same correction again costs a tenth of a new one.
      const key = JSON.stringify([verdict.takenBack.rules.map((r) => r.rule), verdict.takenBack.restored]);
      const cost = key === this.#lastViolation ? 0.1 : 1;
      this.#lastViolation = key;
      // Each correction reads and diffs the whole text (about 30 ms for 800 provisions): at most 30 a minute, repeated or not.
      if (!this.#violations.take(cost) || !this.#corrections.take()) this.#refuse({ rule: 'repeated', message: 'repeated changes against the rules of the working group; reload the document' });
      return;
    }
    this.#refuse(verdict.refusal);
  }

  /** Closes the sender of a refused update (4403, the rule in the reason). */
  #refuse(refused: { rule: string; message: string }): void {
    this.refusals++;
    this.host.counters.refusals++;
    this.host.log.warn({ documentId: this.room.documentId, user: this.who.username, rule: refused.rule, reason: refused.message }, 'update refused');
    this.close(CLOSE.refused, refused.message);
  }

  /**
   * Keeps only entries for client ids this connection controls, within the size and rate caps
   * (awareness-limits.ts), and replaces the `user` field with the identity the server knows: a
   * client cannot appear as another delegation.
   */
  #receiveAwareness(update: Uint8Array): void {
    if (!this.#awarenessAllowed(this.#awareness.frame(update.byteLength))) return;
    const owners = this.room.awarenessOwners;
    const entries = readAwarenessUpdate(update).filter((entry) => {
      const owner = owners.get(entry.clientId);
      if (owner && owner !== this) return false;
      if (entry.state !== null && !this.#awarenessAllowed(this.#awareness.state(JSON.stringify(entry.state)))) return false;
      if (owner === this) return true;
      const mine = [...owners.values()].filter((o) => o === this).length;
      if (mine >= this.limits.maxAwarenessClients) return false;
      owners.set(entry.clientId, this);
      return true;
    });
    if (entries.length === 0 || this.socket.readyState !== this.socket.OPEN) return;
    const stamped = entries.map((entry) => ({
      ...entry,
      state: entry.state === null ? null : { ...entry.state, user: awarenessUser(this.who) },
    }));
    this.room.applyAwareness(writeAwarenessUpdate(stamped), this);
  }

  /** Acts on the awareness gate's verdict: a drop is warned about once, a flood closes the connection. */
  #awarenessAllowed(verdict: AwarenessVerdict): boolean {
    if (verdict === 'pass') return true;
    this.host.counters.awarenessDropped++;
    if (this.#awareness.dropped === 1) {
      this.host.log.warn({ documentId: this.room.documentId, user: this.who.username }, 'awareness state too large or too frequent: dropped');
    }
    if (verdict === 'close') {
      this.close(CLOSE.rateLimited, 'too many or too large presence updates; reconnect, nothing typed is lost');
    }
    return false;
  }

  #takeToken(): boolean {
    const now = Date.now();
    const { perSecond, burst } = this.limits.messageRate;
    this.#tokens = Math.min(burst, this.#tokens + ((now - this.#lastRefill) / 1000) * perSecond);
    this.#lastRefill = now;
    if (this.#tokens < 1) return false;
    this.#tokens -= 1;
    return true;
  }
}

const mb = (bytes: number) => `${Math.round(bytes / (1024 * 1024))} MB`;

/** A WebSocket close reason may hold 123 bytes of UTF-8: cut at a character boundary, with an ellipsis. */
export function closeReason(reason: string): string {
  if (Buffer.byteLength(reason) <= 123) return reason;
  let cut = reason;
  while (Buffer.byteLength(`${cut}…`) > 123) cut = cut.slice(0, -1);
  return `${cut}…`;
}
