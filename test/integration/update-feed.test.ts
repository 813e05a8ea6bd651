import { createClient } from '@redis/client';
import type { RedisClientType } from '@redis/client';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Ownership } from '../../server/cluster/ownership.ts';
import type { Lease } from '../../server/cluster/ownership.ts';
import { UpdateFeed } from '../../server/cluster/update-feed.ts';
import { until } from '../support/client.ts';
import { hasPostgres, startPostgres } from '../support/postgres.ts';
import { migratedWithDocuments } from '../support/postgres-schema.ts';
import type { Postgres } from '../support/postgres.ts';
import { hasRedis, startRedis } from '../support/redis.ts';
import type { Redis } from '../support/redis.ts';

const bytes = (text: string) => new TextEncoder().encode(text);
const text = (update: Uint8Array) => new TextDecoder().decode(update);

/** Stored updates fanned out through a real Redis 7, gaps filled from a real PostgreSQL 15. */
describe.skipIf(!hasPostgres() || !hasRedis())('the update feed between instances', () => {
  let postgres: Postgres;
  let redis: Redis;
  let pool: pg.Pool;
  const clients: RedisClientType[] = [];
  const client = async () => {
    // reconnects every 50 ms, so a restarted Redis is found again at once; refuses commands while down
    const made = createClient({ url: redis.url, disableOfflineQueue: true, socket: { reconnectStrategy: () => 50 } }) as RedisClientType;
    made.on('error', () => {});
    await made.connect();
    clients.push(made);
    return made;
  };
  const feedPair = async (pollMs = 200) => ({ owner: new UpdateFeed(await client(), await client(), pool, pollMs), follower: new UpdateFeed(await client(), await client(), pool, pollMs) });

  beforeAll(async () => {
    [postgres, redis] = await Promise.all([startPostgres(), startRedis()]);
    pool = new pg.Pool({ connectionString: postgres.url, max: 6 });
    await migratedWithDocuments(pool, ['feed-1', 'feed-2', 'feed-3']);
  }, 60_000);
  afterAll(async () => {
    for (const c of clients) await c.disconnect().catch(() => {});
    await pool?.end();
    postgres?.destroy();
    await redis?.kill();
  });

  /** The owner's side: store, then announce. */
  const store = async (ownership: Ownership, lease: Lease, feed: UpdateFeed, words: string[], announce = true) => {
    for (const w of words) {
      const seq = await ownership.append(lease, [bytes(w)]);
      if (announce) feed.publish(lease.documentId, seq, bytes(w));
    }
  };

  it('delivers the stored updates in order, once each, including those stored before following', async () => {
    const { owner, follower } = await feedPair();
    const ownership = new Ownership(pool, 'owner', 10_000);
    const lease = (await ownership.acquire('feed-1'))!;
    await store(ownership, lease, owner, ['one', 'two']);
    const got: string[] = [];
    const stop = await follower.follow('feed-1', 0, (seq, update) => got.push(`${seq}:${text(update)}`));
    await store(ownership, lease, owner, ['three', 'four']);
    owner.publish('feed-1', 4, bytes('four')); // a repeated message
    await until(() => got.length === 4, 'all four updates');
    await new Promise((r) => setTimeout(r, 300));
    expect(got).toEqual(['1:one', '2:two', '3:three', '4:four']);
    await stop();
  });

  it('fills a message Redis lost from PostgreSQL, at the next message or by polling', async () => {
    const { owner, follower } = await feedPair();
    const ownership = new Ownership(pool, 'owner', 10_000);
    const lease = (await ownership.acquire('feed-2'))!;
    const got: string[] = [];
    const stop = await follower.follow('feed-2', 0, (seq, update) => got.push(`${seq}:${text(update)}`));
    await store(ownership, lease, owner, ['a']);
    await store(ownership, lease, owner, ['b'], false); // stored, its message lost
    await store(ownership, lease, owner, ['c']);
    await until(() => got.length === 3, 'the gap filled when c arrived');
    expect(got).toEqual(['1:a', '2:b', '3:c']);
    await store(ownership, lease, owner, ['d'], false); // the last message lost, nothing after it
    await until(() => got.length === 4, 'the poll to find d');
    expect(got.at(-1)).toBe('4:d');
    await stop();
  });

  it('keeps delivering through PostgreSQL while Redis is down, and through Redis again once it is back', async () => {
    const { owner, follower } = await feedPair();
    // this one never polls: only a message from Redis can bring it anything after the start
    const deaf = new UpdateFeed(await client(), await client(), pool, 3_600_000);
    const ownership = new Ownership(pool, 'owner', 10_000);
    const lease = (await ownership.acquire('feed-3'))!;
    const got: string[] = [];
    const stop = await follower.follow('feed-3', 0, (seq, update) => got.push(`${seq}:${text(update)}`));
    const heard: string[] = [];
    const stopDeaf = await deaf.follow('feed-3', 0, (seq, update) => heard.push(`${seq}:${text(update)}`));
    await store(ownership, lease, owner, ['before']);
    await until(() => got.length === 1, 'the first update');
    await redis.kill();
    await store(ownership, lease, owner, ['during-1', 'during-2']);
    await until(() => got.length === 3, 'the updates stored while Redis was down');
    await redis.start();
    await new Promise((r) => setTimeout(r, 500)); // the clients reconnect and subscribe again
    await store(ownership, lease, owner, ['after']);
    await until(() => got.length === 4, 'the update after Redis came back');
    expect(got).toEqual(['1:before', '2:during-1', '3:during-2', '4:after']);
    // the subscription came back with Redis: the message of "after" reached it, and the gap was read
    await until(() => heard.length === 4, 'the non-polling follower to hear the update after Redis came back');
    expect(heard).toEqual(got);
    await Promise.all([stop(), stopDeaf()]);
  });
});
