import { Worker } from 'node:worker_threads';
import { SMALL_UPDATE_BYTES, updateTooLarge } from './update-limits.ts';
import { unplaceable } from './placeable.ts';

/** What the pre-check found: why the update is too much work, or why it cannot be placed (null: neither). */
export interface Precheck {
  tooLarge: string | null;
  unplaceable: string | null;
}

/**
 * Below this size an update is decoded on the event loop: the round trip to a thread costs more,
 * and it cannot hold enough structs to matter (update-limits.ts counts from the same size).
 */
export const OFF_THREAD_BYTES = SMALL_UPDATE_BYTES;

/** The checks themselves, wherever they run. Throws on an undecodable update. */
export function precheck(update: Uint8Array, known: (client: number) => number): Precheck {
  const tooLarge = updateTooLarge(update);
  return { tooLarge, unplaceable: tooLarge ? null : unplaceable(update, known) };
}

/**
 * Decodes large untrusted updates on a thread of their own: counting an update's structs and
 * checking that each can be placed costs as much as reading it, and a struct bomb or an
 * afternoon's offline backlog read on the event loop would hold up every room. The event loop
 * then only integrates what passed. One thread, started when the server starts listening (`start`)
 * or else at the first large update.
 *
 * Starting it costs a few hundred milliseconds of CPU (tsx compiles the thread's module graph), on
 * the same core as the event loop when the server is pinned to one. Started at the first large
 * update, that was the moment a flood of large junk frames began: the thread's start-up competed
 * with the flood for the core while every flooding connection's frames waited for the first
 * answer — a single stall of 200–700 ms of honest edits in each run of the "small frames" flood.
 */
export class UpdatePrechecker {
  #worker: Worker | null = null;
  #next = 0;
  readonly #waiting = new Map<number, { resolve: (result: Precheck) => void; reject: (error: Error) => void }>();

  /** Starts the thread now (idempotent), so that no update waits for its start-up. */
  start(): void {
    this.#start();
  }

  check(update: Uint8Array, stateVector: Map<number, number>): Promise<Precheck> {
    const worker = this.#start();
    const id = this.#next++;
    return new Promise((resolve, reject) => {
      this.#waiting.set(id, { resolve, reject });
      worker.postMessage({ id, update, stateVector });
    });
  }

  close(): void {
    void this.#worker?.terminate();
    this.#worker = null;
  }

  #start(): Worker {
    if (this.#worker) return this.#worker;
    // The thread runs this project's TypeScript through tsx, as the server itself does.
    const file = new URL('./update-precheck-thread.ts', import.meta.url).href;
    const worker = new Worker(`(async () => { const { register } = await import('tsx/esm/api'); register(); await import(${JSON.stringify(file)}); })()`, { eval: true });
    worker.unref();
    worker.on('message', ({ id, result, error }: { id: number; result?: Precheck; error?: string }) => {
      const waiting = this.#waiting.get(id);
      this.#waiting.delete(id);
      if (error !== undefined) waiting?.reject(new Error(error));
      else waiting?.resolve(result!);
    });
    worker.on('error', (error) => {
      for (const { reject } of this.#waiting.values()) reject(error);
      this.#waiting.clear();
      this.#worker = null;
    });
    this.#worker = worker;
    return worker;
  }
}
