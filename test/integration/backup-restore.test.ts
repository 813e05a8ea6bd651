import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { cli, startServerProcess, waitForHealth } from '../support/processes.ts';
import type { ServerProcess } from '../support/processes.ts';
import { dataLockHeld } from '../../server/storage/data-lock.ts';
import { migrate, readMigrations } from '../../server/storage/migrations.ts';

const FIXTURE = resolve(import.meta.dirname, '../fixtures/draft-new-resolution-ai.txt');

/** The secretariat's backup and restore, through the real CLI on a real data folder. */
describe('concord backup and restore', () => {
  it('restores a backup, keeping the replaced database, and refuses a file that is not a backup', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'concord-restore-'));
    const backup = join(dataDir, 'backup.db');
    try {
      expect(cli(['group', 'add', 'cwg-ai', '--name', 'CWG on AI'], { dataDir }).status).toBe(0);
      expect(cli(['backup', backup], { dataDir }).stdout.trim()).toBe(backup);
      expect(cli(['group', 'add', 'later', '--name', 'Added after the backup'], { dataDir }).status).toBe(0);
      expect(cli(['delegation', 'add', 'later', 'Brazil'], { dataDir }).status).toBe(0);

      const restored = cli(['restore', backup], { dataDir });
      expect(restored.status).toBe(0);
      expect(restored.stderr).toMatch(/replaced database is kept as .*concord\.db\.before-restore-/);
      // the group added after the backup is gone; the earlier one is there
      expect(cli(['delegation', 'add', 'later', 'Kenya'], { dataDir }).stderr).toMatch(/later/);
      expect(cli(['delegation', 'add', 'cwg-ai', 'Kenya'], { dataDir }).status).toBe(0);
      expect(readdirSync(dataDir).some((f) => f.startsWith('concord.db.before-restore-'))).toBe(true);

      const junk = join(dataDir, 'junk.db');
      writeFileSync(junk, 'this is not a database');
      const refused = cli(['restore', junk], { dataDir });
      expect(refused.status).toBe(1);
      expect(refused.stderr).toMatch(/is not a Concord backup/);
      expect(existsSync(join(dataDir, 'concord.db'))).toBe(true);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

/**
 * A restore checks the whole file before touching anything: each bad backup below is refused with
 * a message naming what is wrong, and the current database stays exactly as it was.
 */
describe('concord restore refuses what would break the data', () => {
  let dataDir: string;
  let backup: string;
  let documentId: string;

  /** A copy of the good backup, changed by `sql` (or by `change`, on the file's bytes). */
  const tampered = (name: string, change: string | ((file: string) => void)) => {
    const file = join(dataDir, `${name}.db`);
    copyFileSync(backup, file);
    if (typeof change === 'string') {
      const db = new Database(file);
      db.exec(change);
      db.close();
    } else change(file);
    return file;
  };

  /** What must hold after a refused restore: the database is the current one, and the CLI works. */
  const expectUnchanged = () => {
    expect(cli(['documents', 'later'], { dataDir }).status).toBe(0); // created after the backup
    expect(cli(['documents', 'cwg-ai'], { dataDir }).stdout).toContain(documentId);
    expect(cli(['export', documentId, '--format', 'txt'], { dataDir }).status).toBe(0);
    expect(readdirSync(dataDir).filter((f) => /before-restore|restoring/.test(f))).toEqual([]);
  };

  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'concord-restore-checks-'));
    backup = join(dataDir, 'good.db');
    expect(cli(['group', 'add', 'cwg-ai', '--name', 'CWG on AI'], { dataDir }).status).toBe(0);
    const imported = cli(['import', 'cwg-ai', FIXTURE, '--symbol', 'CWG-AI/3'], { dataDir });
    expect(imported.status).toBe(0);
    documentId = imported.stdout.trim();
    expect(cli(['backup', backup], { dataDir }).status).toBe(0);
    expect(cli(['group', 'add', 'later', '--name', 'Added after the backup'], { dataDir }).status).toBe(0);
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  const foreign = (file: string, build: (db: Database.Database) => void) => {
    const db = new Database(file);
    build(db);
    db.close();
  };

  const cases: [string, () => string, RegExp][] = [
    [
      'an empty file',
      () => {
        const file = join(dataDir, 'empty.db');
        writeFileSync(file, '');
        return file;
      },
      /is not a Concord backup: it has no schema_migrations table; choose another backup/,
    ],
    [
      'a foreign SQLite file with a schema_migrations table',
      () => {
        const file = join(dataDir, 'foreign.db');
        foreign(file, (db) =>
          db.exec(`CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL);
        INSERT INTO schema_migrations VALUES (1, 'platform_core');
        CREATE TABLE photos (id INTEGER PRIMARY KEY, path TEXT);`),
        );
        return file;
      },
      /is not a Concord backup: .*table "photos" that Concord does not make.*choose another backup/,
    ],
    [
      "a foreign file with Concord's table names but other columns",
      () => {
        const file = join(dataDir, 'same-names.db');
        const good = new Database(backup, { readonly: true });
        const tables = good.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all() as { name: string; sql: string }[];
        const migrations = good.prepare('SELECT version, name FROM schema_migrations').all() as { version: number; name: string }[];
        good.close();
        foreign(file, (db) => {
          for (const t of tables) db.exec(t.name === 'schema_migrations' ? t.sql : `CREATE TABLE ${t.name} (id INTEGER PRIMARY KEY, data TEXT)`);
          for (const m of migrations) db.prepare('INSERT INTO schema_migrations (version, name) VALUES (?, ?)').run(m.version, m.name);
        });
        return file;
      },
      /table "working_groups" differs from Concord's \(no column slug, no column name, no column created_at, unexpected column data\)/,
    ],
    ['a backup with a column dropped', () => tampered('dropped-column', 'ALTER TABLE documents DROP COLUMN document_date'), /table "documents" differs from Concord's \(no column document_date\)/],
    [
      'a backup from a newer Concord',
      () => tampered('newer', "INSERT INTO schema_migrations (version, name) VALUES (999, 'from_the_future')"),
      /was made by a newer Concord \(migration 0999_from_the_future\); upgrade Concord first/,
    ],
    [
      'a backup whose documents have a newer structure',
      () => tampered('newer-structure', 'UPDATE documents SET schema_version = 99'),
      /was made by a newer Concord \(document CWG-AI\/3 has structure version 99.*upgrade Concord first/,
    ],
    [
      'a corrupt file (bytes flipped in the middle)',
      () =>
        tampered('corrupt', (file) => {
          const bytes = readFileSync(file);
          const page = 4096;
          const middle = Math.floor(bytes.length / page / 2) * page;
          for (let i = middle; i < middle + page; i++) bytes[i] = bytes[i]! ^ 0xff;
          writeFileSync(file, bytes);
        }),
      /is damaged.*choose another backup/,
    ],
    ['a poisoned file (a trigger added)', () => tampered('trigger', 'CREATE TRIGGER wipe AFTER INSERT ON working_groups BEGIN DELETE FROM users; END'), /trigger "wipe" that Concord does not make/],
    ['a poisoned file (a view added)', () => tampered('view', 'CREATE VIEW everyone AS SELECT * FROM users'), /view "everyone" that Concord does not make/],
    [
      'a backup with one garbage update',
      () =>
        tampered(
          'garbage-update',
          `INSERT INTO document_updates (document_id, data, created_at)
      VALUES ((SELECT id FROM documents), X'${Buffer.from('not a Yjs update, only bytes').toString('hex')}', 0)`,
        ),
      /holds an unreadable update \(document_updates row \d+\) of document CWG-AI\/3|holds changes of document CWG-AI\/3 that do not fit/,
    ],
  ];

  it.each(cases)('refuses %s, leaving the current database as it was', (_, make, message) => {
    const refused = cli(['restore', make()], { dataDir });
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(message);
    expect(refused.stderr.trim().split('\n')).toHaveLength(1);
    expectUnchanged();
  });

  it('refuses while a server runs on the folder, and restores once it has stopped', async () => {
    const server: ServerProcess = await startServerProcess({ DATA_DIR: dataDir, CONCORD_DEMO: '0' });
    try {
      await waitForHealth(server.port);
      expect(dataLockHeld(dataDir)).toBe(true);
      const refused = cli(['restore', backup], { dataDir });
      expect(refused.status).toBe(1);
      expect(refused.stderr).toMatch(/stop the server first: a Concord server is running on /);
      expectUnchanged();

      // a second server on the same folder refuses to start
      const second = await startServerProcess({ DATA_DIR: dataDir, CONCORD_DEMO: '0' });
      expect(await second.exited).toBe(2);
      expect(second.output()).toMatch(/another Concord server is using .*; stop it first/);
    } finally {
      server.child.kill('SIGTERM');
      expect(await server.exited).toBe(0);
    }
    expect(dataLockHeld(dataDir)).toBe(false);
    const restored = cli(['restore', backup], { dataDir });
    expect(restored.status).toBe(0);
    expect(cli(['documents', 'later'], { dataDir }).status).toBe(1); // gone with the restore
    expect(cli(['export', documentId, '--format', 'txt'], { dataDir }).status).toBe(0);
    expect(readdirSync(dataDir).filter((f) => f.includes('restoring'))).toEqual([]);
  }, 60_000);

  it('restores a backup of an older Concord, bringing it to this version', () => {
    const older = join(dataDir, 'older.db');
    const db = new Database(older);
    migrate(db, readMigrations().slice(0, 4)); // before versions (0005) existed
    db.prepare("INSERT INTO working_groups (slug, name) VALUES ('old-wg', 'From an older Concord')").run();
    db.close();
    expect(cli(['restore', older], { dataDir }).status).toBe(0);
    expect(cli(['documents', 'old-wg'], { dataDir }).status).toBe(0);
    expect(cli(['delegation', 'add', 'old-wg', 'Brazil'], { dataDir }).status).toBe(0);
  });

  it('restores over a current database that no longer opens', () => {
    const current = join(dataDir, 'concord.db');
    for (const suffix of ['-wal', '-shm']) rmSync(current + suffix, { force: true });
    writeFileSync(current, 'the disk ate this database');
    expect(cli(['documents', 'cwg-ai'], { dataDir }).status).not.toBe(0);
    const restored = cli(['restore', backup], { dataDir });
    expect(restored.status).toBe(0);
    expect(cli(['documents', 'cwg-ai'], { dataDir }).stdout).toContain(documentId);
    const kept = readdirSync(dataDir).filter((f) => f.startsWith('concord.db.before-restore-'));
    expect(kept.map((f) => readFileSync(join(dataDir, f), 'utf8'))).toContain('the disk ate this database');
  });
});
