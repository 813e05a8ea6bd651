import { describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../server/storage/database.ts';
import { migrate } from '../../server/storage/migrations.ts';
import { DocumentLog } from '../../server/storage/document-log.ts';
import { Accounts } from '../../server/storage/accounts.ts';
import { Documents } from '../../server/storage/documents.ts';
import { UpdateQueue } from '../../server/collab/persistence.ts';
import type { PendingUpdate } from '../../server/collab/persistence.ts';

function setup(file = join(mkdtempSync(join(tmpdir(), 'concord-queue-')), 'queue.db'), durability: 'disk' | 'commit' = 'disk') {
  const db = openDatabase(file);
  migrate(db);
  const group = new Accounts(db).addGroup('wg', 'Working group');
  const documentId = new Documents(db).create({ groupId: group.id, symbol: 'WG/1', title: 'T', type: 'resolution', createdBy: null }).id;
  const log = new DocumentLog(db);
  return { db, log, queue: new UpdateQueue(log, durability), documentId };
}

/** An update entry that records what happens to it, in order, in `events`. */
function entry(documentId: string, name: string, events: string[]): PendingUpdate {
  return {
    documentId,
    update: new TextEncoder().encode(name),
    stored: () => events.push(`stored ${name}`),
    release: () => events.push(`durable ${name}`),
    failed: (error) => events.push(`failed ${name}: ${error.message}`),
  };
}

const turn = () => new Promise((resolve) => setImmediate(resolve));

describe('update queue (group commit, fsync off the event loop)', () => {
  it('commits a turn at once but broadcasts only once the WAL is synced, in commit order', async () => {
    const { db, log, queue, documentId } = setup();
    const events: string[] = [];
    queue.enqueue(entry(documentId, 'a', events));
    queue.enqueue(entry(documentId, 'b', events));
    queue.flush();
    // committed (a crash of the process keeps it) but not yet broadcast
    expect(events).toEqual(['stored a', 'stored b']);
    expect(log.load(documentId).updates).toHaveLength(2);
    expect(queue.size).toBe(2);
    expect(db.pragma('synchronous', { simple: true })).toBe(2); // FULL again for everything else
    await expect.poll(() => events.length).toBe(4);
    expect(events.slice(2)).toEqual(['durable a', 'durable b']);
    expect(queue.size).toBe(0);
    queue.close();
  });

  it('a durable flush broadcasts every earlier commit before its own, once, and returns with all on disk', async () => {
    const { queue, documentId } = setup();
    const events: string[] = [];
    queue.enqueue(entry(documentId, 'a', events));
    queue.flush(); // a: committed, its fsync running
    queue.enqueue(entry(documentId, 'b', events));
    queue.flush(); // b: committed, waiting for the next fsync
    queue.enqueue(entry(documentId, 'decision', events));
    queue.flush({ durable: true });
    expect(events).toEqual(['stored a', 'stored b', 'stored decision', 'durable a', 'durable b', 'durable decision']);
    for (let i = 0; i < 5; i++) await turn();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(events.filter((e) => e.startsWith('durable'))).toHaveLength(3);
    queue.close();
  });

  it('in memory (no WAL to sync) every flush is durable at once', () => {
    const { queue, documentId } = setup(':memory:');
    const events: string[] = [];
    queue.enqueue(entry(documentId, 'a', events));
    queue.flush();
    expect(events).toEqual(['stored a', 'durable a']);
  });

  it('a failed commit is reported and nothing of it is broadcast', () => {
    const { db, queue, documentId } = setup();
    const events: string[] = [];
    queue.enqueue({ ...entry(documentId, 'a', events), alongside: () => db.prepare('INSERT INTO no_such_table VALUES (1)').run() });
    queue.flush();
    expect(events).toHaveLength(1);
    expect(events[0]).toMatch(/^failed a: no such table/);
    queue.close();
  });

  it('with durability "commit" broadcasts once committed, then syncs, and never broadcasts twice', async () => {
    const { queue, documentId } = setup(undefined, 'commit');
    const events: string[] = [];
    queue.enqueue(entry(documentId, 'a', events));
    queue.flush();
    expect(events).toEqual(['stored a', 'durable a']);
    expect(queue.size).toBe(1); // its fsync still running
    queue.enqueue(entry(documentId, 'decision', events));
    queue.flush({ durable: true });
    expect(events).toEqual(['stored a', 'durable a', 'stored decision', 'durable decision']);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(events).toHaveLength(4);
    expect(queue.size).toBe(0);
    queue.close();
  });
});
