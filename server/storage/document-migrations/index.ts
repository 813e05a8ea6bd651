import * as Y from 'yjs';
import { prosemirrorToYXmlFragment, yXmlFragmentToProseMirrorRootNode } from 'y-prosemirror';
import { TEXT_FRAGMENT } from '../../../shared/protocol.ts';
import type { Stores } from '../../services.ts';
import { docOf } from '../document-log.ts';
import { DOCUMENT_SCHEMA_VERSION } from '../documents.ts';
import type { DocumentRecord } from '../documents.ts';
import { schemaV1 } from './v1-schema.ts';
import { migrateV1ToV2 } from './v1-to-v2.ts';
import { migrateV2ToV3 } from './v2-to-v3.ts';

/**
 * One migration step, by the version it starts from: brings the text in `ydoc` one version on,
 * changing the Y.Doc itself, and returns what it had to change beyond that conversion, in words.
 */
type Step = (ydoc: Y.Doc, record: DocumentRecord) => string[];

const STEPS: Record<number, Step> = {
  1: (ydoc, record) => {
    const fragment = ydoc.getXmlFragment(TEXT_FRAGMENT);
    const next = migrateV1ToV2(yXmlFragmentToProseMirrorRootNode(fragment, schemaV1), record.type);
    ydoc.transact(() => {
      fragment.delete(0, fragment.length);
      prosemirrorToYXmlFragment(next, fragment);
    });
    return [];
  },
  2: (ydoc) => migrateV2ToV3(ydoc),
};

/**
 * The version from which the repair of stored texts runs (v2-to-v3.ts): a document marked so is
 * repaired at the next start-up, then taken through every later step.
 */
export const REPAIRED_FROM_VERSION = 2;

/**
 * Marks a document whose stored text a reader could not read, so the next start-up repairs it
 * (it should not happen once texts are repaired and every update is checked; if it does, the
 * text is not known to fit any later version).
 */
export function markForRepair(stores: Stores, documentId: string): void {
  const record = stores.documents.get(documentId);
  if (record && record.schemaVersion > REPAIRED_FROM_VERSION) stores.documents.setSchemaVersion(documentId, REPAIRED_FROM_VERSION);
}

/**
 * Brings every stored document to the current schema version at start-up, before any client
 * connects: the text is read under its old schema, converted step by step, written back into the
 * same Y.Doc (so its history continues) and compacted, all in one transaction per document.
 * Returns the symbols of the documents migrated, each with what had to be repaired in its text
 * ("CWG-AI/3 (2 duplicate provision ids replaced; 1 top-level text removed)").
 */
export function migrateStoredDocuments(stores: Stores): string[] {
  const migrated: string[] = [];
  for (const record of stores.documents.outdated()) {
    const stored = stores.log.load(record.id);
    const ydoc = docOf(stored);
    const repairs: string[] = [];
    for (let version = record.schemaVersion; version < DOCUMENT_SCHEMA_VERSION; version++) {
      const step = STEPS[version];
      if (!step) throw new Error(`no migration of stored documents from schema version ${version} to ${version + 1} (${record.symbol})`);
      repairs.push(...step(ydoc, record));
    }
    // The snapshot and the new version in one transaction (compact's own: it sets the sync level
    // for its commit, which SQLite allows outside a transaction only).
    stores.log.compact(record.id, Y.encodeStateAsUpdate(ydoc), stored.lastUpdateId, DOCUMENT_SCHEMA_VERSION, () => stores.documents.setSchemaVersion(record.id, DOCUMENT_SCHEMA_VERSION));
    ydoc.destroy();
    migrated.push(repairs.length ? `${record.symbol} (${repairs.join('; ')})` : record.symbol);
  }
  return migrated;
}
