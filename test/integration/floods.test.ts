import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import * as encoding from 'lib0/encoding';
import { PASSWORD, startServer } from '../support/server.ts';
import type { TestServer } from '../support/server.ts';
import { appendParagraph, connect, storedText, synced, textOf, typeInFirstParagraph, until } from '../support/client.ts';
import type { TestClient } from '../support/client.ts';
import { CLOSE, MESSAGE_AWARENESS, MESSAGE_SYNC, SYNC_UPDATE } from '../../shared/protocol.ts';
import { MAX_AWARENESS_STATE_BYTES } from '../../server/collab/awareness-limits.ts';
import { redactUrl } from '../../server/app.ts';

/**
 * Floods through the real server while two delegations edit: each attack in turn, and after each
 * the server is up, every honest edit typed during the attack has arrived at the other delegation
 * and in storage, and the attacker's bytes are nowhere. Timings are never asserted (BENCHMARKS.md,
 * "Hostile workload", measures them).
 */

const frame = (type: number, payload: (e: encoding.Encoder) => void) => {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, type);
  payload(e);
  return encoding.toUint8Array(e);
};

/** An awareness frame for one client id with the given state. */
const awarenessFrame = (clientId: number, clock: number, state: unknown) =>
  frame(MESSAGE_AWARENESS, (e) => {
    const inner = encoding.createEncoder();
    encoding.writeVarUint(inner, 1);
    encoding.writeVarUint(inner, clientId);
    encoding.writeVarUint(inner, clock);
    encoding.writeVarString(inner, JSON.stringify(state));
    encoding.writeVarUint8Array(e, encoding.toUint8Array(inner));
  });

const updateFrame = (update: Uint8Array) =>
  frame(MESSAGE_SYNC, (e) => {
    encoding.writeVarUint(e, SYNC_UPDATE);
    encoding.writeVarUint8Array(e, update);
  });

/** A V1 update whose header claims `claimed` structs for one client, followed by `bytes` of filler. */
function claimingUpdate(claimed: number, bytes: number): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, 1);
  encoding.writeVarUint(e, claimed);
  encoding.writeVarUint(e, 424242);
  encoding.writeVarUint(e, 0);
  const head = encoding.toUint8Array(e);
  const update = new Uint8Array(bytes);
  update.set(head);
  update.fill(0x01, head.length); // GC structs of length… whatever the decoder makes of it
  return update;
}

interface Raw {
  socket: WebSocket;
  closed: Promise<{ code: number; reason: string }>;
  opened: Promise<void>;
}

/** A raw WebSocket of `username` on the room, as a script would open it. */
function raw(server: TestServer, username: string): Raw {
  const socket = new WebSocket(`${server.wsUrl}/${server.documentId}?token=${server.users[username]!.token}`);
  socket.on('error', () => {});
  return {
    socket,
    opened: new Promise((resolve) => socket.once('open', () => resolve())),
    closed: new Promise((resolve) => socket.once('close', (code, reason) => resolve({ code, reason: reason.toString() }))),
  };
}

describe('the room keeps flowing under floods', { timeout: 60_000 }, () => {
  let server: TestServer;
  let brazil: TestClient;
  let kenya: TestClient;
  let typed = '';

  beforeAll(async () => {
    // a ceiling of 40 hashes a minute for the whole server keeps the flood's hashing to seconds here
    server = await startServer({ loginsPerMinute: 40, loginsPerAccountPerMinute: 10 });
    brazil = connect(server, 'brazil');
    kenya = connect(server, 'kenya');
    await Promise.all([synced(brazil), synced(kenya)]);
    appendParagraph(brazil.doc, '|');
    await until(() => textOf(kenya.doc).includes('|'), 'the first paragraph');
  });
  afterAll(async () => {
    brazil.destroy();
    kenya.destroy();
    await server.close();
  });

  /**
   * Runs `attack` while Brazil types one character every 20 ms; then checks that Kenya and storage
   * have every character, that neither honest delegate was closed, and that the server answers.
   */
  async function whileHonestType(attack: () => Promise<void>): Promise<void> {
    const closesBefore = brazil.closes.length + kenya.closes.length;
    let typing = true;
    const honest = (async () => {
      while (typing) {
        const letter = String.fromCharCode(97 + (typed.length % 26));
        typeInFirstParagraph(brazil.doc, typed.length, letter);
        typed += letter;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    })();
    try {
      await attack();
    } finally {
      typing = false;
      await honest;
    }
    await until(() => textOf(kenya.doc).includes(`${typed}|`), 'every honest keystroke at the other delegation', 10_000);
    await until(() => storedText(server).includes(`${typed}|`), 'every honest keystroke stored', 10_000);
    expect(brazil.closes.length + kenya.closes.length).toBe(closesBefore);
    expect((await server.app.inject({ url: '/api/health' })).statusCode).toBe(200);
  }

  it('drops oversized awareness from an observer, relays nothing of it and closes a repeat offender', async () => {
    const seen: number[] = [];
    kenya.provider.awareness.on('change', () => {
      for (const state of kenya.provider.awareness.getStates().values()) seen.push(JSON.stringify(state).length);
    });
    const huge = { cursor: 'x'.repeat(3_500_000) };
    const attacker = raw(server, 'observer');
    await attacker.opened;
    await whileHonestType(async () => {
      for (let i = 0; i < 20 && attacker.socket.readyState === WebSocket.OPEN; i++) {
        attacker.socket.send(awarenessFrame(777, i + 1, huge));
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect((await attacker.closed).code).toBe(CLOSE.rateLimited);
    });
    expect((await attacker.closed).reason).toMatch(/presence updates/);
    // a state just over the cap inside a small frame is dropped too; one within it passes, stamped
    const edge = raw(server, 'observer');
    await edge.opened;
    edge.socket.send(awarenessFrame(778, 1, { cursor: 'y'.repeat(MAX_AWARENESS_STATE_BYTES + 10) }));
    edge.socket.send(awarenessFrame(779, 1, { cursor: 'z' }));
    await until(() => kenya.provider.awareness.getStates().has(779), 'the small state');
    expect(kenya.provider.awareness.getStates().has(778)).toBe(false);
    expect((kenya.provider.awareness.getStates().get(779) as { user?: { role?: string } }).user?.role).toBe('observer');
    expect(Math.max(...seen)).toBeLessThan(MAX_AWARENESS_STATE_BYTES + 1000);
    edge.socket.close();
    expect(server.app.hub.counters.awarenessDropped).toBeGreaterThan(0);
  });

  it('closes a connection that sends awareness far faster than a cursor moves', async () => {
    const attacker = raw(server, 'observer');
    await attacker.opened;
    await whileHonestType(async () => {
      for (let i = 0; i < 400 && attacker.socket.readyState === WebSocket.OPEN; i++) {
        attacker.socket.send(awarenessFrame(880, i + 1, { cursor: i }));
        if (i % 50 === 0) await new Promise((resolve) => setTimeout(resolve, 5));
      }
      expect((await attacker.closed).code).toBe(CLOSE.rateLimited);
    });
  });

  it('refuses a struct bomb from its header, and many small junk frames from 40 connections, storing nothing of them', async () => {
    const before = server.stores.log.pending(server.documentId);
    await whileHonestType(async () => {
      const bombers = Array.from({ length: 4 }, () => raw(server, 'kenya'));
      await Promise.all(bombers.map((b) => b.opened));
      for (const bomber of bombers) bomber.socket.send(updateFrame(claimingUpdate(2_000_000, 4 * 1024 * 1024 - 64)));
      for (const bomber of bombers) {
        const closed = await bomber.closed;
        expect(closed.code).toBe(CLOSE.refused);
        expect(closed.reason).toMatch(/at most 40000 operations \(this one claims 2000000\)/);
      }
      const small = Array.from({ length: 40 }, () => raw(server, 'brazil'));
      await Promise.all(small.map((s) => s.opened));
      for (const [i, s] of small.entries()) {
        for (let k = 0; k < 20; k++) s.socket.send(updateFrame(claimingUpdate(30_000 + i, 12_000 + k * 100)));
      }
      const closes = await Promise.all(small.map((s) => s.closed));
      for (const closed of closes) expect([CLOSE.malformed, CLOSE.refused]).toContain(closed.code);
    });
    const after = server.stores.log.pending(server.documentId);
    // only Brazil's keystrokes were stored meanwhile: their bytes are small, the attackers' were megabytes
    expect(after.bytes - before.bytes).toBeLessThan(200_000);
    expect(storedText(server)).not.toMatch(/424242/);
  });

  it('reads the sender of a large update again once it is checked: the keystrokes right behind it arrive, in order', async () => {
    // The server stops reading a socket while one of its large updates is checked on the pre-check
    // thread (a flood's frames then wait unread); an honest delegate's next frames must still come.
    const large = 'L'.repeat(40_000);
    await whileHonestType(async () => {
      appendParagraph(brazil.doc, large);
      // written to the socket together with the large update: read after its check
      for (const letter of 'after') {
        typeInFirstParagraph(brazil.doc, typed.length, letter);
        typed += letter;
      }
      await until(() => textOf(kenya.doc).includes(large), 'the large paragraph at the other delegation', 10_000);
    });
    expect(storedText(server)).toContain(large);
  });

  it('checks at most the lockout limit of parallel guesses for one account, from however many addresses', async () => {
    const statuses = await Promise.all(
      Array.from({ length: 54 }, (_, i) =>
        server.app.inject({ method: 'POST', url: '/api/auth/login', remoteAddress: `10.54.0.${i % 6}`, payload: { username: 'secretariat', password: `wrong guess ${i}` } }).then((r) => r.statusCode),
      ),
    );
    // 10 a minute per account get in; of those, 8 are checked before the lock; the rest never hash
    expect(statuses.filter((s) => s === 401).length).toBe(8);
    expect(statuses.filter((s) => s === 429).length).toBe(46);
    const locked = await server.app.inject({ method: 'POST', url: '/api/auth/login', remoteAddress: '10.54.1.1', payload: { username: 'secretariat', password: PASSWORD } });
    expect(locked.statusCode).toBe(429);
    const failures = server.stores.db.prepare("SELECT count(*) AS n FROM audit_log WHERE action = 'login.failed' AND detail LIKE '%\"secretariat\"%'").get() as { n: number };
    expect(failures.n).toBe(8);
  });

  it('keeps the room flowing while 40 addresses try to sign in with accounts that do not exist', async () => {
    const statuses: number[] = [];
    await whileHonestType(async () => {
      const attempts = [];
      for (let address = 0; address < 40; address++) {
        for (let i = 0; i < 10; i++) {
          attempts.push(
            server.app
              .inject({ method: 'POST', url: '/api/auth/login', remoteAddress: `10.40.0.${address}`, payload: { username: `nobody-${address}-${i}`, password: 'a guess of some length' } })
              .then((r) => statuses.push(r.statusCode)),
          );
        }
      }
      await Promise.all(attempts);
    });
    // each was checked (401), or refused unhashed because the server's sign-in ceiling was reached (503)
    expect(statuses.length).toBe(400);
    expect(statuses.every((s) => s === 401 || s === 503)).toBe(true);
    expect(statuses.filter((s) => s === 401).length).toBeGreaterThan(0);
    expect(statuses.filter((s) => s === 503).length).toBeGreaterThan(0);
    // past the ceiling a sign-in is answered at once, saying when to try again; an honest one gets in as it refills
    let honest = await server.app.inject({ method: 'POST', url: '/api/auth/login', remoteAddress: '10.40.1.1', payload: { username: 'chair', password: PASSWORD } });
    for (let tries = 0; honest.statusCode === 503 && tries < 10; tries++) {
      expect(honest.json().message).toMatch(/many people are signing in at once; try again in a few seconds/);
      expect(honest.headers['retry-after']).toBe('5');
      await new Promise((resolve) => setTimeout(resolve, 2000));
      honest = await server.app.inject({ method: 'POST', url: '/api/auth/login', remoteAddress: '10.40.1.1', payload: { username: 'chair', password: PASSWORD } });
    }
    expect(honest.statusCode).toBe(200);
  });
});

describe('rate limits that a hall behind one address can live with', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ anonymousRequestsPerMinute: 60, requestsPerMinute: 200 });
  });
  afterAll(async () => server.close());

  it('limits the anonymous per address, never a signed-in delegate behind the same address', async () => {
    const address = '10.13.0.1';
    const anonymous = [];
    for (let i = 0; i < 80; i++) anonymous.push((await server.app.inject({ url: '/api/health', remoteAddress: address })).statusCode);
    expect(anonymous.filter((s) => s === 429).length).toBe(20);
    const refused = await server.app.inject({ url: '/api/health', remoteAddress: address });
    expect(refused.json().message).toMatch(/too many requests from your network address \(60 a minute\); wait \d+ (seconds?|minutes?) and try again/);
    // the same address with a percent-encoded path is the same route and the same budget
    expect((await server.app.inject({ url: '/%61pi/health', remoteAddress: address })).statusCode).toBe(429);
    // another delegate behind the same venue address is not affected
    for (const username of ['brazil', 'kenya']) {
      const me = await server.app.inject({ url: '/api/me', remoteAddress: address, headers: { authorization: `Bearer ${server.users[username]!.token}` } });
      expect(me.statusCode).toBe(200);
    }
    // a signed-in delegate has a budget of their own, per token
    const statuses = [];
    for (let i = 0; i < 210; i++) statuses.push((await server.app.inject({ url: '/api/me', remoteAddress: address, headers: { authorization: `Bearer ${server.users.brazil!.token}` } })).statusCode);
    expect(statuses.filter((s) => s === 429).length).toBe(11);
    const kenya = await server.app.inject({ url: '/api/me', remoteAddress: address, headers: { authorization: `Bearer ${server.users.kenya!.token}` } });
    expect(kenya.statusCode).toBe(200);
  });

  it('does not limit what is not the API (the page and its files)', async () => {
    const statuses = [];
    for (let i = 0; i < 100; i++) statuses.push((await server.app.inject({ url: '/assets/index.js', remoteAddress: '10.13.0.2' })).statusCode);
    expect(statuses.includes(429)).toBe(false);
  });
});

describe('requests by the routed path and the decoded query', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ trustProxy: ['127.0.0.1'] });
  });
  afterAll(async () => server.close());

  it('refuses a cookie-authenticated logout from a foreign origin, however the path is spelt', async () => {
    const login = await server.app.inject({ method: 'POST', url: '/api/auth/login', headers: { origin: server.origin }, payload: { username: 'kenya', password: PASSWORD } });
    const cookie = String(login.headers['set-cookie']).split(';')[0]!;
    for (const url of ['/%61pi/auth/logout', '/api/auth/logou%74', '/%61%70%69/auth/logout']) {
      const forged = await server.app.inject({ method: 'POST', url, headers: { cookie, origin: 'https://evil.example' } });
      expect(forged.statusCode, url).toBe(403);
      const bare = await server.app.inject({ method: 'POST', url, headers: { cookie } });
      expect(bare.statusCode, url).toBe(403);
    }
    expect((await server.app.inject({ url: '/api/me', headers: { cookie } })).statusCode).toBe(200);
  });

  it('never logs a credential in a query, whatever its name is encoded as', () => {
    for (const url of ['/collab/x?%74oken=cct_secret', '/collab/x?TOKEN=cct_secret', '/collab/x?a=1&to%6Ben=cct_secret#f', '/x?password=hunter2&b=2', '/x?%70assword=hunter2']) {
      expect(redactUrl(url), url).not.toMatch(/cct_secret|hunter2/);
    }
    expect(redactUrl('/api/documents/1/export?format=txt')).toBe('/api/documents/1/export?format=txt');
  });

  it('takes the address from X-Forwarded-For only from a trusted proxy', async () => {
    const attempt = (remoteAddress: string, forwarded: string) =>
      server.app.inject({ method: 'POST', url: '/api/auth/login', remoteAddress, headers: { 'x-forwarded-for': forwarded }, payload: { username: 'nobody', password: 'a wrong password' } });
    await attempt('127.0.0.1', '203.0.113.7');
    await attempt('10.66.0.1', '198.51.100.9');
    const addresses = (server.stores.db.prepare("SELECT detail FROM audit_log WHERE action = 'login.failed'").all() as { detail: string }[]).map((row) => JSON.parse(row.detail).address);
    expect(addresses).toEqual(['203.0.113.7', '10.66.0.1']);
  });
});
