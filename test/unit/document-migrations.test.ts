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

const v1 = schemaV1.nodes;
const p = (text: string, italic = false) => v1.paragraph!.create(null, schemaV1.text(text, italic ? [schemaV1.marks.em!.create()] : []));

describe('migration of stored documents from schema version 1', () => {
  it('turns loose paragraphs with typed labels into sections and computed provisions, keeping the text', () => {
    const db = openDatabase(join(mkdtempSync(join(tmpdir(), 'concord-docmig-')), 'm.db'));
    migrate(db);
    const stores = openStores(db, { sessionTtlMs: 1000 });
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
    expect(stores.documents.get(record.id)!.schemaVersion).toBe(2);
    const stored = stores.log.load(record.id);
    expect(stored.updates).toHaveLength(0);
    const migrated = new Y.Doc();
    Y.applyUpdate(migrated, stored.snapshot!);
    const doc = yXmlFragmentToProseMirrorRootNode(migrated.getXmlFragment(TEXT_FRAGMENT), schema);
    doc.check();
    expect(doc.child(1).type.name).toBe('section');
    expect(doc.child(2).attrs).toMatchObject({ part: 'operative', numbering: 'numbers' });
    expect(renderPlainText(doc)).toBe([
      'Draft New Resolution [WGPL-XX]',
      'recalling',
      'a)\tResolution 70/1 of the UNGA;',
      'b)\tResolution 140 (Rev. Dubai, 2018),',
      'resolves',
      '1\tto continue the work on AI;',
      '2\tto report to Council.',
      '',
    ].join('\n'));

    // A client that was offline with the old state merges into the migrated document without resurrecting the old blocks.
    Y.applyUpdate(edit, stored.snapshot!);
    expect(yXmlFragmentToProseMirrorRootNode(edit.getXmlFragment(TEXT_FRAGMENT), schema).eq(doc)).toBe(true);
    expect(migrateStoredDocuments(stores)).toEqual([]);
  });
});
