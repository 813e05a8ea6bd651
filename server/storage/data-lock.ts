import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** Thrown when another process (a running server, a restore) holds the data folder. */
export class DataLockHeldError extends Error {}

export const lockFile = (dataDir: string) => join(resolve(dataDir), 'concord.lock');

/**
 * Holds the data folder for the life of this process: an exclusive SQLite lock on concord.lock,
 * kept by an open BEGIN EXCLUSIVE. The lock is an fcntl lock, so the OS drops it when the process
 * dies, even on kill -9: a stale lock file never blocks a restart.
 */
export function holdDataLock(dataDir: string): { release(): void } {
  mkdirSync(resolve(dataDir), { recursive: true });
  const file = lockFile(dataDir);
  const db = new Database(file, { timeout: 0 });
  try {
    db.pragma('journal_mode = MEMORY'); // no -journal file beside the lock
    db.pragma('locking_mode = EXCLUSIVE');
    db.exec('BEGIN EXCLUSIVE');
  } catch (error) {
    db.close();
    if ((error as { code?: string }).code === 'SQLITE_BUSY') {
      throw new DataLockHeldError(`another Concord server is using ${resolve(dataDir)} (it holds ${file}); stop it first, or give this one another DATA_DIR`);
    }
    throw new Error(`cannot lock ${resolve(dataDir)} (${(error as Error).message}); if no Concord server runs there, delete ${file} and try again`);
  }
  return {
    release() {
      if (db.open) db.close();
    },
  };
}

/** Whether a process holds the data folder now (a running server). */
export function dataLockHeld(dataDir: string): boolean {
  try {
    holdDataLock(dataDir).release();
    return false;
  } catch (error) {
    if (error instanceof DataLockHeldError) return true;
    throw error;
  }
}
