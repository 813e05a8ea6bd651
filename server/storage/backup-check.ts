import Database from 'better-sqlite3';
import * as Y from 'yjs';
import { schema } from '../../shared/schema/index.ts';
import { TEXT_FRAGMENT } from '../../shared/protocol.ts';
import { strictDocument } from '../../shared/yjs/strict-document.ts';
import { hasPending } from '../collab/placeable.ts';
import { DOCUMENT_SCHEMA_VERSION } from './documents.ts';
import { migrate, readMigrations } from './migrations.ts';
import type { Db } from './database.ts';

/** Why a file may not become the database; the message says what to do. */
export class BackupError extends Error {}

/**
 * Checks that `file` is a whole Concord database this version can run, before anything is
 * touched: a SQLite file, with exactly the schema Concord's own migrations make (a table name
 * is not enough; an extra trigger or view would run inside the server), undamaged, and every
 * stored document readable. Opened read-only with untrusted schema, so nothing in it runs.
 * `name` is what messages call the file (the backup, when checking its copy).
 */
export function checkBackup(file: string, name = file): void {
  const refuse = (problem: string, advice = 'choose another backup'): never => {
    throw new BackupError(`${name} ${problem}; ${advice}`);
  };
  let db: Db | undefined;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
    db.pragma('trusted_schema = OFF');
    const count = checkMigrations(db, refuse);
    checkSchema(db, count, refuse);
    const integrity = (db.pragma('integrity_check(5)') as { integrity_check: string }[]).map((row) => row.integrity_check);
    if (integrity.join() !== 'ok') refuse(`is damaged (integrity check: ${integrity.join('; ')})`);
    checkDocuments(db, refuse);
  } catch (error) {
    if (error instanceof BackupError) throw error;
    const code = (error as { code?: string }).code;
    if (code === 'SQLITE_NOTADB') refuse(`is not a Concord backup: it is not a SQLite database`);
    if (code?.startsWith('SQLITE_CORRUPT')) refuse(`is damaged (${(error as Error).message})`);
    refuse(`cannot be read as a Concord backup (${(error as Error).message})`);
  } finally {
    db?.close();
  }
}

type Refuse = (problem: string, advice?: string) => never;

/** The migrations the file records must be the first ones of this Concord's, in order; returns how many. */
function checkMigrations(db: Db, refuse: Refuse): number {
  const table = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'").get();
  if (!table) refuse('is not a Concord backup: it has no schema_migrations table');
  let applied: { version: number; name: string }[] = [];
  try {
    applied = db.prepare('SELECT version, name FROM schema_migrations ORDER BY version').all() as typeof applied;
  } catch (error) {
    refuse(`is not a Concord backup: its schema_migrations table is not Concord's (${(error as Error).message})`);
  }
  if (applied.length === 0) refuse('is not a Concord backup: it records no migrations');
  const known = readMigrations();
  const label = (m: { version: number; name: string }) => `${String(m.version).padStart(4, '0')}_${m.name}`;
  applied.forEach((migration, index) => {
    const expected = known[index];
    if (expected && expected.version === migration.version && expected.name === migration.name) return;
    if (!known.some((m) => m.name === migration.name)) {
      refuse(`was made by a newer Concord (migration ${label(migration)})`, 'upgrade Concord first, or choose another backup');
    }
    refuse(`is not a Concord backup: its migrations are not Concord's in order (${label(migration)} where ${expected ? label(expected) : 'none'} belongs)`);
  });
  return applied.length;
}

interface SchemaObject {
  type: string;
  name: string;
  sql: string | null;
}

/** The file's schema must be exactly what the same migrations make in an empty database. */
function checkSchema(db: Db, count: number, refuse: Refuse): void {
  const expected = new Database(':memory:');
  try {
    migrate(expected, readMigrations().slice(0, count));
    const objects = (d: Db) =>
      new Map((d.prepare('SELECT type, name, sql FROM sqlite_master').all() as SchemaObject[]).map((o) => [`${o.type} "${o.name}"`, o.sql?.replace(/\s+/g, ' ').trim() ?? null]));
    const want = objects(expected);
    const have = objects(db);
    const problems: string[] = [];
    for (const [key, sql] of have) {
      if (!want.has(key)) problems.push(`it has a ${key} that Concord does not make`);
      else if (want.get(key) !== sql) problems.push(`its ${key} differs from Concord's${columnDifference(db, expected, key)}`);
    }
    for (const key of want.keys()) if (!have.has(key)) problems.push(`it lacks the ${key}`);
    if (problems.length) refuse(`is not a Concord backup: ${problems.slice(0, 3).join('; ')}`);
  } finally {
    expected.close();
  }
}

/** For a table that differs: which columns are missing or unexpected. */
function columnDifference(db: Db, expected: Db, key: string): string {
  if (!key.startsWith('table ')) return '';
  const table = key.slice('table '.length).replaceAll('"', '');
  const columns = (d: Db) => (d.prepare('SELECT name FROM pragma_table_info(?)').all(table) as { name: string }[]).map((c) => c.name);
  const have = columns(db);
  const want = columns(expected);
  const parts = [...want.filter((c) => !have.includes(c)).map((c) => `no column ${c}`), ...have.filter((c) => !want.includes(c)).map((c) => `unexpected column ${c}`)];
  return ` (${parts.length ? parts.join(', ') : 'same columns, other definition'})`;
}

/**
 * Every document replays as the server would read it: each stored row decodes and applies, and a
 * document at the current structure leaves nothing pending and reads as a valid text (older ones
 * are repaired by the start-up migration).
 */
function checkDocuments(db: Db, refuse: Refuse): void {
  const documents = db.prepare('SELECT id, symbol, schema_version AS version FROM documents ORDER BY symbol').all() as { id: string; symbol: string; version: number }[];
  const snapshot = db.prepare('SELECT data, schema_version AS version FROM document_snapshots WHERE document_id = ?');
  const updates = db.prepare('SELECT id, data FROM document_updates WHERE document_id = ? ORDER BY id');
  // versions came with migration 0005: an older backup has none
  const hasVersions = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'versions'").get() !== undefined;
  const versions = hasVersions ? db.prepare('SELECT id, name, state, text FROM versions WHERE document_id = ? ORDER BY id') : null;
  const newer = 'upgrade Concord first, or choose another backup';
  for (const document of documents) {
    const what = `document ${document.symbol}`;
    const stored = snapshot.get(document.id) as { data: Buffer; version: number } | undefined;
    const version = Math.max(document.version, stored?.version ?? 0);
    if (version > DOCUMENT_SCHEMA_VERSION) {
      refuse(`was made by a newer Concord (${what} has structure version ${version}, this Concord knows up to ${DOCUMENT_SCHEMA_VERSION})`, newer);
    }
    const doc = new Y.Doc();
    try {
      const apply = (data: Buffer, row: string) => {
        try {
          Y.applyUpdate(doc, new Uint8Array(data));
        } catch (error) {
          refuse(`holds an unreadable ${row} of ${what} (${(error as Error).message})`);
        }
      };
      if (stored) apply(stored.data, 'snapshot');
      for (const row of updates.all(document.id) as { id: number; data: Buffer }[]) apply(row.data, `update (document_updates row ${row.id})`);
      if (document.version === DOCUMENT_SCHEMA_VERSION) {
        if (hasPending(doc)) refuse(`holds changes of ${what} that do not fit its history (updates that cannot be placed)`);
        try {
          strictDocument(doc.getXmlFragment(TEXT_FRAGMENT), schema);
        } catch (error) {
          refuse(`holds a text of ${what} that is not valid (${(error as Error).message})`);
        }
      }
    } finally {
      doc.destroy();
    }
    for (const row of (versions?.all(document.id) ?? []) as { id: number; name: string; state: Buffer; text: string }[]) {
      const copy = new Y.Doc();
      try {
        Y.applyUpdate(copy, new Uint8Array(row.state));
        JSON.parse(row.text);
      } catch (error) {
        refuse(`holds an unreadable version "${row.name}" (versions row ${row.id}) of ${what} (${(error as Error).message})`);
      } finally {
        copy.destroy();
      }
    }
  }
}
