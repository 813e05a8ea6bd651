import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Db } from './database.ts';
import type { PostgresSql } from './postgres-sql.ts';

/** Where the numbered SQL files live: `migrations/NNNN_name.sql`. */
export const MIGRATIONS_DIR = resolve(import.meta.dirname, '../../migrations');

/** The same numbered migrations, written for PostgreSQL (the update log has the cluster's shape there). */
export const POSTGRES_MIGRATIONS_DIR = join(MIGRATIONS_DIR, 'postgres');

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
  db.exec(SCHEMA_MIGRATIONS);
  const applied = db.prepare('SELECT version, name FROM schema_migrations').all() as Applied[];
  refuseNewer(applied, migrations);
  const record = db.prepare('INSERT INTO schema_migrations (version, name) VALUES (?, ?)');
  const done: number[] = [];
  for (const migration of unapplied(applied, migrations)) {
    db.transaction(() => {
      db.exec(migration.sql);
      record.run(migration.version, migration.name);
    })();
    done.push(migration.version);
  }
  return done;
}

/**
 * The same on PostgreSQL, in one transaction under an advisory lock: instances starting together
 * wait for the first one, then find nothing left to apply.
 */
export async function migratePostgres(sql: PostgresSql, migrations = readMigrations(POSTGRES_MIGRATIONS_DIR)): Promise<number[]> {
  return sql.transaction(async (tx) => {
    await tx.exec('SELECT pg_advisory_xact_lock(7020611)');
    await tx.exec(SCHEMA_MIGRATIONS.replace("DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))", 'DEFAULT now()::text'));
    const applied = await tx.all<Applied>('SELECT version, name FROM schema_migrations');
    refuseNewer(applied, migrations);
    const done: number[] = [];
    for (const migration of unapplied(applied, migrations)) {
      await tx.exec(migration.sql);
      await tx.run('INSERT INTO schema_migrations (version, name) VALUES (?, ?)', [migration.version, migration.name]);
      done.push(migration.version);
    }
    return done;
  });
}

const SCHEMA_MIGRATIONS = `CREATE TABLE IF NOT EXISTS schema_migrations (
  version INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
)`;

interface Applied {
  version: number;
  name: string;
}

function refuseNewer(applied: readonly Applied[], migrations: readonly Migration[]): void {
  const known = new Set(migrations.map((m) => m.version));
  const newest = Math.max(0, ...migrations.map((m) => m.version));
  for (const { version, name } of applied) {
    if (!known.has(version) && version > newest) {
      throw new NewerDatabaseError(
        `this database was written by a newer version of Concord (migration ${String(version).padStart(4, '0')}_${name}); upgrade Concord, or point the server at a backup made by this version`,
      );
    }
  }
}

const unapplied = (applied: readonly Applied[], migrations: readonly Migration[]) => {
  const done = new Set(applied.map((a) => a.version));
  return migrations.filter((m) => !done.has(m.version));
};
