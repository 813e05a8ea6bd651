import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Ownership, OwnershipLost } from '../../server/cluster/ownership.ts';
import { hasPostgres, startPostgres } from '../support/postgres.ts';
import { migratedWithDocuments } from '../support/postgres-schema.ts';
import type { Postgres } from '../support/postgres.ts';

const bytes = (text: string) => new TextEncoder().encode(text);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Leases and fenced appends against a real PostgreSQL 15 in a temporary folder. */
describe.skipIf(!hasPostgres())('one owner per document', () => {
  let server: Postgres;
  let pool: pg.Pool;
  beforeAll(async () => {
    server = await startPostgres();
    pool = new pg.Pool({ connectionString: server.url, max: 8 });
    await migratedWithDocuments(pool, ['doc-1', 'doc-2', 'doc-3', ...Array.from({ length: 20 }, (_, round) => `race-${round}`)]);
  }, 60_000);
  afterAll(async () => {
    await pool?.end();
    server?.destroy();
  });

  const stored = async (documentId: string) =>
    (await pool.query<{ seq: string; epoch: string; data: Buffer }>('SELECT seq, epoch, data FROM document_updates WHERE document_id = $1 ORDER BY seq', [documentId])).rows.map((r) => ({
      seq: Number(r.seq),
      epoch: Number(r.epoch),
      text: r.data.toString(),
    }));

  it('gives a document to one instance, and to another only once the lease ran out, with a greater epoch', async () => {
    const a = new Ownership(pool, 'instance-a', 400);
    const b = new Ownership(pool, 'instance-b', 400);
    const leaseA = await a.acquire('doc-1');
    expect(leaseA).toMatchObject({ epoch: 1, seq: 0 });
    expect(await b.acquire('doc-1')).toBeNull();
    await a.append(leaseA!, [bytes('one'), bytes('two')]);
    await sleep(500);
    const leaseB = await b.acquire('doc-1');
    expect(leaseB).toMatchObject({ epoch: 2, seq: 2 });
    // the old owner wakes up (a pause, a partition): it can neither renew nor store
    expect(await a.renew(leaseA!)).toBe(false);
    await expect(a.append(leaseA!, [bytes('late')])).rejects.toThrow(/instance-b holds it at epoch 2 \(ours was 1\)/);
    await b.append(leaseB!, [bytes('three')]);
    expect(await stored('doc-1')).toEqual([
      { seq: 1, epoch: 1, text: 'one' },
      { seq: 2, epoch: 1, text: 'two' },
      { seq: 3, epoch: 2, text: 'three' },
    ]);
  });

  it('keeps a renewed lease, and hands over at once on release', async () => {
    const a = new Ownership(pool, 'instance-a', 300);
    const b = new Ownership(pool, 'instance-b', 300);
    const lease = (await a.acquire('doc-2'))!;
    for (let i = 0; i < 4; i++) {
      await sleep(150);
      expect(await a.renew(lease)).toBe(true);
    }
    expect(await b.acquire('doc-2')).toBeNull();
    await a.release(lease);
    expect(await b.acquire('doc-2')).toMatchObject({ epoch: 2 });
  });

  it('refuses an append whose sequence number is not the last stored one, storing nothing of it', async () => {
    const a = new Ownership(pool, 'instance-a', 5_000);
    const lease = (await a.acquire('doc-3'))!;
    await a.append(lease, [bytes('first')]);
    const stale = { ...lease, seq: 0 };
    const error = await a.append(stale, [bytes('again'), bytes('twice')]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OwnershipLost);
    expect((error as Error).message).toMatch(/its sequence is at 1, not 0/);
    expect((await stored('doc-3')).map((u) => u.text)).toEqual(['first']);
  });

  it('never loses an append racing a takeover: it is stored before the new owner loads, or refused', async () => {
    for (let round = 0; round < 20; round++) {
      const documentId = `race-${round}`;
      const a = new Ownership(pool, 'instance-a', 50);
      const b = new Ownership(pool, 'instance-b', 50);
      const leaseA = (await a.acquire(documentId))!;
      await sleep(60); // the lease has run out, but instance-a does not know it yet
      const appended = a.append(leaseA, [bytes(`a-${round}`)]).then(
        () => true,
        (e: unknown) => (e instanceof OwnershipLost ? false : Promise.reject(e)),
      );
      const leaseB = await b.acquire(documentId);
      const storedByA = await appended;
      expect(leaseB).not.toBeNull();
      // what the new owner loads is exactly what was stored: A's update if and only if its append succeeded
      expect(leaseB!.seq).toBe(storedByA ? 1 : 0);
      await b.append(leaseB!, [bytes(`b-${round}`)]);
      expect((await stored(documentId)).map((u) => u.text)).toEqual(storedByA ? [`a-${round}`, `b-${round}`] : [`b-${round}`]);
    }
  });
});
