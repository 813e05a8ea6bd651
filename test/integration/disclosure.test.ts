import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { LightMyRequestResponse } from 'fastify';
import { startServer } from '../support/server.ts';
import type { TestServer } from '../support/server.ts';
import { storedDoc, upgradeStatus } from '../support/client.ts';
import { seedNegotiation } from '../support/negotiation.ts';
import { TEXT_FRAGMENT } from '../../shared/protocol.ts';
import type { ThreadView } from '../../shared/api.ts';

/**
 * What a refusal gives away. Whatever is out of someone's sight — a thread or comment private to
 * another delegation, a document or group of another working group — is answered exactly as an
 * id that never was: the same status and body, naming nothing but the id asked for. A member whose
 * role forbids an action is still told which rule (403).
 */
type Who = 'chair' | 'secretariat' | 'brazil' | 'kenya' | 'observer' | 'outsider';
type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';

const UNKNOWN_NUMBER = 987654;
const UNKNOWN_DOCUMENT = 'no-such-document';

let server: TestServer;
let anchor: { start: string; end: string };
/** Brazil's private thread and its first comment; Kenya's public thread and its comment. */
let secret: ThreadView;
let open: ThreadView;

const bearer = (who: Who) => ({ authorization: `Bearer ${server.users[who]!.token}` });
const call = (who: Who, method: Method, url: string, payload?: object) => server.app.inject({ method, url, headers: bearer(who), ...(payload ? { payload } : {}) });

/** An anchor on the first occurrence of `words` in the stored text, as the editor makes one. */
function anchorOn(words: string) {
  const doc = storedDoc(server);
  const find = (type: Y.XmlElement | Y.XmlFragment): Y.XmlText | null => {
    for (const child of type.toArray()) {
      if (child instanceof Y.XmlText && child.toString().includes(words)) return child;
      if (child instanceof Y.XmlElement) {
        const found = find(child);
        if (found) return found;
      }
    }
    return null;
  };
  const text = find(doc.getXmlFragment(TEXT_FRAGMENT))!;
  const index = text
    .toDelta()
    .map((op: { insert: string }) => op.insert)
    .join('')
    .indexOf(words);
  const encode = (position: Y.RelativePosition) => Buffer.from(Y.encodeRelativePosition(position)).toString('base64');
  return {
    start: encode(Y.createRelativePositionFromTypeIndex(text, index)),
    end: encode(Y.createRelativePositionFromTypeIndex(text, index + words.length, -1)),
  };
}

/** The two answers are the same but for the id each was asked about. */
function expectSameAnswer(hidden: LightMyRequestResponse, hiddenId: string | number, unknown: LightMyRequestResponse, unknownId: string | number, what: string) {
  expect(hidden.statusCode, what).toBe(404);
  expect(hidden.statusCode, what).toBe(unknown.statusCode);
  expect(hidden.headers['content-type'], what).toBe(unknown.headers['content-type']);
  expect(hidden.body, what).toBe(unknown.body.replaceAll(String(unknownId), String(hiddenId)));
}

beforeAll(async () => {
  server = await startServer();
  seedNegotiation(server);
  anchor = anchorOn('plain text');
  const opened = await call('brazil', 'POST', `/api/documents/${server.documentId}/threads`, { visibility: 'private', anchor, body: 'Our capital will not accept this.' });
  expect(opened.statusCode).toBe(201);
  secret = opened.json();
  const public_ = await call('kenya', 'POST', `/api/documents/${server.documentId}/threads`, { visibility: 'public', anchor, body: 'We propose to keep this wording.' });
  expect(public_.statusCode).toBe(201);
  open = public_.json();
});
afterAll(async () => {
  await server.close();
});

describe('threads and comments out of sight', () => {
  const threadRoutes: [Method, (id: number) => string, object?][] = [
    ['POST', (id) => `/api/threads/${id}/comments`, { body: 'let me in' }],
    ['POST', (id) => `/api/threads/${id}/resolve`],
    ['POST', (id) => `/api/threads/${id}/reopen`],
    ['POST', (id) => `/api/threads/${id}/anchor`, { anchor: { start: 'AAAA', end: 'AAAA' } }],
  ];
  const commentRoutes: [Method, (id: number) => string, object?][] = [
    ['PATCH', (id) => `/api/comments/${id}`, { body: 'edited' }],
    ['DELETE', (id) => `/api/comments/${id}`],
  ];

  it('answers a private thread or comment of another delegation exactly as one that does not exist, by every route and whoever asks', async () => {
    const before = JSON.stringify((await call('brazil', 'GET', `/api/documents/${server.documentId}/threads`)).json());
    // Brazil's private thread is out of sight of everyone but Brazil; Kenya's public one of the other group only
    const cases: [Who, ThreadView][] = [...(['kenya', 'chair', 'secretariat', 'observer', 'outsider'] as const).map((who): [Who, ThreadView] => [who, secret]), ['outsider', open]];
    for (const [who, thread] of cases) {
      for (const [method, url, payload] of threadRoutes) {
        const what = `${who} ${method} ${url(thread.id)}`;
        expectSameAnswer(await call(who, method, url(thread.id), payload), thread.id, await call(who, method, url(UNKNOWN_NUMBER), payload), UNKNOWN_NUMBER, what);
      }
      const commentId = thread.comments[0]!.id;
      for (const [method, url, payload] of commentRoutes) {
        const what = `${who} ${method} ${url(commentId)}`;
        expectSameAnswer(await call(who, method, url(commentId), payload), commentId, await call(who, method, url(UNKNOWN_NUMBER), payload), UNKNOWN_NUMBER, what);
      }
    }
    // and none of it changed anything
    expect(JSON.stringify((await call('brazil', 'GET', `/api/documents/${server.documentId}/threads`)).json())).toBe(before);
  });
});

describe("another working group's documents and groups", () => {
  const documentRoutes: [Method, (id: string) => string, object?][] = [
    ['GET', (id) => `/api/documents/${id}`],
    ['PATCH', (id) => `/api/documents/${id}`, { title: 'Renamed' }],
    ['GET', (id) => `/api/documents/${id}/export?format=txt&mode=negotiation`],
    ['GET', (id) => `/api/documents/${id}/export?format=docx&mode=negotiation&version=1`],
    ['GET', (id) => `/api/documents/${id}/versions`],
    ['POST', (id) => `/api/documents/${id}/versions`, { name: 'Rev.1' }],
    ['POST', (id) => `/api/documents/${id}/versions/1/restore`],
    ['GET', (id) => `/api/documents/${id}/compare?from=1&to=current`],
    ['GET', (id) => `/api/documents/${id}/decisions`],
    ['POST', (id) => `/api/documents/${id}/decisions`, { action: 'accept', bracketIds: ['b-br'] }],
    ['POST', (id) => `/api/documents/${id}/decisions/1/undo`],
    ['GET', (id) => `/api/documents/${id}/threads`],
    ['POST', (id) => `/api/documents/${id}/threads`, { visibility: 'public', anchor: { start: 'AAAA', end: 'AAAA' }, body: 'hello' }],
    ['GET', (id) => `/api/documents/${id}/threads/events`],
  ];
  const groupRoutes: [Method, (slug: string) => string, object?][] = [
    ['GET', (slug) => `/api/groups/${slug}`],
    ['POST', (slug) => `/api/groups/${slug}/documents`, { symbol: 'X/1', title: 'New', type: 'resolution' }],
    ['POST', (slug) => `/api/groups/${slug}/documents/import`, { symbol: 'X/2', text: 'Title\nrecalling\na)\tx' }],
  ];

  it('answers a document of another group exactly as an unknown id, by every route, naming nothing of it', async () => {
    // a member of the other group asking for CWG-AI/3, and the chair of cwg-ai asking for OWG/1
    const cases: [Who, string, string][] = [
      ['outsider', server.documentId, 'CWG-AI/3'],
      ['chair', server.otherGroupDocumentId, 'OWG/1'],
    ];
    for (const [who, id, symbol] of cases) {
      for (const [method, url, payload] of documentRoutes) {
        const what = `${who} ${method} ${url(id)}`;
        const hidden = await call(who, method, url(id), payload);
        expectSameAnswer(hidden, id, await call(who, method, url(UNKNOWN_DOCUMENT), payload), UNKNOWN_DOCUMENT, what);
        expect(hidden.body, what).not.toContain(symbol);
        expect(hidden.body, what).not.toMatch(/member|group/i);
      }
    }
    expect(server.stores.documents.get(server.documentId)!.title).toBe('Draft resolution');
  });

  it("refuses the collaboration socket of another group's document as for an unknown one", async () => {
    const token = server.users.outsider!.token;
    expect(await upgradeStatus(`${server.wsUrl}/${server.documentId}?token=${token}`)).toBe(404);
    expect(await upgradeStatus(`${server.wsUrl}/${UNKNOWN_DOCUMENT}?token=${token}`)).toBe(404);
  });

  it("answers another group's page, document creation and import exactly as an unknown group's", async () => {
    const documents = () => (server.stores.db.prepare('SELECT count(*) AS n FROM documents').get() as { n: number }).n;
    const before = documents();
    for (const [method, url, payload] of groupRoutes) {
      const what = `outsider ${method} ${url('cwg-ai')}`;
      expectSameAnswer(await call('outsider', method, url('cwg-ai'), payload), 'cwg-ai', await call('outsider', method, url('no-such-group'), payload), 'no-such-group', what);
    }
    expect(documents()).toBe(before);
  });
});

describe('members whose role forbids the action', () => {
  it('are told which rule refuses them (403), where an outsider is told nothing', async () => {
    const refusals: [Who, Method, string, object | undefined, RegExp][] = [
      ['brazil', 'PATCH', `/api/documents/${server.documentId}`, { title: 'Renamed' }, /only the chair and the secretariat change document metadata/],
      ['observer', 'POST', `/api/documents/${server.documentId}/versions`, { name: 'Rev.1' }, /only the chair and the secretariat take versions/],
      ['secretariat', 'POST', `/api/documents/${server.documentId}/decisions`, { action: 'accept', bracketIds: ['b-br'] }, /only the chair accepts/],
      ['kenya', 'POST', '/api/groups/cwg-ai/documents/import', { symbol: 'CWG-AI/77', text: 'Title\nrecalling\na)\tx' }, /only the chair and the secretariat import/],
      ['kenya', 'POST', '/api/groups/cwg-ai/documents', { symbol: 'CWG-AI/78', title: 'New', type: 'resolution' }, /only the chair and the secretariat create/],
      ['observer', 'POST', `/api/documents/${server.documentId}/threads`, { visibility: 'public', anchor, body: 'may I?' }, /observer/i],
      ['brazil', 'PATCH', `/api/comments/${open.comments[0]!.id}`, { body: 'edited' }, /only your own comments/],
      ['brazil', 'DELETE', `/api/comments/${open.comments[0]!.id}`, undefined, /only your own comments/],
    ];
    for (const [who, method, url, payload, rule] of refusals) {
      const answer = await call(who, method, url, payload);
      expect(answer.statusCode, `${who} ${method} ${url}`).toBe(403);
      expect(answer.json().message, `${who} ${method} ${url}`).toMatch(rule);
    }
  });
});
