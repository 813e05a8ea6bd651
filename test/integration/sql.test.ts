import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../server/storage/database.ts';
import { migrate, migratePostgres, NewerDatabaseError, POSTGRES_MIGRATIONS_DIR, readMigrations } from '../../server/storage/migrations.ts';
import { numbered, PostgresSql, postgresPool } from '../../server/storage/postgres-sql.ts';
import { SqliteSql, TransactionSpannedError } from '../../server/storage/sql.ts';
import type { Sql } from '../../server/storage/sql.ts';
import { hasPostgres, startPostgres } from '../support/postgres.ts';
import type { Postgres } from '../support/postgres.ts';

/**
 * The one SQL interface the stores are written against, on both engines: the same statements give
 * the same rows (numbers as numbers, bytes as bytes), and a transaction keeps all or nothing.
 */
function behavesAsSql(name: string, open: () => Promise<Sql>) {
  describe(name, () => {
    let sql: Sql;
    beforeAll(async () => {
      sql = await open();
    }, 60_000);

    it('inserts with RETURNING, reads back numbers as numbers and bytes as bytes', async () => {
      const group = await sql.get<{ id: number }>('INSERT INTO working_groups (slug, name) VALUES (?, ?) RETURNING id', ['cwg-ai', 'Council Working Group on AI']);
      expect(typeof group!.id).toBe('number');
      const user = await sql.get<{ id: number }>('INSERT INTO users (username, display_name) VALUES (?, ?) RETURNING id', ['kenya', 'Kenya delegate']);
      const expires = Date.now() + 30 * 24 * 3600 * 1000; // beyond 32 bits
      await sql.run('INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)', ['hash-1', user!.id, Date.now(), expires]);
      expect(await sql.get('SELECT expires_at, count(*) AS n FROM sessions GROUP BY expires_at')).toEqual({ expires_at: expires, n: 1 });
      const row = await sql.get<{ groupId: number; createdAt: string }>('SELECT id AS "groupId", created_at AS "createdAt" FROM working_groups WHERE lower(slug) = lower(?)', ['CWG-AI']);
      expect(row!.groupId).toBe(group!.id);
      expect(row!.createdAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      const document = '00000000-0000-4000-8000-000000000001';
      await sql.run('INSERT INTO documents (id, group_id, symbol, title, type) VALUES (?, ?, ?, ?, ?)', [document, group!.id, 'CWG-AI/1', 'Draft', 'resolution']);
      const bytes = new Uint8Array([0, 1, 2, 254, 255]).subarray(1);
      await sql.run('INSERT INTO versions (document_id, name, kind, state, text) VALUES (?, ?, ?, ?, ?)', [document, 'Rev.1', 'named', bytes, '{}']);
      const version = await sql.get<{ state: Buffer }>('SELECT state FROM versions WHERE document_id = ?', [document]);
      expect([...version!.state]).toEqual([1, 2, 254, 255]);
      expect(await sql.run('UPDATE users SET display_name = ? WHERE id = ?', ['Kenya', user!.id])).toBe(1);
    });

    it('keeps a transaction whole, or nothing of it when it throws', async () => {
      await sql.transaction(async (tx) => {
        await tx.run('INSERT INTO users (username, display_name) VALUES (?, ?)', ['brazil', 'Brazil']);
        await tx.run('INSERT INTO users (username, display_name) VALUES (?, ?)', ['chair', 'Chair']);
      });
      await expect(
        sql.transaction(async (tx) => {
          await tx.run('INSERT INTO users (username, display_name) VALUES (?, ?)', ['france', 'France']);
          await tx.run('INSERT INTO users (username, display_name) VALUES (?, ?)', ['chair', 'a second chair']); // UNIQUE
        }),
      ).rejects.toThrow();
      const names = (await sql.all<{ username: string }>('SELECT username FROM users ORDER BY username')).map((u) => u.username);
      expect(names).toEqual(['brazil', 'chair', 'kenya']);
    });

    it('lets no statement from elsewhere into an open transaction', async () => {
      const seen: string[] = [];
      const inside = sql.transaction(async (tx) => {
        await tx.run('INSERT INTO users (username, display_name) VALUES (?, ?)', ['oman', 'Oman']);
        seen.push('inside');
        throw new Error('changed my mind');
      });
      const outside = sql.run('INSERT INTO users (username, display_name) VALUES (?, ?)', ['peru', 'Peru']).then(() => seen.push('outside'));
      await expect(inside).rejects.toThrow('changed my mind');
      await outside;
      const names = (await sql.all<{ username: string }>("SELECT username FROM users WHERE username IN ('oman', 'peru')")).map((u) => u.username);
      expect(names).toEqual(['peru']);
    });

    it('keeps the audit log append-only', async () => {
      await sql.run('INSERT INTO audit_log (action) VALUES (?)', ['test.entry']);
      await expect(sql.run('UPDATE audit_log SET action = ?', ['forged'])).rejects.toThrow(/append-only/);
      await expect(sql.run('DELETE FROM audit_log')).rejects.toThrow(/append-only/);
      await sql.runWithoutWaitingForDisk('INSERT INTO audit_log (action) VALUES (?)', ['login.failed']);
      expect((await sql.all('SELECT action FROM audit_log ORDER BY id')).map((r) => (r as { action: string }).action)).toEqual(['test.entry', 'login.failed']);
    });
  });
}

behavesAsSql('SQLite', async () => {
  const db = openDatabase(':memory:');
  migrate(db);
  return new SqliteSql(db);
});

describe('SQLite transactions', () => {
  it('rolls back, and says so, a transaction that waited on something else than its statements', async () => {
    const db = openDatabase(':memory:');
    migrate(db);
    const sql = new SqliteSql(db);
    await expect(
      sql.transaction(async (tx) => {
        await tx.run("INSERT INTO users (username, display_name) VALUES ('late', 'Late')");
        await new Promise((resolve) => setTimeout(resolve, 5));
      }),
    ).rejects.toThrow(TransactionSpannedError);
    expect(await sql.get("SELECT id FROM users WHERE username = 'late'")).toBeUndefined();
  });
});

it('numbers ? placeholders for PostgreSQL', () => {
  expect(numbered('SELECT a FROM t WHERE b = ? AND c IN (?, ?)')).toBe('SELECT a FROM t WHERE b = $1 AND c IN ($2, $3)');
});

describe.skipIf(!hasPostgres())('PostgreSQL', () => {
  let server: Postgres;
  const pools: ReturnType<typeof postgresPool>[] = [];
  beforeAll(async () => {
    server = await startPostgres();
  }, 60_000);
  afterAll(async () => {
    for (const pool of pools) await pool.end();
    server?.destroy();
  });
  const connect = () => {
    const pool = postgresPool(server.url, { max: 4 });
    pools.push(pool);
    return new PostgresSql(pool);
  };

  it('applies the migrations once, even with three instances starting together', async () => {
    const results = await Promise.all([connect(), connect(), connect()].map((sql) => migratePostgres(sql)));
    const all = readMigrations(POSTGRES_MIGRATIONS_DIR).map((m) => m.version);
    expect(results.flat().sort()).toEqual(all);
    expect(await migratePostgres(connect())).toEqual([]);
  });

  it('refuses a database written by a newer Concord, saying what to do', async () => {
    const sql = connect();
    await sql.run("INSERT INTO schema_migrations (version, name) VALUES (9999, 'from_the_future')");
    await expect(migratePostgres(sql)).rejects.toThrow(NewerDatabaseError);
    await expect(migratePostgres(sql)).rejects.toThrow(/newer version of Concord \(migration 9999_from_the_future\); upgrade Concord/);
    await sql.run('DELETE FROM schema_migrations WHERE version = 9999');
  });

  it('has the tables and columns of the SQLite schema (the update log in the shape of the cluster)', async () => {
    const db = openDatabase(':memory:');
    migrate(db);
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all() as { name: string }[]).map((t) => t.name);
    const sqlite = Object.fromEntries(tables.map((t) => [t, (db.prepare(`PRAGMA table_info(${t})`).all() as { name: string }[]).map((c) => c.name).sort()]));
    const rows = await connect().all<{ table_name: string; column_name: string }>("SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'public'");
    const postgres: Record<string, string[]> = {};
    for (const row of rows) (postgres[row.table_name] ??= []).push(row.column_name);
    for (const columns of Object.values(postgres)) columns.sort();
    // the stated differences: PostgreSQL numbers updates per document, and keeps each document's owner
    sqlite.document_updates = ['created_at', 'data', 'document_id', 'epoch', 'seq'];
    sqlite.document_owners = ['document_id', 'epoch', 'expires_at', 'owner', 'seq'];
    expect(postgres).toEqual(sqlite);
  });

  behavesAsSql('PostgreSQL stores', async () => connect());
});
