import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { prosemirrorToYXmlFragment, yXmlFragmentToProseMirrorRootNode } from 'y-prosemirror';
import { openDatabase } from '../../server/storage/database.ts';
import { migrate } from '../../server/storage/migrations.ts';
import { openStores } from '../../server/services.ts';
import { migrateStoredDocuments } from '../../server/storage/document-migrations/index.ts';
import { schemaV1 } from '../../server/storage/document-migrations/v1-schema.ts';
import { schema } from '../../shared/schema/index.ts';
import { TEXT_FRAGMENT } from '../../shared/protocol.ts';
import { renderPlainText } from '../../shared/render/plain-text.ts';
import { strictDocument } from '../../shared/yjs/strict-document.ts';
import { hasPending } from '../../server/collab/placeable.ts';
import { element, resolution, shared, withPending } from '../support/broken-text.ts';

const v1 = schemaV1.nodes;
const p = (text: string, italic = false) => v1.paragraph!.create(null, schemaV1.text(text, italic ? [schemaV1.marks.em!.create()] : []));

function openTestStores() {
  const db = openDatabase(join(mkdtempSync(join(tmpdir(), 'concord-docmig-')), 'm.db'));
  migrate(db);
  return openStores(db, { sessionTtlMs: 1000 });
}

describe('migration of stored documents from schema version 1', () => {
  it('turns loose paragraphs with typed labels into sections and computed provisions, keeping the text', () => {
    const stores = openTestStores();
    const group = stores.accounts.addGroup('wg', 'Working group');
    const record = stores.documents.create({ groupId: group.id, symbol: 'WG/1', title: 'Draft', type: 'resolution', createdBy: null });
    stores.documents.setSchemaVersion(record.id, 1);
    const old = v1.doc!.create(null, [
      v1.heading!.create({ level: 1 }, schemaV1.text('Draft New Resolution [WGPL-XX]')),
      p('recalling', true),
      p('a) Resolution 70/1 of the UNGA;'),
      p('b) Resolution 140 (Rev. Dubai, 2018),'),
      p('resolves', true),
      p('1 to continue the work on AI;'),
      p('2 to report to Council.'),
    ]);
    const ydoc = new Y.Doc();
    prosemirrorToYXmlFragment(old, ydoc.getXmlFragment(TEXT_FRAGMENT));
    stores.log.append([{ documentId: record.id, update: Y.encodeStateAsUpdate(ydoc) }]);
    const edit = new Y.Doc();
    Y.applyUpdate(edit, Y.encodeStateAsUpdate(ydoc));

    expect(migrateStoredDocuments(stores)).toEqual(['WG/1']);
    expect(stores.documents.get(record.id)!.schemaVersion).toBe(3); // 1 → 2 → 3
    const stored = stores.log.load(record.id);
    expect(stored.updates).toHaveLength(0);
    const migrated = new Y.Doc();
    Y.applyUpdate(migrated, stored.snapshot!);
    const doc = yXmlFragmentToProseMirrorRootNode(migrated.getXmlFragment(TEXT_FRAGMENT), schema);
    doc.check();
    expect(doc.child(1).type.name).toBe('section');
    expect(doc.child(2).attrs).toMatchObject({ part: 'operative', numbering: 'numbers' });
    expect(renderPlainText(doc)).toBe(
      [
        'Draft New Resolution [WGPL-XX]',
        'recalling',
        'a)\tResolution 70/1 of the UNGA;',
        'b)\tResolution 140 (Rev. Dubai, 2018),',
        'resolves',
        '1\tto continue the work on AI;',
        '2\tto report to Council.',
        '',
      ].join('\n'),
    );

    // A client that was offline with the old state merges into the migrated document without resurrecting the old blocks.
    Y.applyUpdate(edit, stored.snapshot!);
    expect(yXmlFragmentToProseMirrorRootNode(edit.getXmlFragment(TEXT_FRAGMENT), schema).eq(doc)).toBe(true);
    expect(migrateStoredDocuments(stores)).toEqual([]);
  });
});

describe('migration of stored documents from schema version 2', () => {
  it('repairs a text stored in a broken shape, says what it changed, and leaves valid texts as they are', () => {
    const stores = openTestStores();
    const group = stores.accounts.addGroup('wg', 'Working group');
    const create = (symbol: string) => {
      const record = stores.documents.create({ groupId: group.id, symbol, title: 'Draft', type: 'resolution', createdBy: null });
      stores.documents.setSchemaVersion(record.id, 2);
      return record;
    };
    const broken = create('WG/2');
    const { state } = withPending();
    stores.log.compact(broken.id, state, 0, 2);
    const editor = new Y.Doc();
    Y.applyUpdate(editor, state);
    const before = Y.encodeStateVector(editor);
    const fragment = editor.getXmlFragment(TEXT_FRAGMENT);
    editor.transact(() => {
      element(fragment, 1, 2).setAttribute('id', 'p-1');
      element(fragment, 2, 1).setAttribute('id', 'p-1');
      fragment.insert(1, [new Y.XmlText('stray')]);
    });
    stores.log.append([{ documentId: broken.id, update: Y.encodeStateAsUpdate(editor, before) }]);
    const valid = create('WG/3');
    const validState = Y.encodeStateAsUpdate(shared().ydoc);
    stores.log.append([{ documentId: valid.id, update: validState }]);
    const empty = create('WG/4');

    const report = migrateStoredDocuments(stores);
    expect(report).toHaveLength(3);
    expect(report[0]).toMatch(/^WG\/2 \(\d+ changes? Yjs could not place discarded; 1 top-level text removed; 2 duplicate provision ids replaced\)$/);
    expect(report.slice(1)).toEqual(['WG/3', 'WG/4']);
    for (const record of [broken, valid, empty]) expect(stores.documents.get(record.id)!.schemaVersion).toBe(3);

    const stored = stores.log.load(broken.id);
    expect(stored.updates).toHaveLength(0);
    const repaired = new Y.Doc();
    Y.applyUpdate(repaired, stored.snapshot!);
    expect(hasPending(repaired)).toBe(false); // the snapshot no longer carries it
    const doc = strictDocument(repaired.getXmlFragment(TEXT_FRAGMENT), schema);
    expect(renderPlainText(doc)).toBe(renderPlainText(resolution()));
    expect(doc.child(1).child(1).attrs.id).toBe('p-1');

    // a valid text is compacted as it is: the same content, not rewritten
    const kept = new Y.Doc();
    Y.applyUpdate(kept, stores.log.load(valid.id).snapshot!);
    expect(Y.encodeStateVector(kept)).toEqual(Y.encodeStateVectorFromUpdate(validState));
    expect(migrateStoredDocuments(stores)).toEqual([]);
  });
});
