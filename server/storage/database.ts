import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

export type Db = Database.Database;

/**
 * Opens the SQLite file with the durability settings of DESIGN.md §6: WAL so readers never block
 * the writer, synchronous=FULL so a committed update survives power loss, foreign keys enforced.
 * (The document update log alone commits without waiting and syncs the WAL off the event loop
 * before anything is broadcast: server/collab/persistence.ts.)
 */
export function openDatabase(file: string): Db {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  return db;
}
