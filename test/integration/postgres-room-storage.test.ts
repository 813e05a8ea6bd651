import pg from 'pg';
import * as Y from 'yjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Ownership } from '../../server/cluster/ownership.ts';
import { OwnedElsewhere, PostgresRoomStorage } from '../../server/cluster/postgres-room-storage.ts';
import type { PendingUpdate } from '../../server/collab/persistence.ts';
import type { StoredDocument } from '../../server/storage/document-log.ts';
import { hasPostgres, startPostgres } from '../support/postgres.ts';
import type { Postgres } from '../support/postgres.ts';
import { migratedWithDocuments } from '../support/postgres-schema.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A delegate's typing, as Yjs updates of one document. */
function typist() {
  const doc = new Y.Doc();
  const updates: Uint8Array[] = [];
  doc.on('update', (u: Uint8Array) => updates.push(u));
  return { type: (words: string) => doc.getText('t').insert(doc.getText('t').length, words), updates };
}

const textOf = (stored: StoredDocument) => {
  const doc = new Y.Doc();
  if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot);
  for (const u of stored.updates) Y.applyUpdate(doc, u);
  return doc.getText('t').toString();
};

/** Hands `update` to storage and says what became of it. */
function pending(storage: PostgresRoomStorage, documentId: string, update: Uint8Array) {
  const outcome: { stored?: number; released: boolean; failed?: Error } = { released: false };
  const entry: PendingUpdate = { documentId, update, stored: (id) => (outcome.stored = id), release: () => (outcome.released = true), failed: (e) => (outcome.failed = e) };
  storage.store(entry);
  return outcome;
}

/** A room's storage on a real PostgreSQL 15: fenced appends, what is kept for a reload, compaction, handover. */
describe.skipIf(!hasPostgres())('a room stored in PostgreSQL', () => {
  let server: Postgres;
  let pool: pg.Pool;
  const ids = ['room-1', 'room-2', 'room-3', 'room-4'];
  beforeAll(async () => {
    server = await startPostgres();
    pool = new pg.Pool({ connectionString: server.url, max: 8 });
    await migratedWithDocuments(pool, ids);
  }, 60_000);
  afterAll(async () => {
    await pool?.end();
    server?.destroy();
  });
  const storageOf = (instance: string, ttlMs = 2000, lost: string[] = []) => new PostgresRoomStorage(pool, new Ownership(pool, instance, ttlMs), (id) => lost.push(id));
  const rows = async (documentId: string) => (await pool.query('SELECT seq, epoch FROM document_updates WHERE document_id = $1 ORDER BY seq', [documentId])).rows;

  it('stores each turn in order, releases only what is committed, and hands the document over on close', async () => {
    const a = storageOf('a');
    await a.open('room-1');
    const kenya = typist();
    kenya.type('Recognizing ');
    kenya.type('the need ');
    const outcomes = kenya.updates.map((u) => pending(a, 'room-1', u));
    expect(outcomes.every((o) => !o.released)).toBe(true);
    // what is on its way is already part of what a reload replays
    expect(textOf(a.reload('room-1'))).toBe('Recognizing the need ');
    await a.flush('room-1');
    expect(outcomes.map((o) => [o.stored, o.released])).toEqual([
      [1, true],
      [2, true],
    ]);
    expect(await rows('room-1')).toEqual([
      { seq: '1', epoch: '1' },
      { seq: '2', epoch: '1' },
    ]);
    const b = storageOf('b');
    await expect(b.open('room-1')).rejects.toThrow(OwnedElsewhere);
    await a.close('room-1');
    expect(textOf(await b.open('room-1'))).toBe('Recognizing the need ');
    kenya.type('for trust');
    pending(b, 'room-1', kenya.updates.at(-1)!);
    await b.flush('room-1');
    expect((await rows('room-1')).at(-1)).toEqual({ seq: '3', epoch: '2' });
    a.stop();
    b.stop();
  });

  it('an owner paused past its lease stores nothing more and says it lost the document', async () => {
    const lostByA: string[] = [];
    const a = storageOf('a', 200, lostByA);
    await a.open('room-2');
    a.stop(); // as if SIGSTOPped: no renewal
    await sleep(300);
    const b = storageOf('b', 2000);
    await b.open('room-2');
    const brazil = typist();
    brazil.type('late words');
    const outcome = pending(a, 'room-2', brazil.updates[0]!);
    await a.flush('room-2');
    expect(outcome.released).toBe(false);
    expect(outcome.failed?.message).toMatch(/no longer the owner of room-2: b holds it at epoch 2/);
    expect(lostByA).toEqual(['room-2']);
    expect(await rows('room-2')).toEqual([]);
    b.stop();
  });

  it('compacts into a snapshot fenced by the lease, and never back to an older one', async () => {
    const a = storageOf('a', 300);
    await a.open('room-3');
    const chair = typist();
    for (const word of ['a', 'b', 'c', 'd']) chair.type(word);
    for (const u of chair.updates) pending(a, 'room-3', u);
    await a.flush('room-3');
    const state = Y.mergeUpdates(chair.updates);
    await a.compact('room-3', state, 4, 3);
    expect(await rows('room-3')).toEqual([]);
    chair.type('e');
    pending(a, 'room-3', chair.updates.at(-1)!);
    await a.flush('room-3');
    expect(textOf(a.reload('room-3'))).toBe('abcde');
    a.stop(); // paused past its lease
    await sleep(400);
    const b = storageOf('b');
    expect(textOf(await b.open('room-3'))).toBe('abcde');
    // the old owner wakes and compacts what it had: refused, nothing of the log touched
    await expect(a.compact('room-3', state, 5, 3)).rejects.toThrow(/no longer the owner/);
    expect(await rows('room-3')).toEqual([{ seq: '5', epoch: '1' }]);
    b.stop();
  });

  it('refuses a chair decision with its record for now, saying so, and stores nothing of it', async () => {
    const a = storageOf('a');
    await a.open('room-4');
    const chair = typist();
    chair.type('agreed');
    let failed: Error | null = null;
    a.store({ documentId: 'room-4', update: chair.updates[0]!, alongside: () => {}, stored: () => {}, release: () => {}, failed: (e) => (failed = e) });
    expect(failed).toBeInstanceOf(Error);
    expect(String(failed)).toMatch(/not stored on PostgreSQL yet/);
    await a.flush('room-4');
    expect(await rows('room-4')).toEqual([]);
    a.stop();
  });
});
