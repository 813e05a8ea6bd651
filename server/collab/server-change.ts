/**
 * The origin of a change the server makes itself (a chair's decision, restoring a version): its
 * update is stored and sent to everyone like a participant's, and it carries what must be stored in
 * the same transaction as that update — the decision's record — so both are kept or neither.
 */
export class ServerChange {
  #record: (() => void) | null;

  constructor(record: (() => void) | null) {
    this.#record = record;
  }

  /** What goes with the change's update, handed out once: one change, one record. */
  take(): (() => void) | undefined {
    const record = this.#record;
    this.#record = null;
    return record ?? undefined;
  }

  /** The record still waits for an update to go with (the change changed nothing). */
  get waiting(): boolean {
    return this.#record !== null;
  }
}
