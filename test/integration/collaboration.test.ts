import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import WebSocket from 'ws';
import * as encoding from 'lib0/encoding';
import { startServer } from '../support/server.ts';
import type { TestServer } from '../support/server.ts';
import { appendParagraph, connect, storedStateVector, storedText, synced, textOf, typeInFirstParagraph, until, upgradeStatus } from '../support/client.ts';
import type { TestClient } from '../support/client.ts';
import { CLOSE, MESSAGE_SYNC, SYNC_UPDATE } from '../../shared/protocol.ts';

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

function join(username: string, documentId?: string): TestClient {
  const client = connect(server, username, documentId);
  clients.push(client);
  return client;
}

/** A raw socket that speaks just enough protocol to send hand-made frames. */
function rawSocket(username: string): Promise<WebSocket> {
  const socket = new WebSocket(`${server.wsUrl}/${server.documentId}?token=${server.users[username]!.token}`);
  return new Promise((resolve, reject) => {
    socket.on('open', () => resolve(socket));
    socket.on('error', reject);
  });
}

function closed(socket: WebSocket): Promise<number> {
  return new Promise((resolve) => socket.on('close', (code) => resolve(code)));
}

describe('live co-editing', () => {
  it('converges two delegations typing concurrently in the same paragraph', async () => {
    const brazil = join('brazil');
    const kenya = join('kenya');
    await synced(brazil);
    await synced(kenya);
    appendParagraph(brazil.doc, 'resolves to continue the work on AI');
    await until(() => textOf(kenya.doc).includes('resolves'), 'Kenya to see Brazil’s paragraph');
    for (let i = 0; i < 20; i++) {
      typeInFirstParagraph(brazil.doc, 0, 'B');
      typeInFirstParagraph(kenya.doc, textOf(kenya.doc).length > 30 ? 10 : 0, 'K');
    }
    await until(
      () => textOf(brazil.doc) === textOf(kenya.doc) && (textOf(brazil.doc).match(/K/g) ?? []).length === 20 && (textOf(brazil.doc).match(/B/g) ?? []).length === 20,
      'both replicas to converge',
    );
    await until(() => storedText(server) === textOf(brazil.doc), 'storage to hold the converged text');
  });

  it('gives a delegation joining later the full text', async () => {
    const brazil = join('brazil');
    await synced(brazil);
    appendParagraph(brazil.doc, 'recalling Resolution 214 (Rev. Bucharest, 2022)');
    appendParagraph(brazil.doc, 'noting the work of the AI for Good platform');
    const late = join('kenya');
    await synced(late);
    await until(() => textOf(late.doc) === textOf(brazil.doc), 'the late joiner to receive the full text');
    expect(textOf(late.doc)).toContain('AI for Good');
  });

  it('keeps the text across a server restart on the same database file', async () => {
    const brazil = join('brazil');
    await synced(brazil);
    appendParagraph(brazil.doc, 'instructs the Secretary-General to report to Council');
    await until(() => storedText(server).includes('report to Council'), 'the update to be stored');
    brazil.destroy();
    clients = [];
    await server.restart();
    const fresh = join('kenya');
    await synced(fresh);
    await until(() => textOf(fresh.doc).includes('report to Council'), 'the text after restart');
  });

  it('stores every update before any other client can see it', async () => {
    const brazil = join('brazil');
    const kenya = join('kenya');
    await synced(brazil);
    await synced(kenya);
    const seenButNotStored: string[] = [];
    kenya.doc.on('update', () => {
      const stored = storedStateVector(server);
      for (const [client, clock] of Y.decodeStateVector(Y.encodeStateVector(kenya.doc))) {
        if ((stored.get(client) ?? 0) < clock) seenButNotStored.push(`client ${client} clock ${clock}`);
      }
    });
    for (let i = 0; i < 10; i++) appendParagraph(brazil.doc, `paragraph number ${i} of the draft`);
    await until(() => textOf(kenya.doc).includes('number 9'), 'Kenya to receive all paragraphs');
    expect(seenButNotStored).toEqual([]);
  });

  it('never broadcasts an update it could not store, and stores it when the client resends it', async () => {
    const brazil = join('brazil');
    const kenya = join('kenya');
    await synced(brazil);
    await synced(kenya);
    const log = server.stores.log;
    const append = log.append.bind(log);
    log.append = () => {
      throw new Error('disk full');
    };
    appendParagraph(brazil.doc, 'text typed while the disk is full');
    await until(() => brazil.closes.some((c) => c.code === CLOSE.internal), 'the server to drop the room');
    expect(textOf(kenya.doc)).not.toContain('disk is full');
    log.append = append;
    await until(() => textOf(kenya.doc).includes('disk is full'), 'Brazil to resend on reconnect');
    expect(storedText(server)).toContain('disk is full');
  });

  it('loads a document once when many connections arrive together', async () => {
    const many = ['brazil', 'kenya', 'chair', 'secretariat', 'observer', 'brazil', 'kenya', 'chair'].map((u) => join(u));
    await Promise.all(many.map(synced));
    expect(server.app.hub.loads).toBe(1);
  });
});

describe('observers', () => {
  it("drops an observer's edits: they reach neither other clients nor storage", async () => {
    const observer = join('observer');
    const brazil = join('brazil');
    await synced(observer);
    await synced(brazil);
    appendParagraph(observer.doc, 'OBSERVER TEXT');
    appendParagraph(brazil.doc, 'delegate text');
    await until(() => textOf(observer.doc).includes('delegate text'), 'the observer to follow the text');
    await new Promise((r) => setTimeout(r, 200));
    expect(textOf(brazil.doc)).not.toContain('OBSERVER TEXT');
    expect(storedText(server)).not.toContain('OBSERVER TEXT');
    const later = join('kenya');
    await synced(later);
    await until(() => textOf(later.doc).includes('delegate text'), 'a late joiner to sync');
    expect(textOf(later.doc)).not.toContain('OBSERVER TEXT');
  });
});

describe('who may connect', () => {
  it('refuses an upgrade without a session with 401, before the socket opens', async () => {
    expect(await upgradeStatus(`${server.wsUrl}/${server.documentId}`)).toBe(401);
    expect(await upgradeStatus(`${server.wsUrl}/${server.documentId}?token=not-a-token`)).toBe(401);
  });

  it('refuses an upgrade from a foreign Origin with 403, even with a valid token', async () => {
    const url = `${server.wsUrl}/${server.documentId}?token=${server.users.brazil!.token}`;
    expect(await upgradeStatus(url, { Origin: 'http://evil.example' })).toBe(403);
    expect(await upgradeStatus(url, { Origin: server.origin })).toBe(101);
  });

  it('refuses a member of another working group the document, and an unknown document', async () => {
    expect(await upgradeStatus(`${server.wsUrl}/${server.documentId}?token=${server.users.outsider!.token}`)).toBe(404); // as unknown: nothing says it exists
    expect(await upgradeStatus(`${server.wsUrl}/no-such-document?token=${server.users.brazil!.token}`)).toBe(404);
  });

  it('accepts the session cookie of a browser login from an allowed origin', async () => {
    const login = await fetch(`${server.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: server.origin },
      body: JSON.stringify({ username: 'kenya', password: 'correct horse battery' }),
    });
    expect(login.status).toBe(200);
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    expect(await upgradeStatus(`${server.wsUrl}/${server.documentId}`, { Cookie: cookie, Origin: server.origin })).toBe(101);
  });

  it('ends the sockets of a session at logout, of every session at logout everywhere, and keeps those of API tokens', async () => {
    const login = async () => {
      const response = await fetch(`${server.url}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: server.origin },
        body: JSON.stringify({ username: 'kenya', password: 'correct horse battery' }),
      });
      expect(response.status).toBe(200);
      return response.headers.get('set-cookie')!.split(';')[0]!;
    };
    const open = (headers: Record<string, string>, url = `${server.wsUrl}/${server.documentId}`) =>
      new Promise<WebSocket>((resolve, reject) => {
        const socket = new WebSocket(url, { headers: { Origin: server.origin, ...headers } });
        socket.on('open', () => resolve(socket));
        socket.on('error', reject);
      });
    const post = (path: string, cookie: string) => fetch(`${server.url}/api/auth/${path}`, { method: 'POST', headers: { cookie, origin: server.origin } });

    const laptop = await login();
    const phone = await login();
    const onLaptop = await open({ Cookie: laptop });
    const onPhone = await open({ Cookie: phone });
    const script = await open({}, `${server.wsUrl}/${server.documentId}?token=${server.users.kenya!.token}`);
    const laptopClosed = closed(onLaptop);
    const phoneClosed = closed(onPhone);

    expect((await post('logout', laptop)).status).toBe(200);
    expect(await laptopClosed).toBe(CLOSE.signedOut);
    expect(onPhone.readyState).toBe(WebSocket.OPEN);

    expect((await post('logout-everywhere', phone)).status).toBe(200);
    expect(await phoneClosed).toBe(CLOSE.signedOut);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(script.readyState).toBe(WebSocket.OPEN);
    // the ended sessions cannot open a socket again
    expect(await upgradeStatus(`${server.wsUrl}/${server.documentId}`, { Cookie: phone, Origin: server.origin })).toBe(401);
    script.close();
  });
});

describe('hostile frames', () => {
  it('closes only the connection that sent an oversized frame', async () => {
    await server.close();
    server = await startServer({ maxFrameBytes: 64 * 1024 });
    const brazil = join('brazil');
    const kenya = join('kenya');
    await synced(brazil);
    await synced(kenya);
    const attacker = await rawSocket('chair');
    const code = closed(attacker);
    attacker.send(new Uint8Array(100 * 1024));
    expect(await code).toBe(CLOSE.tooBig);
    appendParagraph(brazil.doc, 'text after the attack');
    await until(() => textOf(kenya.doc).includes('after the attack'), 'the others to go on');
  });

  it('closes only the connection that sent garbage, and stores nothing from it', async () => {
    const brazil = join('brazil');
    const kenya = join('kenya');
    await synced(brazil);
    await synced(kenya);
    for (const frame of [
      new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0x0f]),
      new Uint8Array([9, 1, 2, 3]),
      (() => {
        const e = encoding.createEncoder();
        encoding.writeVarUint(e, MESSAGE_SYNC);
        encoding.writeVarUint(e, SYNC_UPDATE);
        encoding.writeVarUint8Array(e, new Uint8Array([1, 200, 3, 4, 5, 6, 7, 8, 9]));
        return encoding.toUint8Array(e);
      })(),
    ]) {
      const attacker = await rawSocket('secretariat');
      const code = closed(attacker);
      attacker.send(frame);
      expect(await code).toBe(CLOSE.malformed);
    }
    appendParagraph(kenya.doc, 'the negotiation continues');
    await until(() => textOf(brazil.doc).includes('continues'), 'the others to go on');
    const check = new Y.Doc();
    const stored = server.stores.log.load(server.documentId);
    for (const update of stored.updates) Y.applyUpdate(check, update);
    expect(textOf(check)).toBe(textOf(brazil.doc));
  });
});

describe('connection limits', () => {
  it('drops a connection that stops answering pings, and only that one', async () => {
    await server.close();
    server = await startServer({ pingIntervalMs: 50 });
    const brazil = join('brazil');
    await synced(brazil);
    const silent = new WebSocket(`${server.wsUrl}/${server.documentId}?token=${server.users.kenya!.token}`, { autoPong: false });
    const gone = closed(silent);
    await new Promise((resolve) => silent.on('open', resolve));
    expect(await gone).toBe(1006);
    appendParagraph(brazil.doc, 'still here');
    await until(() => storedText(server).includes('still here'), 'the live connection to go on');
    expect(brazil.provider.wsconnected).toBe(true);
  });

  it('closes a connection that floods messages past the rate cap', async () => {
    await server.close();
    server = await startServer({ messageRate: { perSecond: 10, burst: 20 } });
    const flooder = await rawSocket('brazil');
    const code = closed(flooder);
    const queryAwareness = new Uint8Array([3]);
    for (let i = 0; i < 100; i++) flooder.send(queryAwareness);
    expect(await code).toBe(CLOSE.rateLimited);
  });
});

describe('awareness', () => {
  it("stamps the true identity over a client's claim to be another delegation", async () => {
    const brazil = join('brazil');
    const kenya = join('kenya');
    await synced(brazil);
    await synced(kenya);
    brazil.provider.awareness.setLocalStateField('user', { name: 'Kenya', delegation: 'Kenya', role: 'chair', color: '#000000' });
    brazil.provider.awareness.setLocalStateField('cursor', { anchor: 1, head: 4 });
    const id = brazil.doc.clientID;
    await until(() => (kenya.provider.awareness.getStates().get(id) as { cursor?: unknown } | undefined)?.cursor !== undefined, 'Kenya to see Brazil’s cursor');
    const seen = kenya.provider.awareness.getStates().get(id) as { user: Record<string, unknown>; cursor: unknown };
    expect(seen.user).toMatchObject({ name: 'Brazil', delegation: 'Brazil', role: 'delegate', person: 'brazil person' });
    expect(seen.user.color).not.toBe('#000000');
    expect(seen.cursor).toEqual({ anchor: 1, head: 4 });
  });

  it('ignores awareness for a client id another connection controls', async () => {
    const brazil = join('brazil');
    const kenya = join('kenya');
    await synced(brazil);
    await synced(kenya);
    kenya.provider.awareness.setLocalStateField('cursor', { anchor: 2, head: 2 });
    await until(() => brazil.provider.awareness.getStates().has(kenya.doc.clientID), 'Brazil to see Kenya');
    // Brazil's client forges a state under Kenya's client id with a higher clock.
    const forged = new Map([[kenya.doc.clientID, { cursor: { anchor: 99, head: 99 } }]]);
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, 1);
    encoding.writeVarUint(encoder, kenya.doc.clientID);
    encoding.writeVarUint(encoder, 1000);
    encoding.writeVarString(encoder, JSON.stringify(forged.get(kenya.doc.clientID)));
    const frame = encoding.createEncoder();
    encoding.writeVarUint(frame, 1);
    encoding.writeVarUint8Array(frame, encoding.toUint8Array(encoder));
    brazil.provider.ws!.send(encoding.toUint8Array(frame));
    appendParagraph(brazil.doc, 'marker');
    await until(() => textOf(kenya.doc).includes('marker'), 'the frame after the forgery to be processed');
    await new Promise((r) => setTimeout(r, 50));
    const third = join('chair');
    await synced(third);
    await until(() => third.provider.awareness.getStates().has(kenya.doc.clientID), 'the chair to see Kenya');
    expect((third.provider.awareness.getStates().get(kenya.doc.clientID) as { cursor: unknown }).cursor).toEqual({ anchor: 2, head: 2 });
  });

  it('removes a participant from awareness when their connection closes', async () => {
    const brazil = join('brazil');
    const kenya = join('kenya');
    await synced(brazil);
    await synced(kenya);
    kenya.provider.awareness.setLocalStateField('cursor', null);
    await until(() => brazil.provider.awareness.getStates().has(kenya.doc.clientID), 'Brazil to see Kenya');
    const kenyaId = kenya.doc.clientID;
    kenya.provider.ws!.close();
    kenya.provider.shouldConnect = false;
    await until(() => !brazil.provider.awareness.getStates().has(kenyaId), 'Kenya to leave Brazil’s awareness');
  });

  it('lists who is editing now on the group page', async () => {
    const brazil = join('brazil');
    await synced(brazil);
    const response = await server.app.inject({ url: '/api/groups/cwg-ai', headers: { authorization: `Bearer ${server.users.kenya!.token}` } });
    const document = response.json().documents.find((d: { id: string }) => d.id === server.documentId);
    expect(document.present).toEqual([expect.objectContaining({ name: 'Brazil', delegation: 'Brazil', role: 'delegate' })]);
  });
});

describe('document lifecycle', () => {
  it('unloads an idle document after compacting its log into a snapshot', async () => {
    await server.close();
    server = await startServer({ idleUnloadMs: 50 });
    const brazil = join('brazil');
    await synced(brazil);
    for (let i = 0; i < 5; i++) appendParagraph(brazil.doc, `provision ${i}`);
    const text = await (async () => {
      await until(() => storedText(server).includes('provision 4'), 'the edits to be stored');
      return textOf(brazil.doc);
    })();
    brazil.destroy();
    clients = [];
    await until(() => !server.app.hub.isLoaded(server.documentId), 'the idle document to unload');
    const stored = server.stores.log.load(server.documentId);
    expect(stored.snapshot).not.toBeNull();
    expect(stored.updates).toHaveLength(0);
    expect(storedText(server)).toBe(text);
  });

  it('compacts a busy document without changing it', async () => {
    await server.close();
    server = await startServer({ compactAfterUpdates: 10 });
    const brazil = join('brazil');
    const kenya = join('kenya');
    await synced(brazil);
    await synced(kenya);
    for (let i = 0; i < 30; i++) appendParagraph(i % 2 ? brazil.doc : kenya.doc, `provision ${i}`);
    await until(() => textOf(kenya.doc) === textOf(brazil.doc) && textOf(kenya.doc).includes('provision 29') && textOf(kenya.doc).includes('provision 28'), 'convergence');
    await until(() => server.stores.log.load(server.documentId).snapshot !== null, 'a compaction');
    await until(() => storedText(server) === textOf(brazil.doc), 'storage to match');
    expect(server.stores.log.pending(server.documentId).count).toBeLessThan(30);
  });
});
