import type { Node as PMNode } from 'prosemirror-model';
import { schema } from '../../shared/schema/index.ts';
import { textOfState } from '../collab/document-text.ts';
import type { Services } from '../services.ts';
import type { DocumentRecord } from '../storage/documents.ts';
import { audit } from '../storage/audit.ts';
import type { VersionStore, VersionSummary } from './version-store.ts';

/**
 * Taking, reading and restoring versions. A version holds the whole Yjs state (so nothing is
 * lost) and the text. Restoring writes the version's text as a new change made by the server —
 * never by rewinding history — so a client that was offline cannot bring the replaced text back:
 * its old content is deleted in the shared document, and deletions win when it reconnects.
 * Each version taken or restored is announced on the document's live stream.
 */
export function takeVersion({ stores, hub, events }: Services, document: DocumentRecord, name: string, kind: 'named' | 'autosave', userId: number | null): VersionSummary {
  const state = hub.state(document.id);
  const doc = textOfState(state);
  const version = stores.versions.add({ documentId: document.id, name, kind, state, text: doc.toJSON(), userId });
  if (kind === 'named') audit(stores.db, { userId, groupId: document.groupId, action: 'version.take', detail: { documentId: document.id, version: version.id, name } });
  events.versioned(document.id, version);
  return version;
}

export function versionText(versions: VersionStore, documentId: string, id: number): PMNode | null {
  const version = versions.get(documentId, id);
  return version ? schema.nodeFromJSON(version.text) : null;
}

export function restoreVersion(services: Services, document: DocumentRecord, id: number, userId: number): VersionSummary {
  const { stores, hub, events } = services;
  const version = stores.versions.get(document.id, id);
  if (!version) throw new Error(`no version ${id}`);
  // what is replaced stays recoverable
  takeVersion(services, document, `Before restoring “${version.name}”`, 'named', userId);
  hub.open(document.id).change(
    () => ({ doc: schema.nodeFromJSON(version.text) }),
    () => {
      audit(stores.db, { userId, groupId: document.groupId, action: 'version.restore', detail: { documentId: document.id, version: id, name: version.name } });
    },
  );
  const restored = stores.versions.list(document.id).find((v) => v.id === id)!;
  events.versioned(document.id, restored);
  return restored;
}
