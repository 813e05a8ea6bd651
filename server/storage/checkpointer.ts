import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { Db } from './database.ts';

/** Commits between two checkpoints (each commit adds at least one page to the WAL). */
const COMMITS_PER_CHECKPOINT = 500;
/** A checkpoint at least this often whatever the count (for the other stores' writes). */
const CHECKPOINT_INTERVAL_MS = 30_000;
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
const checkpoint = () => {
  try { db.pragma('wal_checkpoint(PASSIVE)'); } catch (error) { parentPort.postMessage(String(error && error.message)); }
};
const timer = setInterval(checkpoint, workerData.intervalMs);
parentPort.on('message', (message) => {
  if (message === 'checkpoint') return checkpoint();
  clearInterval(timer); db.close(); parentPort.close();
});
`;

/**
 * Runs SQLite's WAL checkpoints on a thread of their own. A checkpoint copies the WAL into the
 * database file and syncs both to disk; SQLite runs it inside the commit that crosses 1 000 pages,
 * which on the server's one thread froze every room for as long as a busy disk took (event-loop
 * stalls of 60 ms and more in `npm run bench`). Passive checkpoints never block writers, so the
 * event loop only ever appends to the WAL. They run as often as SQLite's would (about every 500
 * commits of the update log, `committed()`), and at least every 30 s: more often, their syncs of the
 * database file kept the disk busy and slowed the WAL syncs every broadcast waits for. If the thread
 * stops, SQLite's own checkpoints come back.
 */
export class Checkpointer {
  readonly #worker: Worker;
  #stopped = false;
  #commits = 0;

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

  /** Counts a commit of the update log; every COMMITS_PER_CHECKPOINT, the thread checkpoints. */
  committed(): void {
    if (++this.#commits < COMMITS_PER_CHECKPOINT || this.#stopped) return;
    this.#commits = 0;
    this.#worker.postMessage('checkpoint');
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
