import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

export type Db = Database.Database;

/**
 * Opens the SQLite file with the durability settings of ARCHITECTURE.md §4: WAL so readers never block
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
  cacheStatements(db);
  return db;
}

/** More distinct SQL texts than any version of Concord has: past it the cache starts again. */
const MAX_CACHED_STATEMENTS = 1000;

/**
 * Compiles each SQL text once. The stores prepare their statements where they run them, which
 * reads best, and a WebSocket upgrade runs several (token, document, membership): compiling them
 * every time showed in the profile when a whole room reconnects at once.
 */
function cacheStatements(db: Db): void {
  const prepare = db.prepare.bind(db);
  const statements = new Map<string, Database.Statement>();
  db.prepare = ((sql: string) => {
    let statement = statements.get(sql);
    if (!statement) {
      if (statements.size >= MAX_CACHED_STATEMENTS) statements.clear();
      statement = prepare(sql);
      statements.set(sql, statement);
    }
    return statement;
  }) as Db['prepare'];
}
