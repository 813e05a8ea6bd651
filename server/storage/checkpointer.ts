import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { Db } from './database.ts';

/** How often the WAL is copied back into the database file. */
const CHECKPOINT_INTERVAL_MS = 2_000;
/** SQLite's own default, restored if the thread ever stops. */
const AUTOCHECKPOINT_PAGES = 1_000;

/**
 * The checkpoint thread: better-sqlite3 on its own connection, running passive checkpoints. It is
 * plain CommonJS given as text, so it needs no TypeScript loader in the worker.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file);
db.pragma('busy_timeout = 200');
const timer = setInterval(() => {
  try { db.pragma('wal_checkpoint(PASSIVE)'); } catch (error) { parentPort.postMessage(String(error && error.message)); }
}, workerData.intervalMs);
parentPort.on('message', () => { clearInterval(timer); db.close(); parentPort.close(); });
`;

/**
 * Runs SQLite's WAL checkpoints on a thread of their own. A checkpoint copies the WAL into the
 * database file and syncs both to disk; SQLite runs it inside the commit that crosses 1 000 pages,
 * which on the server's one thread froze every room for as long as a busy disk took (event-loop
 * stalls of 60 ms and more in `npm run bench`). Passive checkpoints never block writers, so the
 * event loop only ever appends to the WAL. If the thread stops, SQLite's own checkpoints come back.
 */
export class Checkpointer {
  readonly #worker: Worker;
  #stopped = false;

  constructor(
    private readonly db: Db,
    log: { warn(obj: object, msg: string): void } = { warn: () => {} },
  ) {
    const driver = createRequire(import.meta.url).resolve('better-sqlite3');
    this.#worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { driver, file: db.name, intervalMs: CHECKPOINT_INTERVAL_MS } });
    this.#worker.unref();
    this.#worker.on('message', (message: string) => log.warn({ error: message }, 'WAL checkpoint failed; will try again'));
    this.#worker.on('error', (error) => log.warn({ error: error.message }, 'checkpoint thread stopped; SQLite checkpoints on commit again'));
    this.#worker.on('exit', () => {
      if (!this.#stopped && this.db.open) this.db.pragma(`wal_autocheckpoint = ${AUTOCHECKPOINT_PAGES}`);
    });
    db.pragma('wal_autocheckpoint = 0');
  }

  /** Stops the thread (its connection closes cleanly); the database's own connection checkpoints on close. */
  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    const exited = new Promise((resolve) => this.#worker.once('exit', resolve));
    this.#worker.postMessage('stop');
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 2_000).unref())]);
    await this.#worker.terminate();
    if (this.db.open) this.db.pragma(`wal_autocheckpoint = ${AUTOCHECKPOINT_PAGES}`);
  }
}
