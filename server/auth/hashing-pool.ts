import { Worker } from 'node:worker_threads';
import type { ScryptOptions } from 'node:crypto';
import type { Derive } from './password.ts';

/** Thrown when more hashes wait than the pool's queue holds: the server is busy signing people in. */
export class HashingBusyError extends Error {}

/**
 * The hashing thread: scrypt runs synchronously here, on a thread of its own at the lowest CPU
 * priority (on Linux `setPriority(0, …)` applies to the calling thread only). Plain CommonJS given
 * as text, so it needs no TypeScript loader.
 */
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { scryptSync } = require('node:crypto');
try { require('node:os').setPriority(0, 19); } catch {}
parentPort.on('message', ({ id, password, salt, keyLength, options }) => {
  try {
    const key = scryptSync(password, Buffer.from(salt), keyLength, options);
    parentPort.postMessage({ id, key });
  } catch (error) {
    parentPort.postMessage({ id, error: String(error && error.message) });
  }
});
`;

interface Job {
  id: number;
  password: string;
  salt: Uint8Array;
  keyLength: number;
  options: ScryptOptions;
  resolve: (key: Buffer) => void;
  reject: (error: Error) => void;
}

/**
 * Password hashing for the server, off libuv's thread pool. scrypt at OWASP's cost takes about
 * 300 ms of CPU and 128 MiB; run on the pool, forty parallel logins filled it and the WAL sync
 * every broadcast waits for queued behind them, so the whole room stalled. Here at most
 * `threads` hashes run at once, on a low-priority thread of its own (one: on the single core the benchmark gives the server, two competed with the event loop), the rest wait in a
 * bounded queue (a room of 200 signing in at once fits); past it, a login is answered "busy,
 * try again" without hashing.
 */
export class HashingPool {
  readonly #idle: Worker[] = [];
  readonly #all: Worker[] = [];
  readonly #queue: Job[] = [];
  readonly #running = new Map<Worker, Job>();
  #next = 0;

  constructor(
    private readonly threads = 1,
    readonly queueLimit = 400,
  ) {}

  /** Hashes waiting or running. */
  get load(): number {
    return this.#queue.length + this.#running.size;
  }

  readonly derive: Derive = (password, salt, keyLength, options) =>
    new Promise((resolve, reject) => {
      if (this.#queue.length >= this.queueLimit) {
        reject(new HashingBusyError('many people are signing in at once; try again in a few seconds'));
        return;
      }
      this.#queue.push({ id: this.#next++, password, salt, keyLength, options, resolve, reject });
      this.#dispatch();
    });

  async close(): Promise<void> {
    for (const job of this.#queue.splice(0)) job.reject(new Error('the server is shutting down'));
    await Promise.all(this.#all.map((worker) => worker.terminate()));
  }

  #dispatch(): void {
    while (this.#queue.length > 0) {
      const worker = this.#idle.pop() ?? (this.#all.length < this.threads ? this.#start() : undefined);
      if (!worker) return;
      const job = this.#queue.shift()!;
      this.#running.set(worker, job);
      worker.postMessage({ id: job.id, password: job.password, salt: job.salt, keyLength: job.keyLength, options: job.options });
    }
  }

  #start(): Worker {
    const worker = new Worker(WORKER_SOURCE, { eval: true });
    worker.unref();
    this.#all.push(worker);
    worker.on('message', ({ key, error }: { key?: Uint8Array; error?: string }) => {
      const job = this.#running.get(worker);
      this.#running.delete(worker);
      this.#idle.push(worker);
      if (error !== undefined || !key) job?.reject(new Error(error ?? 'no key'));
      else job?.resolve(Buffer.from(key));
      this.#dispatch();
    });
    worker.on('error', (error) => {
      this.#running.get(worker)?.reject(error);
      this.#running.delete(worker);
      this.#all.splice(this.#all.indexOf(worker), 1);
      this.#dispatch();
    });
    return worker;
  }
}
