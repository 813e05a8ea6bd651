import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import WebSocket from 'ws';
import JSZip from 'jszip';
import { PASSWORD } from '../support/server.ts';
import { startServer } from '../support/server.ts';
import type { TestServer } from '../support/server.ts';
import { connect, synced, until } from '../support/client.ts';
import type { TestClient } from '../support/client.ts';
import { seedNegotiation } from '../support/negotiation.ts';
import { MESSAGE_SYNC, TEXT_FRAGMENT } from '../../shared/protocol.ts';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import type { ThreadView } from '../../shared/api.ts';
import { EXPORT_FORMATS, EXPORT_MODES } from '../../server/export/formats.ts';
import { listen } from '../support/event-stream.ts';
import type { EventStream as Stream } from '../support/event-stream.ts';

/**
 * Comment threads through the real server: who sees what (by every route, the live stream and
 * export), who may write and resolve, authorship set by the server, anchors that follow the text.
 */
type Who = 'chair' | 'secretariat' | 'brazil' | 'kenya' | 'observer' | 'outsider';

/** The Y.XmlText of the provision whose text contains `words`, and the index of `words` in it. */
function textOf(doc: Y.Doc, words: string): { text: Y.XmlText; index: number } {
  const visit = (type: Y.XmlElement | Y.XmlFragment): { text: Y.XmlText; index: number } | null => {
    for (const child of type.toArray()) {
      if (child instanceof Y.XmlText) {
        const plain = child
          .toDelta()
          .map((op: { insert: string }) => op.insert)
          .join('');
        const at = plain.indexOf(words);
        if (at >= 0) return { text: child, index: at };
      } else if (child instanceof Y.XmlElement) {
        const found = visit(child);
        if (found) return found;
      }
    }
    return null;
  };
  const found = visit(doc.getXmlFragment(TEXT_FRAGMENT));
  if (!found) throw new Error(`"${words}" not in the document`);
  return found;
}

const encode = (position: Y.RelativePosition) => Buffer.from(Y.encodeRelativePosition(position)).toString('base64');

/** An anchor on `words`, as the editor makes one: relative positions at its start and end. */
function anchorOn(doc: Y.Doc, words: string) {
  const { text, index } = textOf(doc, words);
  return {
    start: encode(Y.createRelativePositionFromTypeIndex(text, index)),
    end: encode(Y.createRelativePositionFromTypeIndex(text, index + words.length, -1)),
  };
}

/** The text an anchor covers now in `doc` ("" when it was deleted). */
function anchoredText(doc: Y.Doc, anchor: { start: string; end: string }): string {
  const start = Y.createAbsolutePositionFromRelativePosition(Y.decodeRelativePosition(Buffer.from(anchor.start, 'base64')), doc);
  const end = Y.createAbsolutePositionFromRelativePosition(Y.decodeRelativePosition(Buffer.from(anchor.end, 'base64')), doc);
  if (!start || !end || start.type !== end.type) return '';
  const plain = (start.type as Y.XmlText)
    .toDelta()
    .map((op: { insert: string }) => op.insert)
    .join('');
  return plain.slice(start.index, Math.max(start.index, end.index));
}

describe('comment threads', () => {
  let server: TestServer;
  let brazil: TestClient;

  beforeEach(async () => {
    server = await startServer();
    seedNegotiation(server);
    brazil = connect(server, 'brazil');
    await synced(brazil);
  });
  afterEach(async () => {
    brazil.destroy();
    await server.close();
  });

  const bearer = (who: Who) => ({ authorization: `Bearer ${server.users[who]!.token}` });
  const call = (who: Who | null, method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object) =>
    server.app.inject({ method, url, headers: who ? bearer(who) : {}, ...(payload ? { payload } : {}) });
  const open = (who: Who, visibility: 'public' | 'private', body: string, words = 'plain text') =>
    call(who, 'POST', `/api/documents/${server.documentId}/threads`, { visibility, anchor: anchorOn(brazil.doc, words), body });
  const listFor = async (who: Who) => (await call(who, 'GET', `/api/documents/${server.documentId}/threads`)).json().threads as ThreadView[];
  const streamFor = (headers: Record<string, string>) => listen(`${server.url}/api/documents/${server.documentId}/threads/events`, headers);
  /** A member added to the group for one test, with an API token. */
  const addMember = (username: string, role: 'delegate' | 'observer', delegation?: string) => {
    const user = server.stores.accounts.addUser(username, `${username} person`, null);
    server.stores.accounts.setMembership(user.id, 'cwg-ai', role, delegation);
    return { id: user.id, headers: { authorization: `Bearer ${server.stores.tokens.create(user.id)}` } };
  };

  it("keeps a delegation's private thread from everyone else — other delegations, the chair, the secretariat, observers — by every route", async () => {
    // Kenya and the observer follow the text on the collaboration socket meanwhile
    const frames: string[] = [];
    const sockets = (['kenya', 'observer'] as const).map((who) => {
      const socket = new WebSocket(`${server.wsUrl}/${server.documentId}?token=${server.users[who]!.token}`);
      socket.on('message', (data: Buffer) => frames.push(data.toString('latin1')));
      // sync step 1 from an empty document: the server answers with the whole text
      const hello = encoding.createEncoder();
      encoding.writeVarUint(hello, MESSAGE_SYNC);
      syncProtocol.writeSyncStep1(hello, new Y.Doc());
      socket.on('open', () => socket.send(encoding.toUint8Array(hello)));
      return socket;
    });
    const secret = await open('brazil', 'private', 'Our capital will not accept "plain"; hold the line.');
    expect(secret.statusCode).toBe(201);
    const id = (secret.json() as ThreadView).id;
    expect((await call('brazil', 'POST', `/api/threads/${id}/comments`, { body: 'Agreed, hold the line @Kenya' })).statusCode).toBe(201);
    expect((await open('kenya', 'public', 'We propose to keep this wording.')).statusCode).toBe(201);

    expect((await listFor('brazil')).map((t) => t.visibility).sort()).toEqual(['private', 'public']);
    for (const who of ['kenya', 'chair', 'secretariat', 'observer'] as const) {
      const seen = await listFor(who);
      expect(
        seen.map((t) => t.visibility),
        who,
      ).toEqual(['public']);
      expect(JSON.stringify(seen)).not.toContain('hold the line');
      // by its id, the private thread is answered exactly like one that does not exist
      for (const [method, url] of [
        ['POST', `/api/threads/${id}/comments`],
        ['POST', `/api/threads/${id}/resolve`],
        ['POST', `/api/threads/${id}/reopen`],
      ] as const) {
        const answer = await call(who, method, url, { body: 'let me in' });
        expect(answer.statusCode, `${who} ${url}`).toBe(404);
        expect(answer.json().message).toBe(`no thread ${id}`);
      }
      const commentId = (secret.json() as ThreadView).comments[0]!.id;
      expect((await call(who, 'PATCH', `/api/comments/${commentId}`, { body: 'x' })).statusCode, who).toBe(404);
      expect((await call(who, 'DELETE', `/api/comments/${commentId}`)).statusCode, who).toBe(404);
    }
    // the Kenya mention inside Brazil's private thread notifies nobody in Kenya
    expect((await listFor('kenya')).some((t) => t.mentionsMe)).toBe(false);
    // another working group sees neither the list nor the thread by its id
    expect((await call('outsider', 'GET', `/api/documents/${server.documentId}/threads`)).statusCode).toBe(404);
    expect((await call('outsider', 'POST', `/api/threads/${id}/comments`, { body: 'hi' })).json().message).toBe(`no thread ${id}`);
    expect((await call(null, 'GET', `/api/documents/${server.documentId}/threads`)).statusCode).toBe(401);

    // nor through any export, in any format and mode
    for (const format of EXPORT_FORMATS) {
      for (const mode of EXPORT_MODES) {
        const exported = await call('kenya', 'GET', `/api/documents/${server.documentId}/export?format=${format}&mode=${mode}&brackets=keep`);
        expect(exported.statusCode, `${format} ${mode}`).toBe(200);
        let text = exported.body;
        if (format === 'docx') {
          const zip = await JSZip.loadAsync(exported.rawPayload);
          text = (await Promise.all(Object.values(zip.files).map((f) => f.async('string')))).join('\n');
          expect(text).toContain('plain text'); // the unzipped text is really read
        }
        expect(text, `${format} ${mode}`).not.toContain('hold the line');
      }
    }
    // nor in the shared Yjs document, nor in any frame of the collaboration socket
    expect(Buffer.from(Y.encodeStateAsUpdate(brazil.doc)).toString('latin1')).not.toContain('hold the line');
    expect(Buffer.from(Y.encodeStateAsUpdate(server.stores.log.replay(server.documentId))).toString('latin1')).not.toContain('hold the line');
    await until(() => frames.filter((f) => f.includes('plain text')).length >= 2, 'the collaboration sockets to sync');
    expect(frames.join('')).not.toContain('hold the line');
    for (const socket of sockets) socket.close();

    // the group page counts what each may see
    const counts = async (who: Who) => ((await call(who, 'GET', '/api/groups/cwg-ai')).json().documents as { id: string; openThreads: number }[]).find((d) => d.id === server.documentId)!.openThreads;
    expect(await counts('brazil')).toBe(2);
    expect(await counts('kenya')).toBe(1);
    expect(await counts('observer')).toBe(1);
  });

  it('streams changes live only to those who may see them', async () => {
    const [brazilStream, kenyaStream, chairStream, secretariatStream, observerStream] = await Promise.all([
      streamFor(bearer('brazil')),
      streamFor(bearer('kenya')),
      streamFor(bearer('chair')),
      streamFor(bearer('secretariat')),
      streamFor(bearer('observer')),
    ]);
    const everyone = [brazilStream, kenyaStream, chairStream, secretariatStream, observerStream];
    await open('brazil', 'private', 'private note: check with capital');
    await open('kenya', 'public', 'public remark for all @Brazil');
    await until(() => everyone.every((s) => s.text().includes('public remark')), 'the public thread to reach everyone');
    expect(brazilStream.text()).toContain('private note');
    for (const other of [kenyaStream, chairStream, secretariatStream, observerStream]) expect(other.text()).not.toContain('private note');
    // the chair's private note reaches no delegation
    await open('chair', 'private', 'chair only: consider a compromise');
    const publicThread = (await listFor('kenya'))[0]!;
    await call('kenya', 'POST', `/api/threads/${publicThread.id}/resolve`);
    await until(() => kenyaStream.events.some((e) => e.event === 'thread' && (JSON.parse(e.data) as ThreadView).resolved), 'the resolution to be streamed');
    await until(() => observerStream.events.some((e) => e.event === 'thread' && (JSON.parse(e.data) as ThreadView).resolved), 'the resolution to reach the observer');
    expect(chairStream.text()).toContain('chair only');
    for (const other of [brazilStream, kenyaStream, secretariatStream, observerStream]) expect(other.text()).not.toContain('chair only');
    // each receives the thread as they see it: Brazil is mentioned, Kenya wrote it
    const last = (stream: Stream) => JSON.parse(stream.events.filter((e) => e.event === 'thread' && e.data.includes('public remark')).at(-1)!.data) as ThreadView;
    expect(last(brazilStream)).toMatchObject({ mentionsMe: true, mayResolve: false });
    expect(last(kenyaStream)).toMatchObject({ mentionsMe: false, mayResolve: true });
    expect(last(kenyaStream).comments[0]).toMatchObject({ mine: true, mentions: ['Brazil'] });
    expect(last(brazilStream).comments[0]!.mine).toBe(false);
    for (const s of everyone) s.stop();
  });

  it('ends a live stream whose reader logged out or moved to another delegation, before it carries anything more', async () => {
    // a second Brazil delegate, reading in a browser session, and a third one with a token
    const movedAway = addMember('brazil2', 'delegate', 'Brazil');
    const login = await server.app.inject({ method: 'POST', url: '/api/auth/login', headers: { origin: server.origin }, payload: { username: 'brazil', password: PASSWORD } });
    const cookie = String(login.headers['set-cookie']).split(';')[0]!;
    const browserStream = await streamFor({ cookie });
    const movedStream = await streamFor(movedAway.headers);
    await open('brazil', 'private', 'first note');
    await until(() => browserStream.text().includes('first note') && movedStream.text().includes('first note'), 'the first note');

    await server.app.inject({ method: 'POST', url: '/api/auth/logout-everywhere', headers: { cookie, origin: server.origin } });
    server.stores.accounts.setMembership(movedAway.id, 'cwg-ai', 'delegate', 'Kenya');
    await open('brazil', 'private', 'second note, after the move');
    await until(() => browserStream.ended() && movedStream.ended(), 'both streams to end');
    for (const stream of [browserStream, movedStream]) {
      expect(stream.text()).not.toContain('second note');
      expect(stream.events.at(-1)!.event).toBe('end');
    }
    // reconnecting gives the moved delegate Kenya's view, and the logged-out browser nothing
    expect((await fetch(`${server.url}/api/documents/${server.documentId}/threads/events`, { headers: { cookie } })).status).toBe(401);
    const again = (await server.app.inject({ url: `/api/documents/${server.documentId}/threads`, headers: movedAway.headers })).json().threads as ThreadView[];
    expect(again).toEqual([]);
  });

  it('quotes the anchored words from its own copy of the text, whatever the client claims', async () => {
    const created = await call('brazil', 'POST', `/api/documents/${server.documentId}/threads`, {
      visibility: 'public',
      anchor: anchorOn(brazil.doc, 'trusted AI'),
      quote: 'Brazil accepts everything',
      provisionId: 'p-e',
      body: 'On these words',
    });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ quote: 'trusted AI', provisionId: 'p-b' });
    // an anchor spanning two provisions quotes both, from the first one's provision
    const { text: first } = textOf(brazil.doc, 'plain text');
    const { text: second } = textOf(brazil.doc, 'trusted AI');
    const spanning = await call('brazil', 'POST', `/api/documents/${server.documentId}/threads`, {
      visibility: 'public',
      body: 'Both',
      anchor: { start: encode(Y.createRelativePositionFromTypeIndex(first, 6)), end: encode(Y.createRelativePositionFromTypeIndex(second, 2, -1)) },
    });
    expect(spanning.json()).toMatchObject({ quote: 'text to', provisionId: 'p-a' });
  });

  it('refuses anchors that are not positions, that cover no words, or that point at text the server has not got', async () => {
    const post = (anchor: { start: string; end: string }) => call('brazil', 'POST', `/api/documents/${server.documentId}/threads`, { visibility: 'public', anchor, body: 'x' });
    const good = anchorOn(brazil.doc, 'plain text');
    const garbage = await post({ start: Buffer.from('not a position at all').toString('base64'), end: good.end });
    expect(garbage.statusCode).toBe(400);
    expect(garbage.json().message).toBe("the anchor's start is not a Yjs relative position (base64)");
    const empty = await post({ start: good.start, end: good.start });
    expect(empty.statusCode).toBe(400);
    expect(empty.json().message).toMatch(/covers no text/);
    // words typed in a copy of the text that never reached the server
    const offline = new Y.Doc();
    Y.applyUpdate(offline, Y.encodeStateAsUpdate(brazil.doc));
    textOf(offline, 'plain text').text.insert(0, 'unsent words ');
    const unknown = await post(anchorOn(offline, 'unsent words'));
    expect(unknown.statusCode).toBe(409);
    expect(unknown.json().message).toMatch(/not on the server/);
    expect(await listFor('brazil')).toEqual([]);
  });

  it("sets authorship from the session, lets only the author edit or delete, and only the thread's delegation or the chair resolve", async () => {
    const created = await call('kenya', 'POST', `/api/documents/${server.documentId}/threads`, {
      visibility: 'public',
      anchor: anchorOn(brazil.doc, 'plain text'),
      quote: 'plain text',
      body: 'We have a concern',
      author: 'Brazil',
      speaksFor: 'Brazil',
      owner: 'Brazil',
      createdAt: '2001-01-01T00:00:00Z',
    });
    expect(created.statusCode).toBe(201); // unknown fields are not taken over
    const thread = created.json() as ThreadView;
    expect(thread.owner).toBe('Kenya');
    expect(thread.comments[0]).toMatchObject({ author: 'kenya person', speaksFor: 'Kenya', mine: true });
    expect(Date.now() - Date.parse(thread.comments[0]!.createdAt)).toBeLessThan(60_000);
    const commentId = thread.comments[0]!.id;

    const reply = await call('brazil', 'POST', `/api/threads/${thread.id}/comments`, { body: 'Noted.\r\nWe will consult.  ', author: 'Kenya' });
    const replied = reply.json() as ThreadView;
    expect(replied.comments.map((c) => c.speaksFor)).toEqual(['Kenya', 'Brazil']);
    expect(replied.comments[1]!.body).toBe('Noted.\nWe will consult.');
    expect((await call('brazil', 'PATCH', `/api/comments/${commentId}`, { body: 'forged edit' })).json().message).toMatch(/only your own comments/);
    expect((await call('brazil', 'DELETE', `/api/comments/${commentId}`)).statusCode).toBe(403);
    expect((await call('chair', 'PATCH', `/api/comments/${commentId}`, { body: 'chair edit' })).statusCode).toBe(403);
    expect(((await call('kenya', 'PATCH', `/api/comments/${commentId}`, { body: 'We have a serious concern' })).json() as ThreadView).comments[0]!.editedAt).not.toBeNull();

    // resolving: Kenya (any of its delegates) or the chair; not Brazil, not the secretariat, not observers
    const kenya2 = addMember('kenya2', 'delegate', 'Kenya');
    const kenyanObserver = addMember('kenya-observer', 'observer', 'Kenya');
    const refused = await call('brazil', 'POST', `/api/threads/${thread.id}/resolve`);
    expect(refused.statusCode).toBe(403);
    expect(refused.json().message).toBe('only Kenya or the chair can resolve or reopen this thread');
    expect((await call('secretariat', 'POST', `/api/threads/${thread.id}/resolve`)).json().message).toBe('only Kenya or the chair can resolve or reopen this thread');
    expect((await call('observer', 'POST', `/api/threads/${thread.id}/resolve`)).json().message).toBe('observers can read public threads but cannot resolve or reopen them');
    expect((await server.app.inject({ method: 'POST', url: `/api/threads/${thread.id}/resolve`, headers: kenyanObserver.headers })).statusCode).toBe(403);
    expect((await listFor('brazil'))[0]!.resolved).toBe(false);
    expect((await call('chair', 'POST', `/api/threads/${thread.id}/resolve`)).json() as ThreadView).toMatchObject({ resolved: true, resolvedBy: 'chair person' });
    expect((await call('chair', 'POST', `/api/threads/${thread.id}/resolve`)).json().message).toBe('the thread is already resolved');
    expect((await call('brazil', 'POST', `/api/threads/${thread.id}/reopen`)).statusCode).toBe(403);
    expect(((await server.app.inject({ method: 'POST', url: `/api/threads/${thread.id}/reopen`, headers: kenya2.headers })).json() as ThreadView).resolved).toBe(false);
    expect(((await call('kenya', 'POST', `/api/threads/${thread.id}/resolve`)).json() as ThreadView).resolved).toBe(true);
    expect(((await call('chair', 'POST', `/api/threads/${thread.id}/reopen`)).json() as ThreadView).resolved).toBe(false);

    // observers read but never write
    const observerOpen = await call('observer', 'POST', `/api/documents/${server.documentId}/threads`, { visibility: 'public', anchor: anchorOn(brazil.doc, 'plain text'), body: 'hi' });
    expect(observerOpen.statusCode).toBe(403);
    expect(observerOpen.json().message).toBe('observers can read public threads but cannot comment');
    expect((await call('observer', 'POST', `/api/threads/${thread.id}/comments`, { body: 'hi' })).json().message).toBe('observers can read public threads but cannot comment');
    expect((await listFor('observer'))[0]!.comments).toHaveLength(2);

    const deleted = (await call('kenya', 'DELETE', `/api/comments/${commentId}`)).json() as ThreadView;
    expect(deleted.comments[0]).toMatchObject({ deleted: true, body: '' });
    expect(JSON.stringify(await listFor('brazil'))).not.toContain('serious concern');
    expect((await call('kenya', 'PATCH', `/api/comments/${commentId}`, { body: 'back' })).json().message).toBe('the comment was deleted');
  });

  it('records mentions of delegations per comment, and forgets them when the comment changes', async () => {
    const thread = (await open('kenya', 'public', 'Could @brazil and @Kenyan friends agree? (mail: someone@Brazil.example)')).json() as ThreadView;
    expect(thread.comments[0]!.mentions).toEqual(['Brazil']);
    expect((await listFor('brazil'))[0]!.mentionsMe).toBe(true);
    await call('kenya', 'PATCH', `/api/comments/${thread.comments[0]!.id}`, { body: 'Could we agree?' });
    expect((await listFor('brazil'))[0]!.mentionsMe).toBe(false);
    expect(((await call('kenya', 'POST', `/api/threads/${thread.id}/comments`, { body: 'write to someone@brazil.example' })).json() as ThreadView).comments[1]!.mentions).toEqual([]);
    expect((await listFor('brazil'))[0]!.mentionsMe).toBe(false);
    await call('kenya', 'POST', `/api/threads/${thread.id}/comments`, { body: 'someone@Brazil.org, and @Brazil, please' });
    expect((await listFor('brazil'))[0]!.mentionsMe).toBe(true);
  });

  it('limits how long a comment is and how fast one person comments, naming the rule', async () => {
    const long = await open('brazil', 'public', 'x'.repeat(4001));
    expect(long.statusCode).toBe(400);
    expect(long.json().message).toBe('a comment can be at most 4000 characters');
    const blank = await open('brazil', 'public', ' \n\t ');
    expect(blank.statusCode).toBe(400);
    expect(blank.json().message).toBe('a comment cannot be empty');
    expect((await open('brazil', 'public', 'y'.repeat(4000))).statusCode).toBe(201);
    const thread = (await listFor('brazil'))[0]!;
    for (let i = 1; i < 20; i++) expect((await call('brazil', 'POST', `/api/threads/${thread.id}/comments`, { body: `reply ${i}` })).statusCode).toBe(201);
    const tooFast = await call('brazil', 'POST', `/api/threads/${thread.id}/comments`, { body: 'one too many' });
    expect(tooFast.statusCode).toBe(429);
    expect(tooFast.json().message).toMatch(/^you are commenting too fast: at most 20 comments in 60 s; try again in \d+ s$/);
    // the limit is per person
    expect((await call('kenya', 'POST', `/api/threads/${thread.id}/comments`, { body: 'Kenya is not slowed down' })).statusCode).toBe(201);
  });

  it('re-attaches a thread whose words moved into a new provision when the provision was split, and only then', async () => {
    const thread = (await open('brazil', 'public', 'On this word', 'text')).json() as ThreadView;
    const reattach = (who: Who, words: string) => call(who, 'POST', `/api/threads/${thread.id}/anchor`, { anchor: anchorOn(brazil.doc, words) });
    const inPlace = await reattach('kenya', 'text');
    expect(inPlace.statusCode).toBe(409);
    expect(inPlace.json().message).toBe('the thread is still on its words');

    // Brazil splits provision a) before "text", as the editor writes a split: the words leave the
    // old paragraph and come back, as new characters, in a new provision
    const { text: first, index } = textOf(brazil.doc, 'plain text');
    const provision = first.parent!.parent as Y.XmlElement;
    const section = provision.parent as Y.XmlElement;
    brazil.doc.transact(() => {
      first.delete(index + 'plain '.length, 'text'.length);
      const split = new Y.XmlElement('provision');
      for (const [name, value] of Object.entries(provision.getAttributes())) split.setAttribute(name, value as string);
      split.setAttribute('id', 'p-a-split');
      const paragraph = new Y.XmlElement('paragraph');
      paragraph.insert(0, [new Y.XmlText('text')]);
      split.insert(0, [paragraph]);
      section.insert(section.toArray().indexOf(provision) + 1, [split]);
    });
    await until(() => {
      const stored = server.stores.log.replay(server.documentId);
      return anchoredText(stored, thread.anchor) === '';
    }, 'the split to be stored');
    expect(anchoredText(brazil.doc, thread.anchor)).toBe('');

    const otherWords = await reattach('kenya', 'plain');
    expect(otherWords.statusCode).toBe(409);
    expect(otherWords.json().message).toBe("the new anchor covers “plain”, not the thread's words “text”");
    expect((await reattach('observer', 'text')).statusCode).toBe(403);
    const moved = await reattach('kenya', 'text');
    expect(moved.statusCode).toBe(200);
    expect(moved.json()).toMatchObject({ quote: 'text', provisionId: 'p-a-split' });
    const now = (await listFor('brazil'))[0]!;
    expect(anchoredText(brazil.doc, now.anchor)).toBe('text');
    expect(now.comments.map((c) => c.speaksFor)).toEqual(['Brazil']); // re-attaching writes no comment
    expect((await reattach('brazil', 'text')).json().message).toBe('the thread is still on its words');
  });

  it('keeps anchors on their text through concurrent edits around and inside, and detaches them when the text goes', async () => {
    const kenya = connect(server, 'kenya');
    await synced(kenya);
    const thread = (await open('brazil', 'public', 'About these words', 'plain text')).json() as ThreadView;
    expect(anchoredText(kenya.doc, thread.anchor)).toBe('plain text');
    // concurrent edits before, inside and after the anchored words
    const a = textOf(brazil.doc, 'plain text');
    const b = textOf(kenya.doc, 'plain text');
    a.text.insert(0, 'Very ');
    b.text.insert(b.index + 'plain'.length, ' and simple');
    b.text.insert(b.index + 'plain text'.length + ' and simple'.length, ' indeed');
    const has = (doc: Y.Doc, words: string) => doc.getXmlFragment(TEXT_FRAGMENT).toString().includes(words);
    await until(() => has(brazil.doc, 'Very plain and simple text indeed') && has(kenya.doc, 'Very plain and simple text indeed'), 'the edits to cross');
    for (const doc of [brazil.doc, kenya.doc, server.stores.log.replay(server.documentId)]) expect(anchoredText(doc, thread.anchor)).toBe('plain and simple text');
    // the anchored text is deleted: the thread is detached, and keeps its quote
    const gone = textOf(kenya.doc, 'plain and simple text');
    gone.text.delete(gone.index, 'plain and simple text'.length);
    await until(() => !brazil.doc.getXmlFragment(TEXT_FRAGMENT).toString().includes('simple'), 'the deletion to arrive');
    expect(anchoredText(brazil.doc, thread.anchor)).toBe('');
    expect((await listFor('brazil'))[0]!.quote).toBe('plain text');
    // a new thread cannot be opened on the deleted words
    const late = await call('brazil', 'POST', `/api/documents/${server.documentId}/threads`, { visibility: 'public', anchor: thread.anchor, body: 'too late' });
    expect(late.statusCode).toBe(400);
    kenya.destroy();
  });

  it('documents every thread route in the OpenAPI description, with its request and response schemas', async () => {
    const spec = (await server.app.inject({ url: '/api/docs/json' })).json() as { paths: Record<string, Record<string, { requestBody?: unknown; responses: Record<string, unknown> }>> };
    const expected: [string, string][] = [
      ['/api/documents/{id}/threads', 'get'],
      ['/api/documents/{id}/threads', 'post'],
      ['/api/threads/{threadId}/comments', 'post'],
      ['/api/comments/{commentId}', 'patch'],
      ['/api/comments/{commentId}', 'delete'],
      ['/api/threads/{threadId}/resolve', 'post'],
      ['/api/threads/{threadId}/reopen', 'post'],
      ['/api/threads/{threadId}/anchor', 'post'],
      ['/api/documents/{id}/threads/events', 'get'],
    ];
    for (const [path, method] of expected) {
      const operation = spec.paths[path]?.[method];
      expect(operation, `${method} ${path}`).toBeDefined();
      expect(
        Object.keys(operation!.responses).some((code) => code.startsWith('2')),
        `${method} ${path}`,
      ).toBe(true);
      expect(operation!.responses['403'], `${method} ${path}`).toBeDefined();
    }
    for (const [path, method] of [
      ['/api/documents/{id}/threads', 'post'],
      ['/api/threads/{threadId}/comments', 'post'],
      ['/api/comments/{commentId}', 'patch'],
      ['/api/threads/{threadId}/anchor', 'post'],
    ] as const) {
      expect(spec.paths[path]![method]!.requestBody, `${method} ${path}`).toBeDefined();
    }
  });
});
