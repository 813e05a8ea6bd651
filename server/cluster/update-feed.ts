import type { RedisClientType } from '@redis/client';
import type { Pool } from 'pg';

/** One stored update as followers receive it, in the order of the document's log. */
export type Deliver = (seq: number, update: Uint8Array) => void;

const channelOf = (documentId: string) => `concord:updates:${documentId}`;

/** A message is the update's sequence number (8 bytes, big-endian) followed by the update. */
function message(seq: number, update: Uint8Array): Buffer {
  const bytes = Buffer.alloc(8 + update.byteLength);
  bytes.writeBigUInt64BE(BigInt(seq));
  bytes.set(update, 8);
  return bytes;
}

/**
 * Fan-out of stored updates between instances. The owner of a document publishes each update after
 * it is stored in PostgreSQL, with its sequence number, on the document's Redis channel; an
 * instance with followers of the document delivers them in order. A number that skips ahead (a
 * message Redis lost, a subscription that started late) is filled by reading PostgreSQL's log from
 * the last number delivered, and so is silence: every `pollMs` the follower asks PostgreSQL whether
 * it missed the last updates. Redis losing messages, or being down, costs latency, never data.
 */
export class UpdateFeed {
  constructor(
    private readonly publisher: RedisClientType,
    private readonly subscriber: RedisClientType,
    private readonly pool: Pool,
    private readonly pollMs = 1000,
  ) {}

  /**
   * Announces a stored update, best effort and without waiting: the owner's room never waits for
   * Redis (a follower that misses the message reads the update from PostgreSQL). The publisher
   * should be made with `disableOfflineQueue`, so nothing piles up while Redis is down.
   */
  publish(documentId: string, seq: number, update: Uint8Array): void {
    this.publisher.publish(channelOf(documentId), message(seq, update)).catch(() => {});
  }

  /** Delivers every update after `after`, in order and once each, until the returned stop is called. */
  async follow(documentId: string, after: number, deliver: Deliver): Promise<() => Promise<void>> {
    let next = after + 1;
    let stopped = false;
    // catch-ups and live messages are handled one at a time, in arrival order
    let queue = Promise.resolve();
    const serially = (work: () => Promise<void> | void) => {
      queue = queue.then(work).catch(() => {});
    };
    const catchUp = async () => {
      const { rows } = await this.pool.query<{ seq: string; data: Buffer }>('SELECT seq, data FROM document_updates WHERE document_id = $1 AND seq >= $2 ORDER BY seq', [documentId, next]);
      for (const row of rows) {
        if (stopped || Number(row.seq) !== next) break;
        deliver(next++, new Uint8Array(row.data));
      }
    };
    const onMessage = (bytes: Buffer) => {
      serially(async () => {
        if (stopped || bytes.byteLength < 8) return;
        const seq = Number(bytes.readBigUInt64BE(0));
        if (seq > next) await catchUp();
        if (seq === next) deliver(next++, new Uint8Array(bytes.subarray(8)));
      });
    };
    try {
      await this.subscriber.subscribe(channelOf(documentId), onMessage, true);
    } catch {
      // Redis down: polling alone delivers, slower
    }
    serially(catchUp); // what was stored before the subscription
    const poll = setInterval(() => serially(catchUp), this.pollMs);
    poll.unref();
    return async () => {
      stopped = true;
      clearInterval(poll);
      await this.subscriber.unsubscribe(channelOf(documentId), onMessage, true).catch(() => {});
    };
  }
}
