import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { startServer } from '../support/server.ts';
import type { TestServer } from '../support/server.ts';
import { connect, synced, until } from '../support/client.ts';
import type { TestClient } from '../support/client.ts';
import { seedNegotiation } from '../support/negotiation.ts';
import { TEXT_FRAGMENT } from '../../shared/protocol.ts';
import type { ThreadView } from '../../shared/api.ts';

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
        const plain = child.toDelta().map((op: { insert: string }) => op.insert).join('');
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
  const plain = (start.type as Y.XmlText).toDelta().map((op: { insert: string }) => op.insert).join('');
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

  const call = (who: Who | null, method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object) =>
    server.app.inject({ method, url, headers: who ? { authorization: `Bearer ${server.users[who]!.token}` } : {}, ...(payload ? { payload } : {}) });
  const open = (who: Who, visibility: 'public' | 'private', body: string, words = 'plain text') =>
    call(who, 'POST', `/api/documents/${server.documentId}/threads`, { visibility, anchor: anchorOn(brazil.doc, words), quote: words, provisionId: 'p-a', body });
  const listFor = async (who: Who) => (await call(who, 'GET', `/api/documents/${server.documentId}/threads`)).json().threads as ThreadView[];

  it("keeps a delegation's private thread from everyone else — other delegations, the chair, the secretariat, observers — by every route", async () => {
    const secret = await open('brazil', 'private', 'Our capital will not accept "plain"; hold the line.');
    expect(secret.statusCode).toBe(201);
    const id = (secret.json() as ThreadView).id;
    expect((await open('kenya', 'public', 'We propose to keep this wording.')).statusCode).toBe(201);

    expect((await listFor('brazil')).map((t) => t.visibility).sort()).toEqual(['private', 'public']);
    for (const who of ['kenya', 'chair', 'secretariat', 'observer'] as const) {
      const seen = await listFor(who);
      expect(seen.map((t) => t.visibility), who).toEqual(['public']);
      expect(JSON.stringify(seen)).not.toContain('hold the line');
      expect((await call(who, 'POST', `/api/threads/${id}/comments`, { body: 'let me in' })).statusCode, who).toBe(who === 'observer' ? 403 : 404);
      expect((await call(who, 'POST', `/api/threads/${id}/resolve`)).statusCode, who).toBe(404);
    }
    expect((await call('outsider', 'GET', `/api/documents/${server.documentId}/threads`)).statusCode).toBe(403);
    // nor through an export, nor in the shared Yjs document
    for (const mode of ['clean', 'negotiation', 'revisions']) {
      const exported = await call('kenya', 'GET', `/api/documents/${server.documentId}/export?format=txt&mode=${mode}`);
      expect(exported.body).not.toContain('hold the line');
    }
    expect(Buffer.from(Y.encodeStateAsUpdate(brazil.doc)).toString('latin1')).not.toContain('hold the line');
    // the group page counts what each may see
    const counts = async (who: Who) => ((await call(who, 'GET', '/api/groups/cwg-ai')).json().documents as { id: string; openThreads: number }[]).find((d) => d.id === server.documentId)!.openThreads;
    expect(await counts('brazil')).toBe(2);
    expect(await counts('kenya')).toBe(1);
  });

  it('streams changes live only to those who may see them', async () => {
    const listen = async (who: Who) => {
      const controller = new AbortController();
      const response = await fetch(`${server.url}/api/documents/${server.documentId}/threads/events`, { headers: { authorization: `Bearer ${server.users[who]!.token}` }, signal: controller.signal });
      expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
      const reader = response.body!.getReader();
      let received = '';
      void (async () => {
        try {
          for (;;) {
            const { value, done } = await reader.read();
            if (done) break;
            received += new TextDecoder().decode(value);
          }
        } catch {
          // aborted
        }
      })();
      return { text: () => received, stop: () => controller.abort() };
    };
    const brazilStream = await listen('brazil');
    const kenyaStream = await listen('kenya');
    const chairStream = await listen('chair');
    await open('brazil', 'private', 'private note: check with capital');
    await open('kenya', 'public', 'public remark for all @Brazil');
    await until(() => brazilStream.text().includes('public remark') && kenyaStream.text().includes('public remark') && chairStream.text().includes('public remark'), 'the public thread to reach everyone');
    expect(brazilStream.text()).toContain('private note');
    expect(kenyaStream.text()).not.toContain('private note');
    expect(chairStream.text()).not.toContain('private note');
    // Brazil sees it was mentioned; Kenya (who wrote it) is not "mentioned"
    const publicForBrazil = (await listFor('brazil')).find((t) => t.visibility === 'public')!;
    expect(publicForBrazil.mentionsMe).toBe(true);
    expect((await listFor('kenya')).find((t) => t.visibility === 'public')!.mentionsMe).toBe(false);
    for (const s of [brazilStream, kenyaStream, chairStream]) s.stop();
  });

  it("sets authorship from the session, lets only the author edit or delete, and only the thread's delegation or the chair resolve", async () => {
    const created = await call('kenya', 'POST', `/api/documents/${server.documentId}/threads`, {
      visibility: 'public', anchor: anchorOn(brazil.doc, 'plain text'), quote: 'plain text', body: 'We have a concern', author: 'Brazil', speaksFor: 'Brazil',
    });
    expect(created.statusCode).toBe(201); // unknown fields are not taken over
    const thread = created.json() as ThreadView;
    expect(thread.owner).toBe('Kenya');
    expect(thread.comments[0]).toMatchObject({ author: 'kenya person', speaksFor: 'Kenya', mine: true });
    const commentId = thread.comments[0]!.id;

    const reply = await call('brazil', 'POST', `/api/threads/${thread.id}/comments`, { body: 'Noted.\nWe will consult.' });
    expect((reply.json() as ThreadView).comments.map((c) => c.speaksFor)).toEqual(['Kenya', 'Brazil']);
    expect((await call('brazil', 'PATCH', `/api/comments/${commentId}`, { body: 'forged edit' })).json().message).toMatch(/only your own comments/);
    expect((await call('brazil', 'DELETE', `/api/comments/${commentId}`)).statusCode).toBe(403);
    expect(((await call('kenya', 'PATCH', `/api/comments/${commentId}`, { body: 'We have a serious concern' })).json() as ThreadView).comments[0]!.editedAt).not.toBeNull();

    const refused = await call('brazil', 'POST', `/api/threads/${thread.id}/resolve`);
    expect(refused.statusCode).toBe(403);
    expect(refused.json().message).toBe('only Kenya or the chair can resolve or reopen this thread');
    expect(((await call('chair', 'POST', `/api/threads/${thread.id}/resolve`)).json() as ThreadView).resolved).toBe(true);
    expect(((await call('kenya', 'POST', `/api/threads/${thread.id}/reopen`)).json() as ThreadView).resolved).toBe(false);
    expect((await call('observer', 'POST', `/api/documents/${server.documentId}/threads`, { visibility: 'public', anchor: anchorOn(brazil.doc, 'plain text'), quote: 'x', body: 'hi' })).json().message).toBe('observers can read public threads but cannot comment');
    const deleted = (await call('kenya', 'DELETE', `/api/comments/${commentId}`)).json() as ThreadView;
    expect(deleted.comments[0]).toMatchObject({ deleted: true, body: '' });
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
    for (const doc of [brazil.doc, kenya.doc]) expect(anchoredText(doc, thread.anchor)).toBe('plain and simple text');
    // the anchored text is deleted: the thread is detached, and keeps its quote
    const gone = textOf(kenya.doc, 'plain and simple text');
    gone.text.delete(gone.index, 'plain and simple text'.length);
    await until(() => !brazil.doc.getXmlFragment(TEXT_FRAGMENT).toString().includes('simple'), 'the deletion to arrive');
    expect(anchoredText(brazil.doc, thread.anchor)).toBe('');
    expect((await listFor('brazil'))[0]!.quote).toBe('plain text');
    kenya.destroy();
  });
});
