import type { Pool, PoolClient } from 'pg';

/** This instance holds a document's row: it alone judges and stores the document's updates. */
export interface Lease {
  documentId: string;
  epoch: number;
  /** The number of the last update stored, as this owner knows it. */
  seq: number;
  /** When the row runs out unless renewed (the database's clock, read back). */
  expiresAt: Date;
}

/** The lease was taken over (or the sequence moved under us): this instance must stop owning the document. */
export class OwnershipLost extends Error {
  constructor(
    readonly documentId: string,
    reason: string,
  ) {
    super(`no longer the owner of ${documentId}: ${reason}`);
  }
}

/**
 * One owner per document, fenced: a row per document in PostgreSQL on the database's clock, with
 * an epoch that grows at each takeover. An append is one transaction that compare-and-sets the row
 * (same epoch, same sequence number) before it inserts: an owner that was paused or partitioned past
 * its lease finds a newer epoch and stores nothing, and since the compare-and-set locks the row, a
 * takeover waits for an append in flight, so the new owner loads everything the old one stored.
 * (Redlock gives no such token: a paused holder wakes up and writes.)
 */
export class Ownership {
  constructor(
    private readonly pool: Pool,
    /** This instance's name, stored as the owner. */
    readonly instance: string,
    readonly ttlMs: number,
  ) {}

  /** Takes the document if nobody holds it, its lease ran out, or it is already ours; null if another instance holds it. */
  async acquire(documentId: string): Promise<Lease | null> {
    const ttl = `${this.ttlMs} milliseconds`;
    await this.pool.query(`INSERT INTO document_owners (document_id, owner, epoch, expires_at) VALUES ($1, '', 0, '-infinity') ON CONFLICT (document_id) DO NOTHING`, [documentId]);
    const { rows } = await this.pool.query<{ epoch: string; seq: string; expires_at: Date }>(
      `UPDATE document_owners SET owner = $2, epoch = epoch + 1, expires_at = now() + $3::interval
        WHERE document_id = $1 AND (expires_at < now() OR owner = $2)
        RETURNING epoch, seq, expires_at`,
      [documentId, this.instance, ttl],
    );
    const row = rows[0];
    return row ? { documentId, epoch: Number(row.epoch), seq: Number(row.seq), expiresAt: row.expires_at } : null;
  }

  /** Extends the lease; false if it was taken over meanwhile (the owner must stop). */
  async renew(lease: Lease): Promise<boolean> {
    const { rows } = await this.pool.query<{ expires_at: Date }>(
      `UPDATE document_owners SET expires_at = now() + $4::interval
        WHERE document_id = $1 AND owner = $2 AND epoch = $3 RETURNING expires_at`,
      [lease.documentId, this.instance, lease.epoch, `${this.ttlMs} milliseconds`],
    );
    if (!rows[0]) return false;
    lease.expiresAt = rows[0].expires_at;
    return true;
  }

  /**
   * Stores updates after the last one, in order, as this lease's owner: all of them or, if the
   * lease was taken over or another write moved the sequence, none (OwnershipLost).
   */
  async append(lease: Lease, updates: Uint8Array[]): Promise<number> {
    await inTransaction(this.pool, (db) => this.appendIn(db, lease, updates));
    return this.stored(lease, updates.length);
  }

  /**
   * The compare-and-set and the insert of `append`, inside the caller's open transaction (so what
   * goes with the updates commits with them); once it commits, call `stored`.
   */
  async appendIn(db: Pick<PoolClient, 'query'>, lease: Lease, updates: Uint8Array[]): Promise<void> {
    const { rows } = await db.query<{ seq: string }>(`UPDATE document_owners SET seq = seq + $4 WHERE document_id = $1 AND epoch = $2 AND seq = $3 RETURNING seq`, [
      lease.documentId,
      lease.epoch,
      lease.seq,
      updates.length,
    ]);
    if (!rows[0]) throw new OwnershipLost(lease.documentId, await this.#why(lease));
    await db.query(
      `INSERT INTO document_updates (document_id, seq, epoch, data)
       SELECT $1, $2 + n, $3, data FROM unnest($4::bytea[]) WITH ORDINALITY AS u(data, n)`,
      [lease.documentId, lease.seq, lease.epoch, updates.map((u) => Buffer.from(u.buffer, u.byteOffset, u.byteLength))],
    );
  }

  /** The appended updates were committed: the lease's sequence moves on; returns the last number. */
  stored(lease: Lease, count: number): number {
    lease.seq += count;
    return lease.seq;
  }

  /** Lets the document go at once (a clean shutdown), so another instance need not wait for the TTL. */
  async release(lease: Lease): Promise<void> {
    await this.pool.query(`UPDATE document_owners SET expires_at = '-infinity' WHERE document_id = $1 AND owner = $2 AND epoch = $3`, [lease.documentId, this.instance, lease.epoch]);
  }

  async #why(lease: Lease): Promise<string> {
    const { rows } = await this.pool.query<{ owner: string; epoch: string; seq: string }>('SELECT owner, epoch, seq FROM document_owners WHERE document_id = $1', [lease.documentId]);
    const row = rows[0];
    if (!row) return 'its row is gone';
    if (Number(row.epoch) !== lease.epoch) return `${row.owner || 'nobody'} holds it at epoch ${row.epoch} (ours was ${lease.epoch})`;
    return `its sequence is at ${row.seq}, not ${lease.seq}`;
  }
}

/**
 * Runs `work` in one transaction on a client of `pool`. A client whose transaction failed for any
 * other reason than a lost lease is closed, not reused (the connection may be the broken part).
 */
export async function inTransaction<T>(pool: Pool, work: (db: PoolClient) => Promise<T>): Promise<T> {
  const db = await pool.connect();
  let failed = false;
  try {
    await db.query('BEGIN');
    const result = await work(db);
    await db.query('COMMIT');
    return result;
  } catch (error) {
    failed = !(error instanceof OwnershipLost);
    await db.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    db.release(failed);
  }
}
