import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startServer } from '../support/server.ts';
import type { TestServer } from '../support/server.ts';
import { connect, synced, until } from '../support/client.ts';
import type { TestClient } from '../support/client.ts';
import { PROVISION_FIELD, publishedByChair } from '../../client/editor/follow.ts';

/**
 * "Follow the chair" rides on awareness: the chair's client publishes its provision in the field
 * `provision`, relayed by the server like any awareness field. Only a state the server stamped as
 * the chair's is followed, so a delegate who claims to be the chair steers nobody.
 */
let server: TestServer;
let clients: TestClient[];

beforeEach(async () => {
  server = await startServer();
  clients = [];
});
afterEach(async () => {
  for (const client of clients) client.destroy();
  await server.close();
});

function join(username: string): TestClient {
  const client = connect(server, username);
  clients.push(client);
  return client;
}

describe('follow the chair, through the server', () => {
  it("relays the chair's provision to everyone, and a delegate's claim to be the chair is followed by nobody", async () => {
    const chair = join('chair');
    const brazil = join('brazil');
    const kenya = join('kenya');
    await Promise.all([synced(chair), synced(brazil), synced(kenya)]);

    chair.provider.awareness.setLocalStateField(PROVISION_FIELD, { at: { type: null, tname: 'x', item: null, assoc: 0 } });
    brazil.provider.awareness.setLocalStateField('user', { name: 'Chair', role: 'chair', color: '#000000' });
    brazil.provider.awareness.setLocalStateField(PROVISION_FIELD, { at: { type: null, tname: 'y', item: null, assoc: 0 } });

    const seen = (id: number) => kenya.provider.awareness.getStates().get(id) as Record<string, unknown> | undefined;
    await until(() => seen(chair.doc.clientID)?.[PROVISION_FIELD] !== undefined, 'Kenya to see the chair’s provision');
    await until(() => seen(brazil.doc.clientID)?.[PROVISION_FIELD] !== undefined, 'Kenya to see Brazil’s state');

    expect(publishedByChair(seen(chair.doc.clientID))).toEqual({ at: { type: null, tname: 'x', item: null, assoc: 0 } });
    expect((seen(brazil.doc.clientID)!.user as { role: string }).role).toBe('delegate');
    expect(publishedByChair(seen(brazil.doc.clientID))).toBeNull();
  });
});
