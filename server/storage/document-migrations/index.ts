import * as Y from 'yjs';
import { prosemirrorToYXmlFragment, yXmlFragmentToProseMirrorRootNode } from 'y-prosemirror';
import { TEXT_FRAGMENT } from '../../../shared/protocol.ts';
import type { Stores } from '../../services.ts';
import { DOCUMENT_SCHEMA_VERSION } from '../documents.ts';
import { schemaV1 } from './v1-schema.ts';
import { migrateV1ToV2 } from './v1-to-v2.ts';

/**
 * Brings every stored document to the current schema version at start-up, before any client
 * connects: the text is read under its old schema, converted, written back into the same Y.Doc
 * (so its history continues) and compacted, all in one transaction per document.
 */
export function migrateStoredDocuments(stores: Stores): string[] {
  const migrated: string[] = [];
  for (const record of stores.documents.outdated()) {
    if (record.schemaVersion !== 1 || DOCUMENT_SCHEMA_VERSION !== 2) {
      throw new Error(`no migration of stored documents from schema version ${record.schemaVersion} to ${DOCUMENT_SCHEMA_VERSION}`);
    }
    const stored = stores.log.load(record.id);
    const ydoc = stores.log.replay(record.id);
    const fragment = ydoc.getXmlFragment(TEXT_FRAGMENT);
    const next = migrateV1ToV2(yXmlFragmentToProseMirrorRootNode(fragment, schemaV1), record.type);
    ydoc.transact(() => {
      fragment.delete(0, fragment.length);
      prosemirrorToYXmlFragment(next, fragment);
    });
    stores.db.transaction(() => {
      stores.log.compact(record.id, Y.encodeStateAsUpdate(ydoc), stored.lastUpdateId, DOCUMENT_SCHEMA_VERSION);
      stores.documents.setSchemaVersion(record.id, DOCUMENT_SCHEMA_VERSION);
    })();
    ydoc.destroy();
    migrated.push(record.symbol);
  }
  return migrated;
}
