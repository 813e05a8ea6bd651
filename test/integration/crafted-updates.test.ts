import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import type { Node as PMNode } from 'prosemirror-model';
import { startServer } from '../support/server.ts';
import type { TestServer } from '../support/server.ts';
import { connect, storedDoc, synced, until } from '../support/client.ts';
import type { TestClient } from '../support/client.ts';
import { seedNegotiation } from '../support/negotiation.ts';
import { CLOSE, TEXT_FRAGMENT } from '../../shared/protocol.ts';
import { schema } from '../../shared/schema/index.ts';
import { strictDocument } from '../../shared/yjs/strict-document.ts';
import { hasPending } from '../../server/collab/placeable.ts';
import { copyOf, updateFrame } from '../support/adversary.ts';

/**
 * Updates built by hand, byte by byte where it matters, as an attacker with a script would send
 * them — never what our editor sends — against the real server. For each class of attack: nothing
 * of it reaches another client (every state a witness passes through is checked), storage,
 * compaction, an export or a version; the honest delegations' text is intact; no route answers 500.
 */
const docOf = (doc: Y.Doc) => strictDocument(doc.getXmlFragment(TEXT_FRAGMENT), schema);
const fragmentOf = (doc: Y.Doc) => doc.getXmlFragment(TEXT_FRAGMENT);
const section = (doc: Y.Doc, index: number) => fragmentOf(doc).get(index) as Y.XmlElement;
/** The Y.XmlText of provision `p` (0-based) of section `s`. */
const provisionText = (doc: Y.Doc, s: number, p: number) => ((section(doc, s).get(p + 1) as Y.XmlElement).get(0) as Y.XmlElement).get(0) as Y.XmlText;

/** A V1 update with no structs and one deletion range of `client`'s clocks. */
function deletionOnly(client: number, clock: number, len: number): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, 0); // no structs
  encoding.writeVarUint(e, 1); // one client in the delete set
  encoding.writeVarUint(e, client);
  encoding.writeVarUint(e, 1);
  encoding.writeVarUint(e, clock);
  encoding.writeVarUint(e, len);
  return encoding.toUint8Array(e);
}

const replicaAs = copyOf;

/** A provision element as a script writes it, with whatever id and status it likes. */
function rawProvision(id: string, status: string, text: string): Y.XmlElement {
  const provision = new Y.XmlElement('provision');
  provision.setAttribute('id', id);
  provision.setAttribute('status', status);
  const paragraph = new Y.XmlElement('paragraph');
  paragraph.insert(0, [new Y.XmlText(text)]);
  provision.insert(0, [paragraph]);
  return provision;
}

/** What `doc` gained over `base` since it was copied. */
const diff = (doc: Y.Doc, base: Y.Doc) => Y.encodeStateAsUpdate(doc, Y.encodeStateVector(base));

const clockOf = (doc: Y.Doc, client: number) => Y.decodeStateVector(Y.encodeStateVector(doc)).get(client) ?? 0;

describe('crafted updates against the real server', () => {
  let server: TestServer;
  let witness: TestClient;
  let kenya: TestClient;
  /** Every state the witness went through, as text. */
  let seen: string[];

  beforeEach(async () => {
    server = await startServer();
    seedNegotiation(server);
    witness = connect(server, 'observer');
    kenya = connect(server, 'kenya');
    await Promise.all([synced(witness), synced(kenya)]);
    seen = [];
    witness.doc.on('afterTransaction', () => seen.push(fragmentOf(witness.doc).toString()));
  });

  afterEach(async () => {
    witness.destroy();
    kenya.destroy();
    await server.close();
  });

  const auth = (who: string) => ({ authorization: `Bearer ${server.users[who]!.token}` });

  /** Every reader of the text answers, none with a 5xx; returns the text export. */
  async function routesAnswer(): Promise<string> {
    const id = server.documentId;
    const version = await server.app.inject({ method: 'POST', url: `/api/documents/${id}/versions`, headers: auth('chair'), payload: { name: `Rev.${seen.length}` } });
    expect(version.statusCode).toBe(201);
    const urls = [
      `/api/documents/${id}`,
      `/api/documents/${id}/decisions`,
      `/api/documents/${id}/versions`,
      `/api/documents/${id}/compare?from=${version.json().id}`,
      ...['txt', 'md', 'html', 'docx', 'akn'].map((format) => `/api/documents/${id}/export?format=${format}&mode=negotiation`),
    ];
    for (const url of urls) {
      const response = await server.app.inject({ url, headers: auth('chair') });
      expect(response.statusCode, `${url}: ${response.body.slice(0, 200)}`).toBeLessThan(400);
    }
    const text = await server.app.inject({ url: `/api/documents/${id}/export?format=txt&mode=negotiation`, headers: auth('chair') });
    return text.body;
  }

  /** Storage and its compaction hold no trace of `forbidden` and nothing pending; returns the stored text. */
  function storedWithout(forbidden: RegExp): PMNode {
    server.app.hub.compact(server.documentId);
    const stored = storedDoc(server);
    expect(hasPending(stored)).toBe(false);
    expect(fragmentOf(stored).toString()).not.toMatch(forbidden);
    const text = docOf(stored);
    stored.destroy();
    return text;
  }

  /** Connects `who` as a raw sender: a stock client whose socket also carries hand-made frames. */
  async function attacker(who: string): Promise<TestClient & { sendRaw(update: Uint8Array): void }> {
    const client = connect(server, who);
    await synced(client);
    return Object.assign(client, { sendRaw: (update: Uint8Array) => (client.provider.ws as WebSocket).send(updateFrame(update)) });
  }

  describe('pending structs: an update that depends on clocks the server does not have', () => {
    it("is never integrated later inside another delegation's update: text chained to Kenya's next keystroke", async () => {
      const brazil = await attacker('brazil');
      // Kenya's next keystroke, as Brazil guesses its clock, and FORGED text chained after it
      const ghost = replicaAs(brazil.doc, kenya.doc.clientID);
      provisionText(ghost, 0, 0).insert(0, 'g');
      const forger = replicaAs(ghost, 4242);
      provisionText(forger, 0, 0).insert(1, 'FORGED');
      brazil.sendRaw(diff(forger, ghost));
      // a delete set reaching into Kenya's future keystrokes too (a trap that would hide them)
      brazil.sendRaw(deletionOnly(kenya.doc.clientID, clockOf(kenya.doc, kenya.doc.clientID), 500));
      await new Promise((r) => setTimeout(r, 150));
      // Kenya types: its keystrokes fill the gap the forged text waited for
      provisionText(kenya.doc, 0, 0).insert(0, 'Kenya says ');
      await until(() => fragmentOf(witness.doc).toString().includes('Kenya says '), "Kenya's text to reach the witness");
      provisionText(kenya.doc, 0, 0).insert(0, 'again ');
      await until(() => fragmentOf(witness.doc).toString().includes('again Kenya says '), "Kenya's next text to reach the witness");
      await new Promise((r) => setTimeout(r, 150));
      expect(seen.join('\n')).not.toMatch(/FORGED/);
      expect(kenya.closes).toEqual([]);
      expect(kenya.notices).toEqual([]);
      expect(storedWithout(/FORGED/).textContent).toContain('again Kenya says plain text');
      expect(await routesAnswer()).not.toMatch(/FORGED/);
      brazil.destroy();
    });

    it("is never integrated inside the server's own change: a bracket chained to the server's next clock", async () => {
      const brazil = await attacker('brazil');
      const before = new Set(Y.decodeStateVector(Y.encodeStateVector(brazil.doc)).keys());
      const clients = () => [...Y.decodeStateVector(Y.encodeStateVector(brazil.doc)).keys()];
      const decide = (body: object) => server.app.inject({ method: 'POST', url: `/api/documents/${server.documentId}/decisions`, headers: auth('chair'), payload: body });
      expect((await decide({ action: 'status', provisionId: 'p-a', status: 'agreed' })).statusCode).toBe(201);
      await until(() => clients().some((c) => !before.has(c)), 'the decision to reach Brazil');
      const serverClient = clients().find((c) => !before.has(c))!;
      expect(serverClient).toBeDefined();
      // the server's next write, as guessed: p-a's status set back; chained after it, p-a agreed
      // by Brazil (a status no decision set) and a bracket forged for Kenya in the agreed p-e
      const ghost = replicaAs(brazil.doc, serverClient);
      (section(ghost, 0).get(1) as Y.XmlElement).setAttribute('status', 'open');
      const forger = replicaAs(ghost, 4343);
      forger.transact(() => {
        (section(forger, 0).get(1) as Y.XmlElement).setAttribute('status', 'agreed');
        provisionText(forger, 1, 0).insert(1, 'AMENDED ', { bracket: { id: 'b-forged', delegation: 'Kenya', kind: 'contested', group: '', at: '' } });
      });
      brazil.sendRaw(diff(forger, ghost));
      await new Promise((r) => setTimeout(r, 150));
      // the server writes again (another decision): its next clocks are filled
      expect((await decide({ action: 'status', provisionId: 'p-a', status: 'open' })).statusCode).toBe(201);
      await until(() => docOf(witness.doc).firstChild!.child(1).attrs.status === 'open', 'the second decision to reach the witness');
      // Yjs integrates pending structs inside the next update applied: Kenya's keystroke
      provisionText(kenya.doc, 0, 1).insert(0, 'Kenya: ');
      await until(() => fragmentOf(witness.doc).toString().includes('Kenya: '), "Kenya's keystroke to reach the witness");
      await new Promise((r) => setTimeout(r, 150));
      expect(kenya.notices).toEqual([]);
      expect(kenya.closes).toEqual([]);
      for (const doc of [witness.doc, kenya.doc, brazil.doc]) expect(docOf(doc).firstChild!.child(1).attrs.status).toBe('open');
      const stored = storedDoc(server);
      expect(docOf(stored).firstChild!.child(1).attrs.status).toBe('open');
      stored.destroy();
      expect(seen.join('\n')).not.toMatch(/AMENDED|b-forged/);
      storedWithout(/AMENDED|b-forged/);
      expect(await routesAnswer()).not.toMatch(/AMENDED/);
      brazil.destroy();
    });

    it('asks the sender for what the server lacks, and a stock client then sends it all, placeable', async () => {
      const brazil = await attacker('brazil');
      // two keystrokes of Brazil's own, held by its provider's document but not sent by it
      const typist = replicaAs(brazil.doc, 4444);
      const keystrokes: Uint8Array[] = [];
      typist.on('update', (update: Uint8Array) => keystrokes.push(update));
      provisionText(typist, 0, 0).insert(0, 'one ');
      provisionText(typist, 0, 0).insert(0, 'two ');
      for (const update of keystrokes) Y.applyUpdate(brazil.doc, update, brazil.provider);
      // the second arrives alone, as after a reconnect before the sync step 2: it cannot be placed
      brazil.sendRaw(keystrokes[1]!);
      await until(() => fragmentOf(witness.doc).toString().includes('two one plain text'), 'both keystrokes to arrive');
      expect(seen.some((state) => state.includes('two plain text'))).toBe(false);
      expect(brazil.closes).toEqual([]);
      expect(server.app.hub.counters.resyncs).toBeGreaterThanOrEqual(1);
      brazil.destroy();
    });
  });

  describe('whole-document validity', () => {
    it('takes back an amended copy of an agreed provision carrying its id', async () => {
      const brazil = await attacker('brazil');
      section(brazil.doc, 1).insert(2, [rawProvision('p-e', 'agreed', 'an agreed text, AMENDED')]);
      await until(() => brazil.notices.length > 0, 'Brazil to be told');
      await new Promise((r) => setTimeout(r, 100));
      const text = docOf(witness.doc);
      const ids: string[] = [];
      const agreed: string[] = [];
      text.descendants((node) => {
        if (node.attrs.id !== undefined) ids.push(node.attrs.id as string);
        if (node.attrs.status === 'agreed') agreed.push(node.textContent);
        return true;
      });
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids).not.toContain('');
      expect(agreed).toEqual(['an agreed text']);
      expect(storedWithout(/^$/).eq(text)).toBe(true);
      await routesAnswer();
      expect(brazil.closes).toEqual([]);
      brazil.destroy();
    });

    it('refuses whole a top-level text, or anything else the schema has no place for, and closes the sender', async () => {
      for (const attack of [
        (doc: Y.Doc) => fragmentOf(doc).insert(0, [new Y.XmlText('loose text at the top')]),
        (doc: Y.Doc) => doc.getMap('elsewhere').set('x', 'hidden state'),
        (doc: Y.Doc) => doc.getText('prosemirror-shadow').insert(0, 'shadow'),
      ]) {
        const brazil = await attacker('brazil');
        attack(brazil.doc);
        await until(() => brazil.closes.length > 0, 'Brazil to be closed');
        expect(brazil.closes[0]!.code).toBe(CLOSE.refused);
        brazil.destroy();
      }
      await new Promise((r) => setTimeout(r, 100));
      expect(seen.join('\n')).not.toMatch(/loose text|hidden state|shadow/);
      storedWithout(/loose text|hidden state|shadow/);
      await routesAnswer();
      // the room carries on
      provisionText(kenya.doc, 0, 0).insert(0, 'still ');
      await until(() => fragmentOf(witness.doc).toString().includes('still plain'), 'Kenya to go on');
    });

    it('takes back a status set through an empty id, and an agreed provision blanked and amended', async () => {
      const brazil = await attacker('brazil');
      section(brazil.doc, 0).insert(1, [rawProvision('', 'agreed', 'SNEAKY agreed text')]);
      await until(() => brazil.notices.length > 0, 'Brazil to be told');
      const agreedElement = section(brazil.doc, 1).get(1) as Y.XmlElement;
      brazil.doc.transact(() => {
        agreedElement.setAttribute('id', '');
        ((agreedElement.get(0) as Y.XmlElement).get(0) as Y.XmlText).insert(0, 'BLANKED ');
      });
      await until(() => brazil.notices.length > 1, 'Brazil to be told again');
      await new Promise((r) => setTimeout(r, 100));
      const text = docOf(witness.doc);
      const agreed: string[] = [];
      text.descendants((node) => {
        expect(node.attrs.id).not.toBe('');
        if (node.attrs.status && node.attrs.status !== 'open') agreed.push(`${node.attrs.id}: ${node.textContent}`);
        return true;
      });
      expect(agreed).toEqual(['p-e: an agreed text']);
      for (const state of seen) expect(state).not.toMatch(/BLANKED/);
      storedWithout(/BLANKED/);
      await routesAnswer();
      brazil.destroy();
    });

    it('takes back attribute values outside the schema, and attributes it does not know', async () => {
      const brazil = await attacker('brazil');
      const attacks: ((doc: Y.Doc) => void)[] = [
        (doc) => section(doc, 0).setAttribute('numbering', 'roman'),
        (doc) => (section(doc, 0).get(1) as Y.XmlElement).setAttribute('marker', 'XYZ'),
        (doc) => (section(doc, 0).get(1) as Y.XmlElement).setAttribute('onclick', 'alert(1)'),
        (doc) => provisionText(doc, 0, 0).format(0, 5, { em: { style: 'color:red' } }),
        (doc) => provisionText(doc, 0, 0).format(0, 5, { blink: {} }),
      ];
      for (const [i, attack] of attacks.entries()) {
        attack(brazil.doc);
        await until(() => brazil.notices.length > i || brazil.closes.length > 0, `attack ${i} to be answered`);
      }
      await new Promise((r) => setTimeout(r, 100));
      const stored = storedWithout(/roman|XYZ|onclick|color:red|blink/);
      expect(stored.eq(docOf(witness.doc))).toBe(true);
      expect(seen.join('\n')).not.toMatch(/roman|XYZ|onclick|color:red|blink/);
      await routesAnswer();
      brazil.destroy();
    });
  });

  describe('moving is changing', () => {
    it("takes back Kenya's bracket moved by Brazil to another provision, and moved within its own", async () => {
      const brazil = await attacker('brazil');
      const mark = { bracket: { id: 'b-whole', delegation: 'Kenya', kind: 'contested', group: '', at: '2026-11-24T09:00:00.000Z' } };
      brazil.doc.transact(() => {
        const from = provisionText(brazil.doc, 0, 2);
        from.delete(0, from.length);
        from.insert(0, 'all of this provision', mark); // deleted and typed again, identical, in place
      });
      await until(() => brazil.notices.length > 0, 'Brazil to be told');
      brazil.doc.transact(() => {
        const from = provisionText(brazil.doc, 0, 2);
        from.delete(0, from.length);
        provisionText(brazil.doc, 0, 0).insert(0, 'all of this provision', mark); // moved to a)
      });
      await until(() => brazil.notices.length > 1, 'Brazil to be told again');
      await new Promise((r) => setTimeout(r, 100));
      expect(brazil.notices.every((n) => n.rules.some((r) => r.rule === 'other-delegation'))).toBe(true);
      const text = docOf(witness.doc);
      expect(text.firstChild!.child(1).textContent).toBe('plain text');
      expect(text.firstChild!.child(3).textContent).toBe('all of this provision');
      expect(seen.some((state) => /<paragraph>[^<]*<bracket[^>]*b-whole[^>]*>all of this provision<\/bracket>plain text/.test(state))).toBe(false);
      expect(storedWithout(/^$/).eq(text)).toBe(true);
      brazil.destroy();
    });

    it('takes back an agreed provision moved within its section (deleted and inserted again, identical)', async () => {
      const decided = await server.app.inject({
        method: 'POST',
        url: `/api/documents/${server.documentId}/decisions`,
        headers: auth('chair'),
        payload: { action: 'status', provisionId: 'p-a', status: 'agreed' },
      });
      expect(decided.statusCode).toBe(201);
      const brazil = await attacker('brazil');
      await until(() => docOf(brazil.doc).firstChild!.child(1).attrs.status === 'agreed', 'the status to reach Brazil');
      brazil.doc.transact(() => {
        const s = section(brazil.doc, 0);
        const moved = (s.get(1) as Y.XmlElement).clone();
        s.delete(1, 1);
        s.insert(4, [moved]);
      });
      await until(() => brazil.notices.length > 0, 'Brazil to be told');
      await new Promise((r) => setTimeout(r, 100));
      const order = (doc: PMNode) => {
        const ids: string[] = [];
        doc.firstChild!.forEach((n) => {
          if (n.attrs.id) ids.push(n.attrs.id as string);
        });
        return ids;
      };
      expect(order(docOf(witness.doc))).toEqual(['p-a', 'p-b', 'p-c', 'p-d']);
      expect(order(docOf(brazil.doc))).toEqual(['p-a', 'p-b', 'p-c', 'p-d']);
      expect(seen.every((state) => state.indexOf('p-a') < state.indexOf('p-b'))).toBe(true);
      storedWithout(/^$/);
      brazil.destroy();
    });
  });
});

describe('size caps', () => {
  let server: TestServer;

  afterEach(async () => {
    await server.close();
  });

  /** An update of one paragraph of `kib` KiB of text, placeable on `base`. */
  function bigParagraph(base: Y.Doc, kib: number, seed: string, at?: number): Uint8Array {
    const doc = replicaAs(base, 5000 + kib);
    const text = provisionText(doc, 0, 0);
    text.insert(at ?? text.length, `${seed} ${'x'.repeat(kib * 1024)}`);
    return diff(doc, base);
  }

  it('closes a connection past its bytes a minute, and keeps unplaceable floods out of storage and of the next sync', async () => {
    server = await startServer({ maxBytesPerMinute: 2 * 1024 * 1024 });
    seedNegotiation(server);
    const witness = connect(server, 'observer');
    await synced(witness);
    const brazil = connect(server, 'brazil');
    await synced(brazil);
    // never placeable: continues a client at a clock the server does not have
    const ghost = replicaAs(brazil.doc, 777);
    provisionText(ghost, 0, 0).insert(0, 'g');
    const unplaceable = bigParagraph(ghost, 300, 'FLOOD', 1); // right after the ghost's keystroke
    const socket = brazil.provider.ws as WebSocket;
    for (let i = 0; i < 10; i++) socket.send(updateFrame(unplaceable));
    await until(() => brazil.closes.length > 0, 'Brazil to be closed', 10_000);
    expect(brazil.closes[0]!.code).toBe(CLOSE.rateLimited);
    expect(brazil.closes[0]!.reason).toMatch(/of changes in a minute; wait a minute/);
    const newcomer = connect(server, 'chair');
    await synced(newcomer);
    expect(Y.encodeStateAsUpdate(newcomer.doc).byteLength).toBeLessThan(10_000);
    const stored = storedDoc(server);
    expect(hasPending(stored)).toBe(false);
    expect(fragmentOf(stored).toString()).not.toMatch(/FLOOD/);
    stored.destroy();
    for (const client of [witness, brazil, newcomer]) client.destroy();
  });

  it('refuses what would take a document past its size, saying so, and keeps what it has', async () => {
    server = await startServer({ maxDocumentBytes: 600 * 1024 });
    seedNegotiation(server);
    const brazil = connect(server, 'brazil');
    await synced(brazil);
    const socket = brazil.provider.ws as WebSocket;
    socket.send(updateFrame(bigParagraph(brazil.doc, 400, 'FIRST')));
    await new Promise((r) => setTimeout(r, 1000));
    expect(brazil.closes).toEqual([]);
    const kenya = connect(server, 'kenya');
    await synced(kenya);
    expect(fragmentOf(kenya.doc).toString()).toMatch(/FIRST/);
    const kenyaSocket = kenya.provider.ws as WebSocket;
    kenyaSocket.send(updateFrame(bigParagraph(kenya.doc, 400, 'SECOND')));
    await until(() => kenya.closes.length > 0, 'Kenya to be refused');
    expect(kenya.closes[0]!.code).toBe(CLOSE.refused);
    expect(kenya.closes[0]!.reason).toMatch(/size limit of \d+ MB; take a version/);
    const stored = storedDoc(server);
    expect(fragmentOf(stored).toString()).toMatch(/FIRST/);
    expect(fragmentOf(stored).toString()).not.toMatch(/SECOND/);
    stored.destroy();
    brazil.destroy();
    kenya.destroy();
  });
});
