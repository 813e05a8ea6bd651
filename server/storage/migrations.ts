import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Db } from './database.ts';

/** Where the numbered SQL files live: `migrations/NNNN_name.sql`. */
export const MIGRATIONS_DIR = resolve(import.meta.dirname, '../../migrations');

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** Thrown when the database was written by a newer Concord than this one. */
export class NewerDatabaseError extends Error {}

export function readMigrations(dir = MIGRATIONS_DIR): Migration[] {
  return readdirSync(dir)
    .filter((file) => /^\d{4}_[\w-]+\.sql$/.test(file))
    .sort()
    .map((file) => ({
      version: Number(file.slice(0, 4)),
      name: file.slice(5, -4),
      sql: readFileSync(join(dir, file), 'utf8'),
    }));
}

/**
 * Applies the migrations not yet recorded, in order, each in its own transaction, and returns the
 * versions applied. Refuses a database that records a migration this code does not know.
 */
export function migrate(db: Db, migrations = readMigrations()): number[] {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
  )`);
  const applied = new Map((db.prepare('SELECT version, name FROM schema_migrations').all() as { version: number; name: string }[]).map((row) => [row.version, row.name]));
  const known = new Set(migrations.map((m) => m.version));
  const newest = Math.max(0, ...migrations.map((m) => m.version));
  for (const [version, name] of applied) {
    if (!known.has(version) && version > newest) {
      throw new NewerDatabaseError(
        `this database was written by a newer version of Concord (migration ${String(version).padStart(4, '0')}_${name}); upgrade Concord, or point DATA_DIR at a backup made by this version`,
      );
    }
  }
  const record = db.prepare('INSERT INTO schema_migrations (version, name) VALUES (?, ?)');
  const done: number[] = [];
  for (const migration of migrations) {
    if (applied.has(migration.version)) continue;
    db.transaction(() => {
      db.exec(migration.sql);
      record.run(migration.version, migration.name);
    })();
    done.push(migration.version);
  }
  return done;
}
