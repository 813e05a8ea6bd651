import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../server/storage/database.ts';
import { migrate, MIGRATIONS_DIR, NewerDatabaseError, readMigrations } from '../../server/storage/migrations.ts';

const tempDb = () => openDatabase(join(mkdtempSync(join(tmpdir(), 'concord-mig-')), 'test.db'));

describe('migrations', () => {
  it('applies every migration to a fresh database and records it', () => {
    const db = tempDb();
    const applied = migrate(db);
    expect(applied).toEqual(readMigrations().map((m) => m.version));
    const recorded = db.prepare('SELECT version FROM schema_migrations ORDER BY version').all() as { version: number }[];
    expect(recorded.map((r) => r.version)).toEqual(applied);
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'document_updates'").get()).toBeTruthy();
  });

  it('applies nothing when run again', () => {
    const db = tempDb();
    migrate(db);
    expect(migrate(db)).toEqual([]);
  });

  it('opens the database in WAL mode with full sync and foreign keys', () => {
    const db = tempDb();
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(2);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
  });

  it('rolls a failing migration back whole and leaves it unrecorded', () => {
    const dir = mkdtempSync(join(tmpdir(), 'concord-migdir-'));
    cpSync(MIGRATIONS_DIR, dir, { recursive: true });
    writeFileSync(join(dir, '9000_broken.sql'), 'CREATE TABLE half_done (id INTEGER);\nTHIS IS NOT SQL;');
    const db = tempDb();
    expect(() => migrate(db, readMigrations(dir))).toThrow();
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'half_done'").get()).toBeUndefined();
    expect(db.prepare('SELECT count(*) AS n FROM schema_migrations WHERE version = 9000').get()).toEqual({ n: 0 });
  });

  it('refuses a database written by a newer version, saying what to do', () => {
    const db = tempDb();
    migrate(db);
    db.prepare("INSERT INTO schema_migrations (version, name) VALUES (9999, 'from_the_future')").run();
    expect(() => migrate(db)).toThrow(NewerDatabaseError);
    expect(() => migrate(db)).toThrow(/newer version of Concord \(migration 9999_from_the_future\); upgrade Concord/);
  });
});
