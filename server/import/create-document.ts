import type { Node as PMNode } from 'prosemirror-model';
import type { Stores } from '../services.ts';
import type { DocumentRecord, NewDocument } from '../storage/documents.ts';
import { initialTextUpdate } from '../collab/initial-text.ts';
import { audit } from '../storage/audit.ts';

/** Creates a document and stores its first text, in one transaction, before anyone can open it. */
export function createDocumentWithText(stores: Stores, input: NewDocument, text: PMNode | null, action = 'document.create'): DocumentRecord {
  return stores.db.transaction(() => {
    const record = stores.documents.create(input);
    if (text) stores.log.append([{ documentId: record.id, update: initialTextUpdate(text) }]);
    audit(stores.db, { userId: input.createdBy, groupId: input.groupId, action, detail: { id: record.id, symbol: record.symbol } });
    return record;
  })();
}
