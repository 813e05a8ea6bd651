import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import WebSocket from 'ws';
import * as encoding from 'lib0/encoding';
import { startServer } from '../support/server.ts';
import type { TestServer } from '../support/server.ts';
import { appendParagraph, connect, synced, textOf, until } from '../support/client.ts';
import type { TestClient } from '../support/client.ts';
import { seedNegotiation } from '../support/negotiation.ts';
import { CLOSE, MESSAGE_AWARENESS, MESSAGE_SYNC, SYNC_STEP_2, SYNC_UPDATE } from '../../shared/protocol.ts';
import { MAX_STRUCTS_PER_UPDATE } from '../../server/collab/update-limits.ts';

/**
 * A corpus of hostile input through the real WebSocket, sent while delegations work in the same
 * room and in another one: the server stays up, only the attacker's connection closes, the others
 * carry on, nothing stored is corrupted, memory stays bounded. (Deterministic: a fixed seed.)
 */
let seed = 20261124;
function random(): number {
  seed = (seed * 1103515245 + 12345) % 2 ** 31;
  return seed / 2 ** 31;
}

const frame = (type: number, ...parts: ((e: encoding.Encoder) => void)[]) => {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, type);
  for (const part of parts) part(e);
  return encoding.toUint8Array(e);
};
const syncFrame = (step: number, payload: Uint8Array) =>
  frame(
    MESSAGE_SYNC,
    (e) => encoding.writeVarUint(e, step),
    (e) => encoding.writeVarUint8Array(e, payload),
  );

/** An update of `n` structs that cannot be merged: cheap to send, costly to integrate. */
function structBomb(n: number): Uint8Array {
  const doc = new Y.Doc();
  const array = doc.getArray<number>('bomb');
  doc.transact(() => {
    for (let i = 0; i < n; i++) array.insert(0, [i]);
  });
  return Y.encodeStateAsUpdate(doc);
}

/** A valid update of a paragraph, to cut into truncated pieces. */
function validUpdate(): Uint8Array {
  const doc = new Y.Doc();
  appendParagraph(doc, 'a perfectly ordinary paragraph of a resolution');
  return Y.encodeStateAsUpdate(doc);
}

function corpus(): { name: string; frame: Uint8Array; expect: number[] }[] {
  const valid = validUpdate();
  const cases: { name: string; frame: Uint8Array; expect: number[] }[] = [
    { name: 'empty frame', frame: new Uint8Array(), expect: [CLOSE.malformed] },
    { name: 'unknown message type', frame: frame(77, (e) => encoding.writeVarUint(e, 1)), expect: [CLOSE.malformed] },
    { name: 'unknown sync step', frame: frame(MESSAGE_SYNC, (e) => encoding.writeVarUint(e, 9)), expect: [CLOSE.malformed] },
    { name: 'varint past 53 bits', frame: new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x0f]), expect: [CLOSE.malformed] },
    { name: 'zero-length update (yjs #498)', frame: syncFrame(SYNC_UPDATE, new Uint8Array()), expect: [CLOSE.malformed] },
    { name: '"garbagedoc" update (yjs #479)', frame: syncFrame(SYNC_UPDATE, Buffer.from('garbagedoc', 'base64')), expect: [CLOSE.malformed] },
    { name: 'struct-count bomb', frame: syncFrame(SYNC_UPDATE, structBomb(MAX_STRUCTS_PER_UPDATE * 3)), expect: [CLOSE.refused] },
    { name: 'struct-count bomb in sync step 2', frame: syncFrame(SYNC_STEP_2, structBomb(MAX_STRUCTS_PER_UPDATE * 3)), expect: [CLOSE.refused] },
    {
      name: 'update outside the text (a stray root type)',
      frame: syncFrame(
        SYNC_UPDATE,
        (() => {
          const d = new Y.Doc();
          d.getMap('stray').set('x', 1);
          return Y.encodeStateAsUpdate(d);
        })(),
      ),
      expect: [CLOSE.refused],
    },
    { name: 'awareness garbage', frame: frame(MESSAGE_AWARENESS, (e) => encoding.writeVarUint8Array(e, new Uint8Array([5, 1, 2]))), expect: [CLOSE.malformed] },
  ];
  for (let cut = 1; cut < valid.length; cut += Math.max(1, Math.floor(valid.length / 12))) {
    cases.push({ name: `update truncated at ${cut} of ${valid.length} bytes`, frame: syncFrame(SYNC_UPDATE, valid.slice(0, cut)), expect: [CLOSE.malformed, -1] });
  }
  for (let i = 0; i < 40; i++) {
    const bytes = new Uint8Array(1 + Math.floor(random() * 200));
    for (let j = 0; j < bytes.length; j++) bytes[j] = Math.floor(random() * 256);
    cases.push({ name: `random bytes #${i}`, frame: bytes, expect: [] });
  }
  return cases;
}

describe('hostile input through the real WebSocket', () => {
  let server: TestServer;
  let brazil: TestClient;
  let kenya: TestClient;
  let elsewhereA: TestClient;
  let elsewhereB: TestClient;

  beforeAll(async () => {
    server = await startServer();
    seedNegotiation(server);
    brazil = connect(server, 'brazil');
    kenya = connect(server, 'kenya');
    // another room, of another document of the same group
    const other = server.stores.documents.create({ groupId: server.stores.accounts.requireGroup('cwg-ai').id, symbol: 'CWG-AI/9', title: 'Other', type: 'resolution', createdBy: null });
    elsewhereA = connect(server, 'brazil', other.id);
    elsewhereB = connect(server, 'kenya', other.id);
    await Promise.all([brazil, kenya, elsewhereA, elsewhereB].map(synced));
  });

  afterAll(async () => {
    for (const client of [brazil, kenya, elsewhereA, elsewhereB]) client.destroy();
    await server.close();
  });

  /** Opens an attacker connection, sends one frame, and reports how the server closed it (-1: still open). */
  async function attack(payload: Uint8Array, wait = 300): Promise<number> {
    const socket = new WebSocket(`${server.wsUrl}/${server.documentId}?token=${server.users.secretariat!.token}`);
    await new Promise<void>((resolve, reject) => {
      socket.on('open', () => resolve());
      socket.on('error', reject);
    });
    const closed = new Promise<number>((resolve) => socket.on('close', (code) => resolve(code)));
    socket.send(payload);
    const code = await Promise.race([closed, new Promise<number>((r) => setTimeout(() => r(-1), wait))]);
    if (code === -1) socket.terminate();
    return code;
  }

  it('survives the corpus: only attackers are closed, both rooms carry on, storage is intact', async () => {
    const heapBefore = process.memoryUsage().heapUsed;
    const results: string[] = [];
    let round = 0;
    for (const item of corpus()) {
      // a large frame is read on the pre-check thread, which starts at the first one
      const code = await attack(item.frame, item.expect.length ? 3000 : 300);
      if (item.expect.length && !item.expect.includes(code)) results.push(`${item.name}: closed with ${code}, expected ${item.expect.join(' or ')}`);
      // after every frame, both rooms still carry edits through
      round++;
      appendParagraph(brazil.doc, `after attack ${round}`);
      appendParagraph(elsewhereA.doc, `elsewhere ${round}`);
      await until(() => textOf(kenya.doc).includes(`after attack ${round}<`) && textOf(elsewhereB.doc).includes(`elsewhere ${round}<`), `the rooms to carry on after "${item.name}"`);
    }
    expect(results).toEqual([]);
    expect(round).toBeGreaterThan(60);
    // nothing of the attacks was stored: a replay of storage equals what the delegations see
    const stored = server.stores.log.replay(server.documentId);
    expect(textOf(stored)).toBe(textOf(brazil.doc));
    expect(stored.getArray('bomb').length).toBe(0);
    expect(stored.getMap('stray').size).toBe(0);
    stored.destroy();
    expect((await fetch(`${server.url}/api/health`)).status).toBe(200);
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(256 * 1024 * 1024);
  });

  it('answers a thousand upgrade attempts without login with 401 and stays responsive', async () => {
    const statuses = await Promise.all(
      Array.from(
        { length: 1000 },
        () =>
          new Promise<number>((resolve) => {
            const socket = new WebSocket(`${server.wsUrl}/${server.documentId}`);
            socket.on('unexpected-response', (_request, response) => {
              resolve(response.statusCode ?? 0);
              socket.terminate();
            });
            socket.on('open', () => {
              resolve(101);
              socket.close();
            });
            socket.on('error', () => resolve(0));
          }),
      ),
    );
    expect(statuses.filter((s) => s === 101)).toEqual([]);
    expect(statuses.filter((s) => s === 401).length).toBeGreaterThan(900); // the rest may be refused by the OS backlog
    appendParagraph(brazil.doc, 'still negotiating');
    await until(() => textOf(kenya.doc).includes('still negotiating'), 'the room to carry on');
  });

  it('ignores awareness for a client id another connection controls', async () => {
    const victimId = brazil.doc.clientID;
    brazil.provider.awareness.setLocalStateField('cursor', { anchor: 1, head: 1 });
    await until(() => kenya.provider.awareness.getStates().has(victimId), "Brazil's presence to show");
    const forged = new Y.Doc();
    forged.clientID = victimId;
    const { Awareness, encodeAwarenessUpdate } = await import('y-protocols/awareness');
    const awareness = new Awareness(forged);
    awareness.setLocalState({ user: { name: 'Brazil' }, cursor: { anchor: 0, head: 99 } });
    const code = await attack(frame(MESSAGE_AWARENESS, (e) => encoding.writeVarUint8Array(e, encodeAwarenessUpdate(awareness, [victimId]))));
    expect(code).toBe(-1); // not an error: just not accepted
    await new Promise((r) => setTimeout(r, 150));
    expect((kenya.provider.awareness.getStates().get(victimId) as { cursor?: { head: number } }).cursor?.head).not.toBe(99);
    awareness.destroy();
  });
});
