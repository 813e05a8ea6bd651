import { describe, expect, it } from 'vitest';
import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../server/storage/database.ts';
import { Checkpointer } from '../../server/storage/checkpointer.ts';

describe('checkpoint thread', () => {
  it('copies the WAL into the database file from its own thread every 500 commits of the log, and hands checkpoints back to SQLite when stopped', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'concord-checkpoint-')), 'c.db');
    const db = openDatabase(file);
    const checkpointer = new Checkpointer(db);
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
    db.exec('CREATE TABLE t (data BLOB)');
    const insert = db.prepare('INSERT INTO t (data) VALUES (?)');
    for (let i = 0; i < 600; i++) insert.run(Buffer.alloc(4096, i % 256));
    // nothing on this connection checkpoints: only the thread can grow the database file
    const before = statSync(file).size;
    expect(statSync(`${file}-wal`).size).toBeGreaterThan(2_000_000);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(statSync(file).size).toBe(before); // not before 500 commits of the log
    for (let i = 0; i < 500; i++) checkpointer.committed();
    await expect.poll(() => statSync(file).size, { timeout: 10_000, interval: 200 }).toBeGreaterThan(before + 2_000_000);
    await checkpointer.stop();
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
    expect(db.prepare('SELECT count(*) AS n FROM t').get()).toEqual({ n: 600 });
    db.close();
  });
});
