import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../server/storage/database.ts';
import { migrate } from '../../server/storage/migrations.ts';
import { DocumentLog } from '../../server/storage/document-log.ts';
import { Accounts } from '../../server/storage/accounts.ts';
import { Documents } from '../../server/storage/documents.ts';

function setup() {
  const db = openDatabase(join(mkdtempSync(join(tmpdir(), 'concord-log-')), 'log.db'));
  migrate(db);
  const group = new Accounts(db).addGroup('wg', 'Working group');
  const documentId = new Documents(db).create({ groupId: group.id, symbol: 'WG/1', title: 'T', type: 'resolution', createdBy: null }).id;
  return { db, log: new DocumentLog(db), documentId };
}

function replay(log: DocumentLog, documentId: string): Y.Doc {
  const stored = log.load(documentId);
  const doc = new Y.Doc();
  if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot);
  for (const update of stored.updates) Y.applyUpdate(doc, update);
  return doc;
}

describe('document log', () => {
  it('replays appended updates in order', () => {
    const { log, documentId } = setup();
    const source = new Y.Doc();
    source.on('update', (update: Uint8Array) => log.append([{ documentId, update }]));
    source.getText('t').insert(0, 'considering');
    source.getText('t').insert(0, 'further ');
    source.getText('t').delete(0, 8);
    expect(replay(log, documentId).getText('t').toString()).toBe('considering');
    expect(log.pending(documentId).count).toBe(3);
  });

  it('compacts into a snapshot that yields the same document, in one transaction', () => {
    const { log, documentId } = setup();
    const source = new Y.Doc();
    source.on('update', (update: Uint8Array) => log.append([{ documentId, update }]));
    const fragment = source.getXmlFragment('prosemirror');
    for (let i = 0; i < 50; i++) {
      const p = new Y.XmlElement('paragraph');
      p.insert(0, [new Y.XmlText(`provision ${i}`)]);
      fragment.insert(i === 0 ? 0 : Math.floor(i / 2), [p]);
    }
    source.getXmlFragment('prosemirror').delete(3, 5);
    const before = replay(log, documentId);
    const lastId = log.load(documentId).lastUpdateId;
    log.compact(documentId, Y.encodeStateAsUpdate(before), lastId, 1);
    const stored = log.load(documentId);
    expect(stored.updates).toHaveLength(0);
    expect(stored.snapshot).not.toBeNull();
    expect(stored.lastUpdateId).toBe(lastId);
    const after = replay(log, documentId);
    expect(after.getXmlFragment('prosemirror').toString()).toBe(source.getXmlFragment('prosemirror').toString());
    expect(Y.encodeStateVector(after)).toEqual(Y.encodeStateVector(source));
  });

  it('keeps updates that arrived after the compacted point', () => {
    const { log, documentId } = setup();
    const source = new Y.Doc();
    source.on('update', (update: Uint8Array) => log.append([{ documentId, update }]));
    source.getText('t').insert(0, 'recalling');
    const lastId = log.load(documentId).lastUpdateId;
    const state = Y.encodeStateAsUpdate(source);
    source.getText('t').insert(9, ' Resolution 214');
    log.compact(documentId, state, lastId, 1);
    expect(log.load(documentId).updates).toHaveLength(1);
    expect(replay(log, documentId).getText('t').toString()).toBe('recalling Resolution 214');
  });

  it('appends a batch of several documents atomically', () => {
    const { db, log, documentId } = setup();
    const doc = new Y.Doc();
    doc.getText('t').insert(0, 'x');
    const update = Y.encodeStateAsUpdate(doc);
    expect(() =>
      log.append([
        { documentId, update },
        { documentId: 'missing-document', update },
      ]),
    ).toThrow(/FOREIGN KEY/);
    expect(db.prepare('SELECT count(*) AS n FROM document_updates').get()).toEqual({ n: 0 });
  });
});
