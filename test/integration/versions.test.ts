import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { startServer } from '../support/server.ts';
import type { TestServer } from '../support/server.ts';
import { connect, synced, until } from '../support/client.ts';
import type { TestClient } from '../support/client.ts';
import { editShared, stateAt, typeText, run } from '../support/editing.ts';
import { seedNegotiation } from '../support/negotiation.ts';
import { schema } from '../../shared/schema/index.ts';
import { TEXT_FRAGMENT } from '../../shared/protocol.ts';
import { strictDocument } from '../../shared/yjs/strict-document.ts';
import { splitProvision } from '../../shared/editing/provisions.ts';
import type { Comparison, VersionSummary } from '../../shared/api.ts';

/** Rev. versions: take, compare, export and restore — with a client offline during the restore. */
const docOf = (doc: Y.Doc) => strictDocument(doc.getXmlFragment(TEXT_FRAGMENT), schema);

describe('versions', () => {
  let server: TestServer;
  let kenya: TestClient;

  beforeEach(async () => {
    server = await startServer();
    seedNegotiation(server);
    kenya = connect(server, 'kenya');
    await synced(kenya);
  });
  afterEach(async () => {
    kenya.destroy();
    await server.close();
  });

  const call = (who: string, method: 'GET' | 'POST', url: string, payload?: object) =>
    server.app.inject({ method, url: `/api/documents/${server.documentId}${url}`, headers: { authorization: `Bearer ${server.users[who]!.token}` }, ...(payload ? { payload } : {}) });
  const take = async (name: string) => {
    const response = await call('secretariat', 'POST', '/versions', { name });
    expect(response.statusCode).toBe(201);
    return response.json() as VersionSummary;
  };
  const settled = async () => {
    await new Promise((r) => setTimeout(r, 100));
    await until(
      () =>
        docOf(kenya.doc).eq(
          docOf(
            (() => {
              const d = new Y.Doc();
              Y.applyUpdate(d, server.app.hub.state(server.documentId));
              return d;
            })(),
          ),
        ),
      'the server to have the edits',
    );
  };

  it('takes Rev.1 and Rev.2 around edits, compares exactly those edits, exports a version; only officers take versions', async () => {
    const rev1 = await take('Rev.1');
    editShared(kenya.doc, (d) => typeText(stateAt(d, 'plain text'), ' of the resolution'));
    editShared(kenya.doc, (d) => typeText(run(stateAt(d, 'trusted AI'), splitProvision), 'a new provision by Kenya'));
    await settled();
    const rev2 = await take('Rev.2');
    const comparison = (await call('observer', 'GET', `/compare?from=${rev1.id}&to=${rev2.id}`)).json() as Comparison;
    expect(comparison.from).toBe('Rev.1');
    expect(comparison.entries.map((e) => [e.where, e.kind])).toEqual([
      ['a) of recalling', 'changed'],
      ['c) of recalling', 'added'],
    ]);
    expect(comparison.entries[0]!.parts.filter((p) => p.kind !== 'same').map((p) => [p.kind, p.text.trim()])).toEqual([['inserted', 'of the resolution']]);
    expect((await call('observer', 'GET', `/compare?from=${rev2.id}&to=current`)).json().entries).toEqual([]);

    const list = (await call('kenya', 'GET', '/versions')).json().versions as VersionSummary[];
    expect(list.map((v) => [v.name, v.kind, v.by])).toEqual([
      ['Rev.2', 'named', 'secretariat person'],
      ['Rev.1', 'named', 'secretariat person'],
    ]);
    const exported = await call('kenya', 'GET', `/export?format=txt&mode=negotiation&version=${rev1.id}`);
    expect(exported.body).toContain('a)\tplain text\n');
    expect(exported.body).not.toContain('a new provision by Kenya');
    const refused = await call('kenya', 'POST', '/versions', { name: 'mine' });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().message).toMatch(/only the chair and the secretariat take versions; you are delegate/);
  });

  it('restores Rev.1: the restored text stays even for a client that was offline and edited the replaced text', async () => {
    const rev1 = await take('Rev.1');
    editShared(kenya.doc, (d) => typeText(run(stateAt(d, 'trusted AI'), splitProvision), 'a provision added after Rev.1'));
    await settled();
    // Brazil goes offline holding the text after Rev.1, and keeps typing in the new provision
    const brazil = connect(server, 'brazil');
    await synced(brazil);
    brazil.provider.disconnect();
    editShared(brazil.doc, (d) => typeText(stateAt(d, 'a provision added after Rev.1'), ' (Brazil, offline)'));

    const restored = await call('chair', 'POST', `/versions/${rev1.id}/restore`);
    expect(restored.statusCode).toBe(200);
    const expected = schema.nodeFromJSON((await import('../support/negotiation.ts')).negotiationDoc().toJSON());
    await until(() => docOf(kenya.doc).eq(expected), 'Kenya to see Rev.1 again');

    brazil.provider.connect();
    await synced(brazil);
    await new Promise((r) => setTimeout(r, 300));
    for (const doc of [brazil.doc, kenya.doc]) expect(docOf(doc).eq(expected)).toBe(true);
    // the text it replaced was kept as a version
    const list = (await call('chair', 'GET', '/versions')).json().versions as VersionSummary[];
    expect(list[0]!.name).toBe('Before restoring “Rev.1”');
    brazil.destroy();
  });
});
