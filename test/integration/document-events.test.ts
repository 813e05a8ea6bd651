import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { startServer } from '../support/server.ts';
import type { TestServer } from '../support/server.ts';
import { connect, synced, until } from '../support/client.ts';
import type { TestClient } from '../support/client.ts';
import { seedNegotiation } from '../support/negotiation.ts';
import { TEXT_FRAGMENT } from '../../shared/protocol.ts';
import type { DecisionEntry, ThreadView, VersionSummary } from '../../shared/api.ts';
import { listen } from '../support/event-stream.ts';
import type { EventStream as Stream } from '../support/event-stream.ts';

/**
 * The document's live stream: the chair's decisions and the versions reach
 * every member following the document, not only the chair who decided; threads travel on the same
 * stream, private ones only to their own delegation; nobody outside the group opens it.
 */
describe('the document’s live stream', () => {
  let server: TestServer;
  let brazil: TestClient;
  const streams: Stream[] = [];
  const call = (who: string, method: 'GET' | 'POST', url: string, payload?: object) =>
    server.app.inject({ method, url, headers: { authorization: `Bearer ${server.users[who]!.token}` }, ...(payload ? { payload } : {}) });
  const follow = async (who: string, path = 'events') => {
    const stream = await listen(`${server.url}/api/documents/${server.documentId}/${path}`, { authorization: `Bearer ${server.users[who]!.token}` });
    streams.push(stream);
    return stream;
  };

  beforeEach(async () => {
    server = await startServer();
    seedNegotiation(server);
    brazil = connect(server, 'brazil');
    await synced(brazil);
  });
  afterEach(async () => {
    for (const stream of streams.splice(0)) stream.stop();
    brazil.destroy();
    await server.close();
  });

  it("brings the chair's decision and a new version to a delegate, an observer and the old threads URL alike", async () => {
    const kenya = await follow('kenya');
    const observer = await follow('observer');
    const older = await follow('secretariat', 'threads/events');
    const decided = await call('chair', 'POST', `/api/documents/${server.documentId}/decisions`, { action: 'accept', bracketIds: ['b-br'] });
    expect(decided.statusCode).toBe(201);
    const entry = decided.json() as DecisionEntry;
    for (const stream of [kenya, observer, older]) {
      await until(() => stream.of('decision').length === 1, 'the decision to be streamed');
      expect(stream.of<DecisionEntry>('decision')[0]).toEqual(entry);
    }
    expect(entry.summary).toBe("accepted Brazil's bracket “promote safe and” in b) of recalling");

    const undone = await call('chair', 'POST', `/api/documents/${server.documentId}/decisions/${entry.id}/undo`);
    expect(undone.statusCode).toBe(201);
    await until(() => kenya.of('decision').length === 2, 'the undo to be streamed');
    expect(kenya.of<DecisionEntry>('decision')[1]).toMatchObject({ action: 'undo', undoes: entry.id });

    const version = (await call('secretariat', 'POST', `/api/documents/${server.documentId}/versions`, { name: 'Rev.1' })).json() as VersionSummary;
    await until(() => kenya.of('version').length === 1 && observer.of('version').length === 1, 'the version to be streamed');
    expect(kenya.of<VersionSummary>('version')[0]).toEqual(version);
  });

  it('keeps private threads on the stream of their own delegation only', async () => {
    const kenya = await follow('kenya');
    const chair = await follow('chair');
    const own = await follow('brazil');
    const text = brazil.doc.getXmlFragment(TEXT_FRAGMENT);
    // an anchor on the first characters of the text
    const first = (function find(node: Y.XmlElement | Y.XmlFragment): Y.XmlText {
      for (const child of node.toArray()) {
        if (child instanceof Y.XmlText && child.length > 0) return child;
        if (child instanceof Y.XmlElement) {
          const found = find(child);
          if (found) return found;
        }
      }
      return null as unknown as Y.XmlText;
    })(text);
    const encode = (position: Y.RelativePosition) => Buffer.from(Y.encodeRelativePosition(position)).toString('base64');
    const anchor = { start: encode(Y.createRelativePositionFromTypeIndex(first, 0)), end: encode(Y.createRelativePositionFromTypeIndex(first, 3, -1)) };
    const secret = await call('brazil', 'POST', `/api/documents/${server.documentId}/threads`, { visibility: 'private', anchor, body: 'Our private line: hold firm.' });
    expect(secret.statusCode).toBe(201);
    const open = await call('brazil', 'POST', `/api/documents/${server.documentId}/threads`, { visibility: 'public', anchor, body: 'A public remark.' });
    expect(open.statusCode).toBe(201);
    await until(() => own.of('thread').length === 2 && kenya.of('thread').length === 1 && chair.of('thread').length === 1, 'the threads to be streamed');
    expect(own.of<ThreadView>('thread').map((t) => t.visibility)).toEqual(['private', 'public']);
    for (const other of [kenya, chair]) {
      expect(other.of<ThreadView>('thread').map((t) => t.visibility)).toEqual(['public']);
      expect(JSON.stringify(other.events)).not.toContain('hold firm');
    }
  });

  it('is closed to anyone outside the working group, and to the anonymous', async () => {
    for (const path of ['events', 'threads/events']) {
      const outsider = await fetch(`${server.url}/api/documents/${server.documentId}/${path}`, { headers: { authorization: `Bearer ${server.users.outsider!.token}` } });
      expect(outsider.status).toBe(404);
      expect((await outsider.json()).message).toBe(`no document ${server.documentId}`);
      expect((await fetch(`${server.url}/api/documents/${server.documentId}/${path}`)).status).toBe(401);
    }
  });
});
